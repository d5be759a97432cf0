"""Mitigations, targets and added comparators: written to the app state (`store.state`), audited,
read back."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from ascdemand.briefing import comparators
from ascdemand.store import audit, state, writer
from ascdemand.store import briefing as store
from ascdemand.store.profile import save_shipped_profile


def _audit(path) -> list[tuple[str, str]]:
    return audit.trail(path).select("action", "detail").rows()


@pytest.fixture
def state_con():
    con = state.memory()
    yield con
    con.close()


def test_reads_work_on_an_empty_state(state_con):
    assert store.mitigations(state_con).is_empty()
    assert store.targets(state_con).is_empty()
    assert store.user_comparators(state_con).is_empty()


def test_mitigations_are_added_updated_deleted_and_audited(tmp_path):
    db = tmp_path / "b.duckdb"
    with state.transaction(db) as con:
        first = store.add_mitigation(
            con, action="  Review   two-carer packages ", owner="Ops", status="planned", user="amy"
        )
        second = store.add_mitigation(
            con, action="More reablement staff", owner="", status="in progress", user="amy"
        )
    with state.transaction(db) as con:
        store.set_mitigation_status(con, first, "done", user="bob")
        store.delete_mitigation(con, second, user="bob")
    with state.reading(db) as con:
        rows = store.mitigations(con).select("mitigation_id", "action", "owner", "status").rows()
    assert (first, second) == (1, 2)
    assert rows == [(1, "Review two-carer packages", "Ops", "done")]
    actions = [a for a, _ in _audit(db)]
    assert actions == [
        "mitigation_add",
        "mitigation_add",
        "mitigation_status",
        "mitigation_delete",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"action": "   ", "status": "planned"}, "cannot be empty"),
        ({"action": "x" * 301, "status": "planned"}, "at most 300"),
        ({"action": "ok", "status": "finished"}, "Status must be one of"),
    ],
)
def test_bad_mitigations_are_refused(state_con, kwargs, message):
    with pytest.raises(ValueError, match=message):
        store.add_mitigation(state_con, owner=None, user="amy", **kwargs)


def test_target_is_set_replaced_and_refused_for_unknown_measures(tmp_path):
    db = tmp_path / "t.duckdb"
    with state.transaction(db) as con:
        store.set_target(
            con,
            measure="temp_residential_people",
            target_value=400,
            baseline_value=700,
            due_date=dt.date(2022, 3, 31),
            note=None,
            user="director",
        )
        store.set_target(
            con,
            measure="temp_residential_people",
            target_value=350,
            baseline_value=700,
            due_date=None,
            note="pre-Covid level",
            user="director",
        )
        with pytest.raises(ValueError, match="Unknown measure"):
            store.set_target(
                con,
                measure="happiness",
                target_value=1,
                baseline_value=None,
                due_date=None,
                note=None,
                user="x",
            )
    with state.reading(db) as con:
        rows = store.targets(con).select("measure", "target_value", "note").rows()
    assert rows == [("temp_residential_people", 350.0, "pre-Covid level")]


def test_demo_profile_comparators_are_the_report_table(mem_con):
    """Seed 004 para 28: Leicestershire £151m, £37k, £485 - the lowest 65+ spend of six."""
    save_shipped_profile(mem_con, "leicestershire.toml", loaded_by="test")
    table = comparators.profile_comparators(mem_con)
    assert table.height == 6
    home = table.filter(table["council"] == "Leicestershire").row(0, named=True)
    assert (
        home["net_budget_2021_22_gbp_m"],
        home["gross_asc_spend_2019_20_per_1000_pop_gbp_k"],
        home["long_term_care_65plus_per_head_gbp"],
    ) == (151.0, 37.0, 485.0)
    assert table.sort("long_term_care_65plus_per_head_gbp")["council"][0] == "Leicestershire"


def test_added_comparators_show_alongside_and_replace_same_name(tmp_path):
    db = tmp_path / "c.duckdb"
    with writer.transaction(db) as con:
        save_shipped_profile(con, "leicestershire.toml", loaded_by="test")
    with state.transaction(db) as con:
        store.add_comparator(
            con,
            council="Staffordshire",
            values={"long_term_care_65plus_per_head_gbp": 600.0},
            source="RA return 2019/20",
            user="amy",
        )
        store.add_comparator(
            con,
            council="Derbyshire",
            values={"long_term_care_65plus_per_head_gbp": 780.0},
            source="corrected figure",
            user="amy",
        )
        with pytest.raises(ValueError, match="negative"):
            store.add_comparator(
                con, council="X", values={"net_budget_2021_22_gbp_m": -1}, source="s", user="a"
            )
    con = duckdb.connect(str(db), read_only=True)
    with state.reading(db) as app_state:
        table = comparators.all_comparators(con, app_state)
    con.close()
    assert table.height == 7
    added = table.filter(table["added"])
    assert sorted(added["council"]) == ["Derbyshire", "Staffordshire"]
    derby = table.filter(table["council"] == "Derbyshire")
    assert derby["long_term_care_65plus_per_head_gbp"].to_list() == [780.0]
