"""Shared fixtures: an in-memory store, and one demo database built once per test session."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import settings

from ascdemand.store.connection import memory

# In CI the property tests draw the same examples every run, so a submission is judged on its
# code, not on the luck of the draw; locally they explore new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
SITREP_DIR = SHARED_DATA / "nhse-acute-discharge-sitrep"


@pytest.fixture(scope="session", autouse=True)
def _pseudonym_key_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the pseudonymisation key in the test session's temp folder, never in $HOME."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(
            "ASCDEMAND_KEY_FILE", str(tmp_path_factory.getbasetemp().parent / "pseudonym.key")
        )
        mp.delenv("ASCDEMAND_PSEUDONYM_KEY", raising=False)
        yield


@pytest.fixture
def mem_con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An empty in-memory database with the full schema."""
    con = memory()
    yield con
    con.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path to the demo database (scale 1, default seed), built once and shared by all workers.

    Tests must open it read-only; a test that writes takes a copy (`demo_db_copy`).
    """
    from ascdemand.demo.build import build_demo

    # xdist workers share their session's folder; a plain run's parent folder outlives the
    # session, so it would serve a demo database built by older code.
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    path = shared / "demo.duckdb"
    with open(shared / "demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "demo.ok").exists():
            build_demo(path, force=True)
            (shared / "demo.ok").touch()
    return path


@pytest.fixture
def demo_db_copy(demo_db: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the demo database."""
    target = tmp_path / "demo.duckdb"
    target.write_bytes(demo_db.read_bytes())
    return target


@pytest.fixture
def sitrep_dir() -> Path:
    """The folder of real NHS England discharge sitrep workbooks; skips when it is absent."""
    if not SITREP_DIR.is_dir():
        pytest.skip(f"NHS discharge sitrep workbooks not found at {SITREP_DIR}")
    return SITREP_DIR
