"""Saved scenarios: save, list, load, rename and delete in the app state (`store.state`), with
audit entries, never touching the extracts database."""

from __future__ import annotations

import pytest

from ascdemand.store import audit, connection, state
from ascdemand.store.scenarios import (
    ScenarioNotFound,
    delete_scenario,
    list_scenarios,
    load_scenario,
    rename_scenario,
    save_scenario,
)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "s.duckdb"
    connection.connect(path).close()
    return path


def read(path):
    return state.reading(path)


def audit_actions(path) -> list[str]:
    return audit.trail(path)["action"].to_list()


def test_a_database_without_saved_scenarios_lists_none(db):
    with read(db) as con:
        assert list_scenarios(con).is_empty()
        with pytest.raises(ScenarioNotFound):
            load_scenario(con, "nope")


def test_save_then_load_returns_the_changes_and_who_saved_them(db):
    sid = save_scenario(
        db, "  Winter  surge ", {"discharges_per_week": 119.0}, description="March", user="ann"
    )
    with read(db) as con:
        saved = load_scenario(con, sid)
        listed = list_scenarios(con)
    assert saved["name"] == "Winter surge"
    assert saved["changes"] == {"discharges_per_week": 119.0}
    assert (saved["description"], saved["created_by"]) == ("March", "ann")
    assert listed["name"].to_list() == ["Winter surge"]
    assert audit_actions(db) == ["scenario_save"]


def test_duplicate_names_are_refused_unless_replacing(db):
    sid = save_scenario(db, "A", {"hours_per_person": 12.0}, user="ann")
    with pytest.raises(ValueError, match="already exists"):
        save_scenario(db, "a", {"hours_per_person": 11.0}, user="bob")
    again = save_scenario(db, "A", {"hours_per_person": 11.0}, user="bob", replace=True)
    assert again == sid
    with read(db) as con:
        assert load_scenario(con, sid)["changes"] == {"hours_per_person": 11.0}
        assert list_scenarios(con).height == 1


def test_rename_and_delete(db):
    first = save_scenario(db, "A", {}, user="ann")
    save_scenario(db, "B", {}, user="ann")
    with pytest.raises(ValueError, match="'B' already exists"):
        rename_scenario(db, first, "B", user="ann")
    rename_scenario(db, first, "Reviews to 12 hours", user="ann")
    with read(db) as con:
        assert load_scenario(con, first)["name"] == "Reviews to 12 hours"
    delete_scenario(db, first, user="ann")
    with read(db) as con:
        assert list_scenarios(con)["name"].to_list() == ["B"]
    with pytest.raises(ScenarioNotFound):
        delete_scenario(db, first, user="ann")
    assert audit_actions(db) == [
        "scenario_save",
        "scenario_save",
        "scenario_rename",
        "scenario_delete",
    ]


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_empty_or_long_names_are_refused(db, name):
    with pytest.raises(ValueError, match="name"):
        save_scenario(db, name, {}, user="ann")


def test_a_failed_save_leaves_the_database_unchanged(db):
    save_scenario(db, "A", {}, user="ann")
    with pytest.raises(ValueError):
        save_scenario(db, "A", {}, user="ann")
    assert audit_actions(db) == ["scenario_save"]


def test_a_save_leaves_the_extracts_database_untouched(db):
    before = (db.read_bytes(), db.stat().st_mtime_ns, db.stat().st_ino)
    sid = save_scenario(db, "A", {}, user="ann")
    rename_scenario(db, sid, "B", user="ann")
    delete_scenario(db, sid, user="ann")
    assert (db.read_bytes(), db.stat().st_mtime_ns, db.stat().st_ino) == before
    assert state.state_path(db).exists()
