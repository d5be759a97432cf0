"""Building the demo database: through the loader, deterministic, scalable, and the command."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ascdemand import cli
from ascdemand.demo.build import build_demo, generate
from ascdemand.store.contract import EXTRACT_TABLES


def _checksums(path: Path) -> dict[str, tuple]:
    """Row count and per-column hash sums of every extract table (batch ids aside)."""
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            table: con.execute(
                f"SELECT count(*), sum(hash(COLUMNS(* EXCLUDE (batch_id)))) FROM {table}"
            ).fetchone()
            for table in EXTRACT_TABLES
        }


def test_loaded_through_the_loader(demo_db: Path):
    """One accepted load_log row per extract table, by the demo user, with the stored row count;
    person ids are pseudonyms, never the raw `LAS...` identifiers; the as-at date is set."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        log = con.execute(
            "SELECT table_name, status, rows, loaded_by FROM load_log ORDER BY table_name"
        ).fetchall()
        assert [row[0] for row in log] == sorted(EXTRACT_TABLES)
        for table, status, rows, loaded_by in log:
            assert status == "loaded"
            assert loaded_by == "ascdemand demo"
            (stored,) = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert rows == stored > 0, table
        for table in ("care_packages", "discharges", "placements"):
            (raw,) = con.execute(
                f"SELECT count(*) FROM {table} WHERE person_id NOT LIKE 'p\\_%' ESCAPE '\\'"
            ).fetchone()
            assert raw == 0, table
        settings = dict(con.execute("SELECT key, value FROM settings").fetchall())
    assert settings["as_at_date"] == "2021-10-31"
    assert settings["history_start"] == "2018-04-02"


def test_same_seed_same_tables(demo_db: Path, tmp_path: Path):
    """A second build with the default seed gives identical tables; another seed does not."""
    again = build_demo(tmp_path / "again.duckdb")
    assert again.built
    assert _checksums(again.path) == _checksums(demo_db)
    other = build_demo(tmp_path / "other.duckdb", seed=7)
    changed = _checksums(other.path)
    assert changed["discharges"] != _checksums(demo_db)["discharges"]


def test_existing_database_kept_unless_forced(tmp_path: Path):
    """Without force an existing file is left alone (not even opened)."""
    path = tmp_path / "mine.duckdb"
    path.write_bytes(b"not a database")
    kept = build_demo(path)
    assert not kept.built
    assert path.read_bytes() == b"not a database"


def test_scale_two_doubles_the_population():
    """`scale=2` gives about twice the people and rows of `scale=1` (within 5%)."""
    one, two = generate(scale=1), generate(scale=2)

    def people(frames) -> int:
        return len(
            set(frames.care_packages["person_id"])
            | set(frames.discharges["person_id"])
            | set(frames.placements["person_id"])
        )

    assert people(two) / people(one) == pytest.approx(2.0, rel=0.05)
    for table, frame in one.tables().items():
        assert two.tables()[table].height / frame.height == pytest.approx(2.0, rel=0.05), table


def test_scale_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        generate(scale=0)


def test_command_builds_then_keeps(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """`ascdemand --db X demo` builds and reports; a second run keeps the file; --scale 0 is
    refused by the argument parser."""
    path = tmp_path / "cli.duckdb"
    assert cli.main(["--db", str(path), "demo", "--seed", "5"]) == 0
    assert "Built" in capsys.readouterr().out
    before = path.stat().st_mtime_ns
    assert cli.main(["--db", str(path), "demo", "--seed", "5"]) == 0
    assert "already exists" in capsys.readouterr().out
    assert path.stat().st_mtime_ns == before
    assert not list(tmp_path.glob(".cli.duckdb*"))
    with pytest.raises(SystemExit):
        cli.main(["--db", str(path), "demo", "--scale", "0"])
