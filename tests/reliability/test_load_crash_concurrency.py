"""A load killed half way, two loads at once, and reads during a load.

Writes go through the copy-and-swap writer: a killed load leaves the previous database in
place, a second writer waits for the first (or reports "database busy"), and readers keep
their snapshot while a load runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ascdemand import cli
from ascdemand.store import writer


def write_packages(path: Path, rows: int, prefix: str) -> None:
    """A valid care_packages CSV of `rows` rows whose package ids start with `prefix`."""
    n = pl.int_range(0, rows, eager=True)
    pl.DataFrame(
        {
            "package_id": prefix + n.cast(pl.String),
            "person_id": "LAS" + (n // 3).cast(pl.String),
            "service_type": "homecare",
            "district": "Charnwood",
            "client_group": "older_adults",
            "start_date": "2021-03-01",
            "end_date": "",
            "hours_per_week": "12.5",
            "weekly_cost": "310.00",
            "provider": "Acme Care",
            "source": "community",
        }
    ).write_csv(path)


def load_cmd(db: Path, path: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ascdemand",
        "--db",
        str(db),
        "load",
        "care_packages",
        str(path),
        "--as-at",
        "2021-10-31",
        *extra,
    ]


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["before_commit", "before_swap"])
def test_sigkill_mid_load_leaves_the_previous_database(loaded_db, fingerprint, tmp_path, stage):
    """Kill -9 at a known point of a load, not a race: with the rows written into the writer's
    working copy (uncommitted), or with the copy committed but not yet swapped in. Either way
    the database opens with the previous content, load_log does not claim the load, and the
    next load succeeds and clears the killed writer's working copy."""
    big = tmp_path / "big.csv"
    write_packages(big, 1_000, "BIG")
    before = fingerprint(loaded_db)
    paused = tmp_path / "writer-paused"
    env = {**os.environ, writer.PAUSE_ENV: f"{stage}:{paused}"}
    proc = subprocess.Popen(
        load_cmd(loaded_db, big), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    work = loaded_db.with_name(f".{loaded_db.name}.writing-{proc.pid}")
    try:
        deadline = time.monotonic() + 120
        while not paused.exists():
            assert proc.poll() is None, f"the load ended first: {proc.stderr.read().decode()}"
            assert time.monotonic() < deadline, "the writer never reached its pause"
            time.sleep(0.01)
        if stage == "before_swap":  # the copy is complete, and closed: everything but the swap
            assert query(work, "SELECT count(*) FROM care_packages") == [(1_005,)]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert work.exists()

    assert fingerprint(loaded_db) == before
    assert query(loaded_db, "SELECT count(*) FROM load_log WHERE file_name = 'big.csv'") == [(0,)]

    small = tmp_path / "after.csv"
    write_packages(small, 10, "AFTER")
    assert cli.main(["--db", str(loaded_db), "load", "care_packages", str(small)]) == 0
    assert query(loaded_db, "SELECT count(*) FROM care_packages") == [(15,)]
    assert not work.exists(), "the killed writer's working copy was cleaned up"


@pytest.mark.slow
def test_two_loads_at_once_both_land(loaded_db, tmp_path):
    """Two processes load different files together: the second waits, neither is lost."""
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    write_packages(first, 20_000, "ONE")
    write_packages(second, 10_000, "TWO")
    procs = [
        subprocess.Popen(load_cmd(loaded_db, f), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for f in (first, second)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert query(loaded_db, "SELECT count(*) FROM care_packages") == [(5 + 20_000 + 10_000,)]
    logged = query(loaded_db, "SELECT file_name, rows FROM load_log ORDER BY file_name")
    assert logged == [("first.csv", 20_000), ("second.csv", 10_000), ("valid.csv", 5)]


def test_second_writer_is_told_the_database_is_busy(loaded_db, fingerprint, tmp_path, capsys):
    """While another write holds the database, a load that will not wait exits 1, saying so.

    (The holding transaction writes nothing, so it keeps the data version, but it swaps a fresh
    copy in: only the table contents, not the file bytes, are compared.)"""
    extract = tmp_path / "late.csv"
    write_packages(extract, 5, "LATE")
    before = fingerprint(loaded_db)
    with writer.transaction(loaded_db, changes_data=False):
        code = cli.main(
            ["--db", str(loaded_db), "load", "care_packages", str(extract), "--wait", "0.2"]
        )
    assert code == 1
    assert "Database busy, try again" in capsys.readouterr().err
    assert fingerprint(loaded_db)[1] == before[1]


def test_reader_keeps_its_snapshot_during_a_load_and_sees_the_new_one_after(loaded_db, tmp_path):
    """A read-only connection opened before a load still answers; a new one sees the load."""
    extract = tmp_path / "more.csv"
    write_packages(extract, 100, "MORE")
    reader = duckdb.connect(str(loaded_db), read_only=True)
    try:
        assert cli.main(["--db", str(loaded_db), "load", "care_packages", str(extract)]) == 0
        assert reader.execute("SELECT count(*) FROM care_packages").fetchall() == [(5,)]
    finally:
        reader.close()
    assert query(loaded_db, "SELECT count(*) FROM care_packages") == [(105,)]
