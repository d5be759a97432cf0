"""The test suite's own rule: tests open the app only through the shared fixtures of
`tests/pages/conftest.py` (`open_app`, `open_page`, `open_page_script`, ...), which take its
path from `app_path` in `tests/conftest.py`."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
SHARED = {TESTS / "conftest.py", TESTS / "pages" / "conftest.py"}


def test_only_the_shared_page_fixtures_open_the_app():
    offenders = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("*.py"))
        if path not in SHARED
        and path != Path(__file__).resolve()
        and "AppTest.from_file" in path.read_text(encoding="utf-8")
    ]
    assert offenders == [], "open the app with the fixtures of tests/pages/conftest.py"
