"""The data version the app's caches follow: new with every write of data, kept by an audit
entry alone (every download writes one, and must not make every page recompute)."""

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ascdemand.store import audit, writer
from ascdemand.store.meta import data_version, set_as_at_date


def _version(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return data_version(con)


def _audit_rows(path: Path) -> int:
    return audit.trail(path).height


def test_a_data_write_changes_the_version_and_an_audit_entry_keeps_it(tmp_path: Path):
    path = tmp_path / "store.duckdb"
    with writer.transaction(path) as con:
        set_as_at_date(con, dt.date(2021, 10, 31))
    first = _version(path)
    assert first != ""
    audit.record_alone(path, user="director", action="export", detail="homecare_weekly.csv")
    assert _version(path) == first
    assert _audit_rows(path) == 1
    with writer.transaction(path) as con:
        set_as_at_date(con, dt.date(2021, 11, 30))
    assert _version(path) not in ("", first)


def test_a_failed_write_keeps_the_version(tmp_path: Path):
    path = tmp_path / "store.duckdb"
    with writer.transaction(path) as con:
        set_as_at_date(con, dt.date(2021, 10, 31))
    first = _version(path)
    with pytest.raises(RuntimeError), writer.transaction(path) as con:
        set_as_at_date(con, dt.date(2021, 11, 30))
        raise RuntimeError("rejected")
    assert _version(path) == first
