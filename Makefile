# The two commands: `make run` serves the app, `make test` runs the whole suite.
# `make check` is the developer's fast loop: lint, and every test but the slow and browser ones.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/ascdemand.duckdb
APT := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

.PHONY: run test check install install-test chromium demo bench lint format clean

run: install $(DB)
	$(BIN)/streamlit run app.py --server.address localhost --server.port 8501 --server.headless true

test: install-test chromium $(DB)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2 --dist loadgroup

check: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2 --dist loadgroup -m "not slow and not browser"

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { $(APT) update && $(APT) install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

chromium:
	@command -v chromium >/dev/null || { $(APT) update && DEBIAN_FRONTEND=noninteractive $(APT) install -y chromium; }

$(DB): | $(VENV)/.installed
	$(BIN)/ascdemand --db $(DB) demo

demo: install
	$(BIN)/ascdemand --db $(DB) demo --force

bench: install
	$(BIN)/ascdemand --db $(DB) bench

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) $(DB) $(DB).wal tests/artifacts
