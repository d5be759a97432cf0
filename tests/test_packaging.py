"""The package outside the checkout: a wheel built from `pyproject.toml`, `README.md` and `src/`
alone carries the default access file, and `ascdemand bench`, whose code lives in the
checkout's `benchmarks/`, says plainly that it needs the checkout and exits 1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from ascdemand import access, cli
from ascdemand.commands import bench

ROOT = Path(__file__).resolve().parents[1]


def test_bench_outside_a_checkout_says_it_needs_one(tmp_path, monkeypatch, capsys):
    """Installed from a wheel (no checkout beside the package) and run elsewhere."""
    monkeypatch.setattr(bench, "PACKAGE_CHECKOUT", tmp_path / "lib")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["bench", "--scales", "1", "--quick"]) == 1
    assert capsys.readouterr().err.strip() == bench.NEEDS_CHECKOUT
    assert "source checkout" in bench.NEEDS_CHECKOUT


def test_bench_finds_the_checkout_it_is_run_from(tmp_path, monkeypatch):
    """A wheel install run from inside a clone uses the clone's benchmarks."""
    monkeypatch.setattr(bench, "PACKAGE_CHECKOUT", tmp_path / "lib")
    clone = tmp_path / "clone"
    (clone / "benchmarks").mkdir(parents=True)
    (clone / "benchmarks" / "runner.py").touch()
    (clone / "src" / "ascdemand").mkdir(parents=True)
    monkeypatch.chdir(clone)
    assert bench.find_checkout() == clone.resolve()
    monkeypatch.chdir(tmp_path)
    assert bench.find_checkout() is None


def test_editable_install_finds_this_checkout():
    assert bench.find_checkout() == ROOT


def test_access_file_env_then_working_directory_then_packaged(tmp_path, monkeypatch):
    monkeypatch.delenv(access.ACCESS_FILE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert access.access_file() == access.packaged_access_file()
    assert access.load_config().local_role == "director"

    local = tmp_path / "config" / "access.toml"
    local.parent.mkdir()
    local.write_text('local_role = "committee"\n[roles.committee]\npages = ["briefing"]\n')
    assert access.access_file() == local
    assert access.load_config().local_role == "committee"

    named = tmp_path / "named.toml"
    named.write_text('local_role = "commissioner"\n[roles.commissioner]\npages = ["*"]\n')
    monkeypatch.setenv(access.ACCESS_FILE_ENV, str(named))
    assert access.access_file() == named
    assert access.load_config().local_role == "commissioner"
    assert access.load_config(local).local_role == "committee"


def test_packaged_defaults_are_the_checkouts_access_file():
    """The roles shipped in the package and the checkout's `config/access.toml` agree."""
    packaged = tomllib.loads(access.packaged_access_file().read_text(encoding="utf-8"))
    checkout = tomllib.loads((ROOT / "config" / "access.toml").read_text(encoding="utf-8"))
    assert packaged == checkout


def _pip(*args: str) -> None:
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the folder it is installed in): built from a copy of pyproject.toml,
    README.md and src/ only, offline (the build backend of the test tools), installed with
    pip --target."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    wheel_dir, site = root / "dist", root / "site"
    _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(wheel_dir), str(source))
    (wheel,) = wheel_dir.glob("ascdemand-*.whl")
    _pip("install", "--no-deps", "--target", str(site), str(wheel))
    return wheel, site


def _run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run with only the installed wheel importable (ahead of the editable checkout)."""
    env = {k: v for k, v in os.environ.items() if k != access.ACCESS_FILE_ENV}
    env["PYTHONPATH"] = str(site)
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.slow
def test_wheel_ships_the_access_defaults_and_bench_says_it_needs_the_checkout(installed, tmp_path):
    wheel, site = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "ascdemand/config/access.toml" in names
    assert not any(n.startswith(("benchmarks/", "tests/", "config/")) for n in names)

    probe = (
        "import ascdemand; from ascdemand import access; c = access.load_config(); "
        "print(ascdemand.__file__); print(access.access_file()); "
        "print(c.local_role, sorted(c.pages))"
    )
    done = _run_installed(site, tmp_path, sys.executable, "-c", probe)
    assert done.returncode == 0, done.stderr
    package, access_path, roles = done.stdout.splitlines()
    assert Path(package).is_relative_to(site)
    assert Path(access_path) == site / "ascdemand" / "config" / "access.toml"
    assert roles == "director ['commissioner', 'committee', 'director']"

    done = _run_installed(site, tmp_path, str(site / "bin" / "ascdemand"), "bench", "--quick")
    assert done.returncode == 1
    assert done.stderr.strip() == bench.NEEDS_CHECKOUT
