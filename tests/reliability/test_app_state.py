"""The app state beside the extracts (`store.state`): exports and edits never touch or wait for
the extracts database, two processes write it at once, readers never fail while it is written,
a killed state writer leaves it consistent, and an older database's state moves into it once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from ascdemand.store import audit, state, writer
from ascdemand.store import briefing as briefing_store
from ascdemand.store.reader import Reader
from ascdemand.store.scenarios import list_scenarios, save_scenario
from ascdemand.store.schema import MOVED_TABLES


def _file(path: Path) -> tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), info.st_mtime_ns, info.st_ino


def _scenario_names(db: Path) -> list[str]:
    with state.reading(db) as con:
        return sorted(list_scenarios(con)["name"])


def test_an_export_does_not_touch_the_extracts_database(loaded_db):
    state.ensure(loaded_db)
    before = _file(loaded_db)
    audit.record_alone(loaded_db, user="director", action="export", detail="homecare.csv")
    assert _file(loaded_db) == before
    assert audit.trail(loaded_db)["action"].to_list()[-1] == "export"
    assert oct(state.state_path(loaded_db).stat().st_mode & 0o777) == oct(writer.NEW_FILE_MODE)


def test_a_scenario_save_does_not_wait_for_a_load(loaded_db):
    """A load holds the writer's lock (here for as long as the test wants): a scenario save,
    a briefing edit and an export go ahead at once."""
    state.ensure(loaded_db)
    with writer.transaction(loaded_db) as con:
        con.execute("SELECT 1")
        started = time.perf_counter()
        save_scenario(loaded_db, "During a load", {"hours_per_person": 11.0}, user="ann")
        with state.transaction(loaded_db) as app:
            briefing_store.add_mitigation(app, action="Act", owner=None, status="planned", user="a")
        audit.record_alone(loaded_db, user="ann", action="export", detail="x.csv", timeout=0.1)
        took = time.perf_counter() - started
    assert took < 2.0
    assert _scenario_names(loaded_db) == ["During a load"]


def test_two_processes_write_the_state_at_once_and_neither_is_lost(loaded_db):
    state.ensure(loaded_db)
    code = (
        "import sys\n"
        "from ascdemand.store.scenarios import save_scenario\n"
        "for i in range(15):\n"
        "    save_scenario(sys.argv[1], f'{sys.argv[2]} {i}', {}, user=sys.argv[2])\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(loaded_db), who],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for who in ("ann", "bob")
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert len(_scenario_names(loaded_db)) == 30
    assert (audit.trail(loaded_db)["action"] == "scenario_save").sum() == 30


def test_a_second_state_writer_waits_for_the_first_then_proceeds(loaded_db, tmp_path):
    state.ensure(loaded_db)
    code = (
        "import sys\n"
        "from ascdemand.store.scenarios import save_scenario\n"
        "save_scenario(sys.argv[1], 'Second', {}, user='bob')\n"
    )
    with state.transaction(loaded_db) as con:
        con.execute("SELECT 1")
        second = subprocess.Popen(
            [sys.executable, "-c", code, str(loaded_db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(3)  # the second process starts, then waits on the state lock
        assert second.poll() is None
        assert con.execute("SELECT count(*) FROM scenarios").fetchall() == [(0,)]
    out = second.communicate(timeout=60)
    assert second.returncode == 0, out
    assert _scenario_names(loaded_db) == ["Second"]


def test_reads_do_not_fail_while_another_process_writes_the_state(loaded_db):
    """The app reads the state (briefly, read-only) while the command line writes it."""
    state.ensure(loaded_db)
    code = (
        "import sys\n"
        "from ascdemand.store import audit\n"
        "for i in range(40):\n"
        "    audit.record_alone(sys.argv[1], user='cli', action='export', detail=str(i))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(loaded_db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    reads = 0
    while proc.poll() is None:
        state.version(loaded_db)
        with state.reading(loaded_db) as con:
            con.execute("SELECT count(*) FROM audit_log").fetchall()
        reads += 1
    out = proc.communicate()
    assert proc.returncode == 0, out
    assert reads > 0
    assert (audit.trail(loaded_db)["action"] == "export").sum() == 40


def test_threads_of_one_process_read_and_write_the_state_together(loaded_db):
    """The app's sessions are threads of one process: a read while another thread writes waits
    for it (DuckDB refuses a second open of the file in another mode meanwhile)."""
    state.ensure(loaded_db)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for i in range(20):
                save_scenario(loaded_db, f"T {i}", {}, user="t")
        except BaseException as err:  # noqa: BLE001 (reported below)
            errors.append(err)

    thread = threading.Thread(target=write)
    thread.start()
    while thread.is_alive():
        _scenario_names(loaded_db)
    thread.join()
    assert errors == []
    assert len(_scenario_names(loaded_db)) == 20


@pytest.mark.slow
def test_a_state_writer_killed_before_commit_leaves_the_state_as_it_was(loaded_db, tmp_path):
    save_scenario(loaded_db, "Kept", {}, user="ann")
    paused = tmp_path / "paused"
    code = (
        "import sys\n"
        "from ascdemand.store.scenarios import save_scenario\n"
        "save_scenario(sys.argv[1], 'Lost', {}, user='bob')\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(loaded_db)],
        env={**os.environ, writer.PAUSE_ENV: f"state_before_commit:{paused}"},
    )
    deadline = time.monotonic() + 60
    while not paused.exists():
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _scenario_names(loaded_db) == ["Kept"]
    save_scenario(loaded_db, "After", {}, user="ann")
    assert _scenario_names(loaded_db) == ["After", "Kept"]
    assert audit.trail(loaded_db)["detail"].str.contains("Lost").sum() == 0


def _old_database(db: Path) -> None:
    """`db` as an older version left it: the app state in the extracts database."""
    con = duckdb.connect(str(db))
    try:
        for table in MOVED_TABLES:
            con.execute(state.STATE_TABLES_DDL[table])
        con.execute(
            "INSERT INTO scenarios VALUES ('s1', 'Old plan', '', '{}', 'ann', "
            "TIMESTAMP '2021-10-01', TIMESTAMP '2021-10-01')"
        )
        con.execute(
            "INSERT INTO mitigations VALUES (1, 'Old action', NULL, 'planned', "
            "TIMESTAMP '2021-10-01', 'ann')"
        )
        con.execute(
            "INSERT INTO column_mappings VALUES ('Mosaic', 'care_packages', '[columns]', "
            "TIMESTAMP '2021-10-01', 'ann')"
        )
        con.execute(
            "INSERT INTO audit_log VALUES (TIMESTAMP '2021-10-01', 'ann', 'scenario_save', "
            "'s1 Old plan')"
        )
    finally:
        con.close()


def _main_tables(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def test_an_older_database_has_its_state_moved_once_when_the_app_opens_it(loaded_db):
    _old_database(loaded_db)
    state.state_path(loaded_db).unlink(missing_ok=True)
    reader = Reader(loaded_db)
    with reader.cursor() as cur:  # the app's first read brings the database up to date
        assert cur.execute("SELECT count(*) FROM care_packages").fetchall() == [(5,)]
    reader.close()
    assert not set(MOVED_TABLES) & _main_tables(loaded_db)
    assert _scenario_names(loaded_db) == ["Old plan"]
    with state.reading(loaded_db) as con:
        assert briefing_store.mitigations(con)["action"].to_list() == ["Old action"]
        assert con.execute("SELECT name FROM column_mappings").fetchall() == [("Mosaic",)]
    trail = audit.trail(loaded_db)
    assert "s1 Old plan" in trail["detail"].to_list()  # the old entries stay, read with the new


def test_a_move_interrupted_before_the_drop_copies_nothing_twice(loaded_db):
    """The state write copies the rows (and marks the move done) first; until a write of the
    extracts drops the old tables, later state edits are not undone by a second copy."""
    _old_database(loaded_db)
    state.state_path(loaded_db).unlink(missing_ok=True)
    save_scenario(loaded_db, "New plan", {}, user="bob")  # the first state write moves it
    assert set(MOVED_TABLES) <= _main_tables(loaded_db)  # not dropped yet
    with state.transaction(loaded_db) as con:
        con.execute("DELETE FROM scenarios WHERE name = 'Old plan'")
    with writer.transaction(loaded_db):
        pass
    assert not set(MOVED_TABLES) & _main_tables(loaded_db)
    assert _scenario_names(loaded_db) == ["New plan"]


def test_a_missing_state_file_is_created_empty(loaded_db):
    state.state_path(loaded_db).unlink(missing_ok=True)
    assert _scenario_names(loaded_db) == []
    assert state.state_path(loaded_db).exists()
