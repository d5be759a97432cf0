"""Shared fixtures: an in-memory store, and one demo database built once per test session.

Also makes `--dist loadgroup` honour `xdist_group` marks under pytest 9.2 (see
`pytest_collection_modifyitems`), and gives `build_once` for anything expensive that every
xdist worker would otherwise build for itself.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
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
APP = ROOT / "app.py"
SHARED_DATA = ROOT.parent / "shared" / "data"
SITREP_DIR = SHARED_DATA / "nhse-acute-discharge-sitrep"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put each `xdist_group` test's group in its node id, where `--dist loadgroup` looks.

    pytest-xdist 3.8 does this by assigning `item._nodeid`, which pytest 9.2 no longer reads
    (a node id is now built from `item._id`): the group never reached the scheduler, so grouped
    tests were spread over every worker and each worker built their module fixtures (the
    benchmark report twice over). This does the same through `_id`, and does nothing where
    xdist's own suffix took effect (`name[param]@group`, as xdist's scheduler parses it).
    """
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        groups = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        nodeid = item.nodeid
        if groups and nodeid.rfind("@") <= nodeid.rfind("]"):
            item._id = NodeId.parse(f"{nodeid}@{'_'.join(sorted(groups))}")


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test session that every xdist worker sees.

    Workers share their session's folder; a plain run's parent folder outlives the session, so
    something built there could be served to a later run of newer code.
    """
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def build_once(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """`build_once(name, build)`: the path `<shared folder>/<name>`, which `build(path)` writes
    once per test session however many xdist workers ask.

    The first worker takes a file lock, builds, and leaves a marker file; the others wait on the
    lock, find the marker and reuse the path. A build that fails leaves its error instead, and
    the workers after it fail with that error rather than build again.
    """
    shared = _shared_folder(tmp_path_factory)

    def _build_once(name: str, build: Callable[[Path], object]) -> Path:
        path = shared / name
        done, failed = shared / f"{name}.ok", shared / f"{name}.failed"
        # Not `<name>.lock`: that is the store writer's own lock on a database at `path`.
        with open(shared / f"{name}.build-lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if failed.exists():
                pytest.fail(
                    f"{name}: the build failed earlier in this session:\n{failed.read_text()}",
                    pytrace=False,
                )
            if not done.exists():
                try:
                    build(path)
                except (Exception, pytest.fail.Exception) as err:
                    failed.write_text(f"{type(err).__name__}: {err}")
                    raise
                done.touch()
        return path

    return _build_once


@pytest.fixture(scope="session", autouse=True)
def _pseudonym_key_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the pseudonymisation key in the test session's temp folder, never in $HOME."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(
            "ASCDEMAND_KEY_FILE", str(tmp_path_factory.getbasetemp().parent / "pseudonym.key")
        )
        mp.delenv("ASCDEMAND_PSEUDONYM_KEY", raising=False)
        yield


@pytest.fixture(scope="session")
def app_path() -> Path:
    """The app's entry point, `app.py` of the checkout (`streamlit run` and AppTest open it)."""
    return APP


@pytest.fixture
def mem_con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An empty in-memory database with the full schema."""
    con = memory()
    yield con
    con.close()


@pytest.fixture(scope="session")
def demo_db(build_once: Callable[..., Path]) -> Path:
    """Path to the demo database (scale 1, default seed), built once and shared by all workers.

    Tests must open it read-only; a test that writes takes a copy (`demo_db_copy`).
    """
    from ascdemand.demo.build import build_demo

    return build_once("demo.duckdb", lambda path: build_demo(path, force=True))


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


@pytest.fixture(scope="session")
def sitrep_db(build_once: Callable[..., Path]) -> Path:
    """Every sitrep workbook imported into an empty store, once per session for all workers
    (skips without the workbooks); open it read-only, or copy it."""
    from ascdemand.store.sitrep.importer import import_files

    if not SITREP_DIR.is_dir():
        pytest.skip(f"NHS discharge sitrep workbooks not found at {SITREP_DIR}")
    return build_once(
        "sitrep-all.duckdb",
        lambda path: import_files(path, sorted(SITREP_DIR.glob("*.xlsx")), user="test"),
    )
