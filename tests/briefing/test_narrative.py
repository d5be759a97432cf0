"""The briefing's numbers are the store's numbers after disclosure control, in plain English."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pytest

from ascdemand import privacy
from ascdemand.briefing import facts as briefing_facts
from ascdemand.briefing import narrative
from ascdemand.models.budget.outturn import BudgetInputs
from ascdemand.store import briefing as store
from ascdemand.store import budget_inputs, state, writer
from ascdemand.store.meta import as_at_date, set_as_at_date


@pytest.fixture
def demo(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


def _one(con, sql: str, params: list) -> float:
    return con.execute(sql, params).fetchall()[0][0]


def test_narrative_numbers_equal_the_published_store_figures(demo):
    """Each figure is worked out here straight from the weekly views, then published by hand:
    counts to the nearest 5, the average to the nearest half hour, hours as the published
    count times the published average, discharges as the published 4-week total over 4. (Money is worked by hand on a store of ledger lines alone, below.)"""
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
    mean = round(hours / people * 2) / 2
    assert f"per week: {privacy.publish_count(people) * mean:,.0f} hours a week" in text
    assert f"per person per week: {mean:,.1f} hours" in text
    assert f"People in temporary residential care: {privacy.publish_count(temp):,}." in text
    assert f"(4-week average): {privacy.publish_count(four_weeks) / 4:,.0f} a week" in text
    assert re.search(r"forecasts a net (over|under)spend of £[\d,]+\.\d million", text)


# A store of four ledger lines for 2021/22 and nothing else but one discharge (the briefing
# needs a week of data): (budget, actual spend a period, income a period) in £, periods 1-7.
LEDGER_ONLY = {
    "homecare": (12_000_000.0, 1_250_000.0, 0.0),
    "day_care": (1_200_000.0, 80_000.0, 0.0),
    "grants": (-600_000.0, 0.0, 50_000.0),
    "nhs_one_off_transfer": (-1_200_000.0, 0.0, 100_000.0),
}


@pytest.fixture
def ledger_only(tmp_path):
    db = tmp_path / "ledger.duckdb"
    with writer.transaction(db) as con:
        con.executemany(
            "INSERT INTO budget_lines (financial_year, service_line, budget) VALUES (?, ?, ?)",
            [("2021/22", line, budget) for line, (budget, _, _) in LEDGER_ONLY.items()],
        )
        con.executemany(
            "INSERT INTO ledger (financial_year, period, service_line, actual_spend, income) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                ("2021/22", period, line, spend, income)
                for period in range(1, 8)
                for line, (_, spend, income) in LEDGER_ONLY.items()
            ],
        )
        con.execute(
            "INSERT INTO discharges (discharge_id, person_id, discharge_date, district, "
            "hospital_trust, pathway, outcome) "
            "VALUES ('D1', 'P1', DATE '2021-10-25', 'Melton', 'RWE', 'P1', 'homecare')"
        )
        set_as_at_date(con, dt.date(2021, 10, 31))
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_money_worked_by_hand(ledger_only):
    """As at 31 October 2021 the last closed period is 7 (October); 5 periods remain. With no
    care records every spend line runs on at the median of periods 5-7; grants come in as
    budgeted; the NHS one-off transfer only as received.

    - Homecare: 7 x 1.25m = 8.75m so far + 5 x 1.25m = 15.0m against 12.0m: 3.0m over.
    - Day care: 7 x 80k = 560k + 5 x 80k = 960k against 1.2m: 240k under.
    - Grants: 7 x -50k = -350k + 5/12 of the -600k budget (-250k) = -600k: on budget.
    - NHS one-off transfer: 7 x -100k = -700k against -1.2m: 500k less than budgeted.
    Net: 3.0m - 240k + 0 + 500k = 3.26m, '£3.3 million'. At period 6 the same sums give
    homecare 3.0m over, day care 240k under and the transfer 1.2m - 600k = 600k short: 3.36m,
    so period 7 is 100k better, all of it the transfer's income.
    """
    facts = briefing_facts.gather(ledger_only, dt.date(2021, 10, 31))
    assert facts.money.net_overspend == pytest.approx(3_260_000.0)
    assert facts.money.change == pytest.approx(-100_000.0)
    text = narrative.as_text(narrative.build_narrative(facts))
    assert "The forecast net overspend for 2021/22 is £3.3 million." in text
    assert (
        "At period 7 (the end of October 2021) the department forecasts a net overspend of "
        "£3.3 million for the 2021/22 financial year." in text
    )
    assert "That is £0.1 million better than the forecast a month earlier (period 6)." in text
    assert (
        "The main pressures are homecare (£3.0 million over budget) and National Health "
        "Service (NHS) one-off transfer (£0.5 million less than budgeted)." in text
    )
    assert "They are partly offset by day care (£0.2 million under budget)." in text


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
    with state.transaction(small_db_copy) as con:
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
    with state.reading(small_db_copy) as app_state:
        facts = briefing_facts.gather(con, dt.date(2021, 10, 31), state=app_state)
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
