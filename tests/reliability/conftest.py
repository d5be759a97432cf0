"""Fixtures for the reliability tests: a small loaded database and a fingerprint of its content."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from ascdemand.store.load import load_path

BAD_INPUTS = Path(__file__).resolve().parents[1] / "bad_inputs"
AS_AT = dt.date(2021, 10, 31)


@pytest.fixture(scope="session", autouse=True)
def _excel_bad_input() -> None:
    """The corpus's workbooks are generated, not committed (workbooks stay out of git); they
    are written beside the other bad inputs, atomically, so parallel workers never read half."""
    from scripts.make_bad_inputs import write_workbooks

    with tempfile.TemporaryDirectory(dir=BAD_INPUTS) as folder:
        for path in write_workbooks(Path(folder)):
            if not (BAD_INPUTS / path.name).exists():
                os.replace(path, BAD_INPUTS / path.name)


def table_checksums(db: Path) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent digest of every base table's content."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
        ]
        sums = {}
        for name in tables:
            rows = con.execute(f'SELECT CAST(t AS VARCHAR) FROM "{name}" t').fetchall()
            digest = hashlib.sha256("\n".join(sorted(r[0] for r in rows)).encode()).hexdigest()
            sums[name] = (len(rows), digest)
        return sums
    finally:
        con.close()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def _loaded_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding `valid.csv` (packages BP0001-BP0005), built once per worker."""
    db = tmp_path_factory.mktemp("loaded") / "template.duckdb"
    result = load_path(db, "care_packages", BAD_INPUTS / "valid.csv", as_at=AS_AT, loaded_by="t")
    assert result.status == "loaded", result.message
    return db


@pytest.fixture
def loaded_db(_loaded_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the small loaded database."""
    db = tmp_path / "store.duckdb"
    shutil.copyfile(_loaded_db_template, db)
    return db


@pytest.fixture
def fingerprint() -> Callable[[Path], tuple[str, dict[str, tuple[int, str]]]]:
    """(file bytes digest, table checksums) of a database, to prove a load changed nothing."""
    return lambda db: (file_digest(db), table_checksums(db))
