"""The briefing's numbers are the store's numbers after disclosure control, in plain English."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pytest

from ascdemand import privacy
from ascdemand.briefing import facts as briefing_facts
from ascdemand.briefing import narrative
from ascdemand.models.budget.outturn import BudgetInputs, forecast_outturn, position
from ascdemand.store import briefing as store
from ascdemand.store import budget_inputs, writer
from ascdemand.store.meta import as_at_date


@pytest.fixture
def demo(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


def _one(con, sql: str, params: list) -> float:
    return con.execute(sql, params).fetchall()[0][0]


def test_narrative_numbers_equal_the_published_store_figures(demo):
    """Each figure is worked out here straight from the weekly views, then published by hand:
    counts to the nearest 5, hours to the nearest 10, discharges as the published 4-week total
    over 4; money from the budget model at the last closed period."""
    as_at = as_at_date(demo)
    week = _one(demo, "SELECT max(week_start) FROM calendar_weeks WHERE week_start <= ?", [as_at])
    base = _one(
        demo,
        "SELECT max(week_start) FROM calendar_weeks WHERE week_start <= ?",
        [dt.date(2020, 3, 1)],
    )
    people = _one(demo, "SELECT sum(people) FROM homecare_weekly WHERE week_start = ?", [week])
    hours = _one(demo, "SELECT sum(hours) FROM homecare_weekly WHERE week_start = ?", [week])
    people_base = _one(demo, "SELECT sum(people) FROM homecare_weekly WHERE week_start = ?", [base])
    temp = _one(
        demo, "SELECT sum(people) FROM temp_residential_weekly WHERE week_start = ?", [week]
    )
    four_weeks = _one(
        demo,
        "SELECT sum(to_social_care) FROM discharges_weekly WHERE week_start > ? AND week_start <= ?",
        [week - dt.timedelta(days=28), week],
    )
    facts = briefing_facts.gather(demo, as_at)
    text = narrative.as_text(narrative.build_narrative(facts))

    assert f"People receiving homecare: {privacy.publish_count(people):,}." in text
    assert f"it was {privacy.publish_count(people_base):,}, so" in text
    assert f"per week: {round(hours / 10) * 10:,.0f} hours a week" in text
    assert f"People in temporary residential care: {privacy.publish_count(temp):,}." in text
    assert f"(4-week average): {privacy.publish_count(four_weeks) / 4:,.0f} a week" in text

    year, period = "2021/22", min(7, budget_inputs.last_period(demo, "2021/22"))
    frames = budget_inputs.budget_inputs(demo, year, period)
    net = position(forecast_outturn(BudgetInputs(year, period, **frames)).lines).net_overspend
    word = "overspend" if net >= 0 else "underspend"
    assert f"net {word} of £{abs(net) / 1e6:,.1f} million" in text


def test_suppressed_figures_read_as_words(small_db):
    """Melton has 4 people in homecare (conftest): the text says 'fewer than 8' and hides
    the average hours (over fewer than 8 people)."""
    con = duckdb.connect(str(small_db), read_only=True)
    facts = briefing_facts.gather(con, dt.date(2021, 10, 31), ("Melton",))
    con.close()
    text = narrative.as_text(narrative.build_narrative(facts))
    assert "People receiving homecare: fewer than 8." in text
    assert "Average homecare hours per person per week: not shown" in text
    assert facts.area == "Melton"


def test_tables_hold_only_published_counts(small_db):
    """Every count cell is hidden, 0 or a multiple of 5 from 10 up; a line with a published
    total never hides exactly one cell."""
    con = duckdb.connect(str(small_db), read_only=True)
    facts = briefing_facts.gather(con, dt.date(2021, 10, 31))
    con.close()
    for table in (facts.by_district, facts.by_pathway):
        privacy.assert_aggregate(table)
        counts = table.drop("district")
        for value in (v for row in counts.rows() for v in row):
            assert value is None or value == 0 or (value >= 10 and value % 5 == 0), value
    body = facts.by_pathway.drop("district", "All pathways").rows()
    totals = facts.by_pathway["All pathways"].to_list()
    for row, total in zip(body, totals, strict=True):
        assert total is None or sum(v is None for v in row) != 1, (row, total)
    assert any(v is None for row in body for v in row), "the small store has small cells"


def test_target_progress_worked_example():
    """Baseline 700, target 400, now 550: (700 - 550) / (700 - 400) = 50%."""
    assert briefing_facts.target_progress(550, 700, 400) == 50.0
    assert briefing_facts.target_progress(800, 700, 400) == -33.0
    assert briefing_facts.target_progress(None, 700, 400) is None
    assert briefing_facts.target_progress(500, None, 400) is None


def test_actions_and_targets_appear_with_acronyms_spelled_out(small_db_copy):
    with writer.transaction(small_db_copy) as con:
        store.add_mitigation(
            con,
            action="More HART reablement capacity",
            owner="Head of HART",
            status="planned",
            user="t",
        )
        store.set_target(
            con,
            measure="net_overspend_gbp_m",
            target_value=0.0,
            baseline_value=5.0,
            due_date=dt.date(2022, 3, 31),
            note=None,
            user="t",
        )
    con = duckdb.connect(str(small_db_copy), read_only=True)
    facts = briefing_facts.gather(con, dt.date(2021, 10, 31))
    con.close()
    text = narrative.as_text(narrative.build_narrative(facts))
    assert (
        "More Home Care and Reablement Team (HART) reablement capacity (planned, Head of HART)"
        in text
    )
    assert "Forecast net overspend: target £0.0 million by 31 March 2022" in text
    for short, full in narrative.ACRONYMS.items():
        first = re.search(rf"(?<!\w){short}(?!\w)", text)
        if first:
            assert text[: first.start()].endswith(f"{full} (") or text[: first.start()].endswith(
                f"{full}, "
            ), short


def test_percent_change_words():
    assert narrative.percent_change(2380, 1800) == "up 32%"
    assert narrative.percent_change(500, 700) == "down 29%"
    assert narrative.percent_change(100, 100) == "about the same"
    assert narrative.percent_change(None, 100) is None


def test_money_from_the_apps_cached_forecasts_equals_money_computed_here(demo):
    """The app hands the briefing the Budget page's period-by-period forecasts instead of
    recomputing them; the published money must be the same either way."""
    from ascdemand.briefing.money import money_position
    from ascdemand.models.budget.trajectory import forecasts_by_period

    def supplied(year: str, through: int):
        return forecasts_by_period(
            BudgetInputs(year, p, **budget_inputs.budget_inputs(demo, year, p))
            for p in range(1, through + 1)
        )

    as_at = as_at_date(demo)
    own = money_position(demo, as_at)
    shared = money_position(demo, as_at, forecasts_by_period=supplied)
    assert own is not None and shared is not None
    assert shared.headline == own.headline
    assert shared.trajectory.equals(own.trajectory)
    assert shared.change_reasons.equals(own.change_reasons)
