"""Waterfall, drivers and trajectory on hand-built forecasts."""

import math

import pytest
from budget_frames import budget, care, care_segments, ledger, lines

from ascdemand.models.budget.drivers import WEEKS_IN_YEAR, drivers
from ascdemand.models.budget.outturn import BudgetInputs, Forecast
from ascdemand.models.budget.trajectory import forecasts_by_period, trajectory_table
from ascdemand.models.budget.waterfall import waterfall

LINES = lines(
    [
        ("homecare", 1000.0, 1300.0),
        ("staffing", 500.0, 450.0),
        ("reablement", 200.0, 200.0),
        ("grants", -300.0, -320.0),
    ]
)


def test_waterfall_steps_from_budget_to_outturn():
    """Budget 1,000 + 500 + 200 - 300 = 1,400; steps +300, -50, -20 (reablement is on budget
    and left out); outturn 1,630 = 1,400 + 230."""
    steps = waterfall(LINES)
    assert steps["label"].to_list() == [
        "Net budget",
        "Homecare",
        "Staffing",
        "Grants",
        "Forecast outturn",
    ]
    assert steps["measure"].to_list() == ["absolute", "relative", "relative", "relative", "total"]
    amounts = steps["amount"].to_list()
    assert amounts[0] == pytest.approx(1400)
    assert math.fsum(amounts[:-1]) == pytest.approx(amounts[-1], abs=1e-9)
    assert amounts[-1] == pytest.approx(1630)


def test_drivers_read_people_hours_and_unit_cost():
    """10 people all year: 10 x 365/7 person-weeks, 12 hours each, £20 an hour = £240 a
    person-week. A budget of 8 x 365/7 x 240 pays for 8 people: 2 over budget."""
    weeks = 10 * WEEKS_IN_YEAR
    forecast = Forecast(
        "2021/22",
        7,
        lines([("homecare", 8 * WEEKS_IN_YEAR * 240, 0.0)]),
        care_segments([("homecare", "homecare", 10.0, weeks, weeks * 12, weeks * 12 * 20)]),
    )
    row = drivers(forecast).row(0, named=True)
    assert row["average_people"] == pytest.approx(10)
    assert row["hours_per_person"] == pytest.approx(12)
    assert row["unit_cost"] == pytest.approx(20)
    assert row["cost_per_person_week"] == pytest.approx(240)
    assert row["budget_people"] == pytest.approx(8)
    assert row["people_over_budget"] == pytest.approx(2)


def test_placements_have_weekly_unit_cost_and_no_hours():
    forecast = Forecast(
        "2021/22",
        7,
        lines([("residential_nursing", 0.0, 0.0)]),
        care_segments([("temp", "residential_nursing", 3.0, 52.0, 0.0, 52 * 700.0)]),
    )
    row = drivers(forecast).row(0, named=True)
    assert row["hours_per_person"] is None
    assert row["unit_cost"] == pytest.approx(700)


def test_trajectory_uses_only_each_periods_actuals():
    """Staffing 100 in P1 then 160 in P2; budget 1,200. At P1: 100 x 12 = 1,200, on budget.
    At P2: 260 + (130 x 10) = 1,560, overspend 360, a change of +360."""
    book = ledger([(1, "staffing", 100.0, 0.0), (2, "staffing", 160.0, 0.0)])
    plan = budget({"staffing": 1200})
    inputs = [BudgetInputs("2021/22", p, book, plan, care([], period=p)) for p in (2, 1)]
    table = trajectory_table(forecasts_by_period(inputs))
    assert table["period"].to_list() == [1, 2]
    assert table["net_overspend"].to_list() == pytest.approx([0, 360])
    assert table["change"].to_list()[1] == pytest.approx(360)
