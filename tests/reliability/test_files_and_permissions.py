"""Database files and permissions: owner-only files, modes kept across a write, read-only files
and folders and damaged files refused in plain words (issue 18, item 7)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from ascdemand.cli import main
from ascdemand.store import writer
from ascdemand.store.connection import DatabaseUnreadable, connect


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_is_owner_only(tmp_path):
    with writer.transaction(tmp_path / "w.duckdb"):
        pass
    assert _mode(tmp_path / "w.duckdb") == 0o600
    connect(tmp_path / "c.duckdb").close()
    assert _mode(tmp_path / "c.duckdb") == 0o600


def test_a_write_keeps_the_file_mode(tmp_path):
    """An operator's 0640 (group may read) survives copy-and-swap."""
    db = tmp_path / "w.duckdb"
    with writer.transaction(db):
        pass
    os.chmod(db, 0o640)
    with writer.transaction(db) as con:
        con.execute("INSERT INTO settings VALUES ('k', 'v')")
    assert _mode(db) == 0o640


def test_a_read_only_file_is_refused_and_left_alone(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    with writer.transaction(db):
        pass
    os.chmod(db, 0o444)
    before = db.read_bytes()
    with pytest.raises(writer.DatabaseReadOnly, match="is read-only"), writer.transaction(db):
        pass
    assert _mode(db) == 0o444 and db.read_bytes() == before
    profile = tmp_path / "p.toml"
    profile.write_text('[council]\nname = "x"\n')
    csv = tmp_path / "l.csv"
    csv.write_text("financial_year,service_line,budget\n2021/22,staffing,100\n")
    assert main(["--db", str(db), "load", "budget_lines", str(csv)]) == 1
    err = capsys.readouterr().err
    assert "is read-only" in err and "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_a_read_only_folder_is_refused_plainly(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(folder, 0o555)
    try:
        refused = pytest.raises(writer.DatabaseReadOnly, match="Cannot write the database")
        with refused, writer.transaction(folder / "w.duckdb"):
            pass
    finally:
        os.chmod(folder, 0o755)


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_a_damaged_file_is_named_not_a_traceback(tmp_path, capsys, content):
    db = tmp_path / "broken.duckdb"
    db.write_bytes(content)
    with pytest.raises(DatabaseUnreadable, match="damaged, truncated"):
        connect(db, read_only=True)
    assert main(["--db", str(db), "outturn"]) == 1
    err = capsys.readouterr().err
    assert "damaged, truncated" in err and "Traceback" not in err


def test_a_truncated_database_is_refused_in_plain_words(tmp_path, demo_db, capsys):
    """DuckDB opens a cut-off file and fails when a query reaches the missing part."""
    db = tmp_path / "cut.duckdb"
    db.write_bytes(demo_db.read_bytes()[:300_000])
    assert main(["--db", str(db), "outturn"]) == 1
    err = capsys.readouterr().err
    assert "damaged or truncated" in err and "Traceback" not in err
