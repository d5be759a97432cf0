"""The weekly views are materialised when a writer commits and stay exact: recomputed when the
extracts change, reused when they do not, and live again on any connection that writes
outside the writer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ascdemand.store import writer
from ascdemand.store.reader import Reader
from ascdemand.store.schema import (
    CACHE_PREFIX,
    CACHED_VIEWS,
    create_schema,
    is_current,
    refresh_cache,
)

D = dt.date


def _package(con: duckdb.DuckDBPyConnection, pid: str, person: str, start: str, hours: float):
    con.execute(
        "INSERT INTO care_packages VALUES (?, ?, 'homecare', 'Melton', 'older_adults', ?, NULL,"
        " ?, 100, NULL, 'community', NULL)",
        [pid, person, start, hours],
    )


def _setup(con: duckdb.DuckDBPyConnection) -> None:
    """As at Mon 30 Mar 2020, history from 1 Mar; p1 has 10 h a week from Tue 3 Mar."""
    con.execute("INSERT INTO settings VALUES ('as_at_date', '2020-03-30')")
    con.execute("INSERT INTO settings VALUES ('history_start', '2020-03-01')")
    _package(con, "a", "p1", "2020-03-03", 10)


def _weekly(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT week_start, people, hours FROM homecare_weekly ORDER BY week_start"
    ).fetchall()


def _reads_cache(con: duckdb.DuckDBPyConnection, view: str) -> bool:
    (sql,) = con.execute("SELECT sql FROM duckdb_views() WHERE view_name = ?", [view]).fetchall()[0]
    return CACHE_PREFIX + view in sql


# p1 counts from Monday 9 March (the first Monday on or after 3 March).
ONE_PERSON = [
    (D(2020, 3, 2), 0, 0.0),
    (D(2020, 3, 9), 1, 10.0),
    (D(2020, 3, 16), 1, 10.0),
    (D(2020, 3, 23), 1, 10.0),
    (D(2020, 3, 30), 1, 10.0),
]


def test_refresh_materialises_then_reuses_then_recomputes(mem_con):
    """p2 (5 h) starts Tue 17 Mar, so from Monday 23 March: 2 people and 15 hours."""
    _setup(mem_con)
    assert refresh_cache(mem_con) is True
    assert all(_reads_cache(mem_con, view) for view in CACHED_VIEWS)
    assert _weekly(mem_con) == ONE_PERSON
    assert refresh_cache(mem_con) is False
    _package(mem_con, "b", "p2", "2020-03-17", 5)
    assert refresh_cache(mem_con) is True
    assert _weekly(mem_con)[-2:] == [(D(2020, 3, 23), 2, 15.0), (D(2020, 3, 30), 2, 15.0)]


def test_an_as_at_change_recomputes_the_calendar(mem_con):
    _setup(mem_con)
    refresh_cache(mem_con)
    mem_con.execute("UPDATE settings SET value = '2020-03-16' WHERE key = 'as_at_date'")
    assert refresh_cache(mem_con) is True
    assert _weekly(mem_con) == ONE_PERSON[:3]


def _evidence_periods(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT financial_year, period, sum(people_now) FROM budget_care_evidence "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()


def test_a_new_ledger_period_recomputes_the_budget_evidence(mem_con):
    """The evidence covers each year's periods up to its last with actuals (at least P1 of a
    budgeted year): p1, in care since 3 March 2020, counts at the end of every one."""
    _setup(mem_con)
    mem_con.execute("INSERT INTO budget_lines VALUES ('2020/21', 'homecare', 1000, NULL)")
    assert refresh_cache(mem_con) is True
    assert _evidence_periods(mem_con) == [("2020/21", 1, 1)]
    assert refresh_cache(mem_con) is False
    mem_con.execute("INSERT INTO ledger VALUES ('2020/21', 2, 'homecare', 400, 0, NULL)")
    assert refresh_cache(mem_con) is True
    assert _evidence_periods(mem_con) == [("2020/21", 1, 1), ("2020/21", 2, 1)]


def test_create_schema_brings_the_live_views_back(mem_con):
    _setup(mem_con)
    refresh_cache(mem_con)
    create_schema(mem_con)
    assert not any(_reads_cache(mem_con, view) for view in CACHED_VIEWS)
    _package(mem_con, "b", "p2", "2020-03-17", 5)
    assert _weekly(mem_con)[-1] == (D(2020, 3, 30), 2, 15.0)


def test_a_writer_commit_leaves_readers_the_materialised_views(tmp_path: Path):
    db = tmp_path / "store.duckdb"
    with writer.transaction(db) as con:
        _setup(con)
    with duckdb.connect(str(db), read_only=True) as reader:
        assert all(_reads_cache(reader, view) for view in CACHED_VIEWS)
        assert _weekly(reader) == ONE_PERSON


def test_a_failed_write_changes_nothing(tmp_path: Path):
    db = tmp_path / "store.duckdb"
    with writer.transaction(db) as con:
        _setup(con)
    with pytest.raises(RuntimeError), writer.transaction(db) as con:
        _package(con, "b", "p2", "2020-03-17", 5)
        raise RuntimeError("load failed")
    with duckdb.connect(str(db), read_only=True) as reader:
        assert _weekly(reader) == ONE_PERSON


def test_database_of_an_older_version_is_brought_up_to_date_on_open(tmp_path: Path):
    """A file whose materialised budget evidence is missing (written before it existed) is
    upgraded by one empty write when first opened for reading, and reads the same data."""
    path = tmp_path / "old.duckdb"
    with writer.transaction(path) as con:
        _setup(con)
    con = duckdb.connect(str(path))
    con.execute(f"DROP VIEW budget_care_evidence; DROP TABLE {CACHE_PREFIX}budget_care_evidence")
    con.close()
    with duckdb.connect(str(path), read_only=True) as old:
        assert not is_current(old)
    reader = Reader(path)
    with reader.cursor() as cur:
        assert is_current(cur)
        assert _reads_cache(cur, "budget_care_evidence")
        assert _weekly(cur) == ONE_PERSON
    reader.close()
