"""Forecast outturn on a hand-built ledger whose answer is worked out in each docstring."""

import math
from datetime import date

import pytest
from budget_frames import budget, care, ledger

from ascdemand.models.budget.mtfs import MtfsAssumptions
from ascdemand.models.budget.outturn import BudgetInputs, forecast_outturn, position

LEDGER = ledger(
    [
        (1, "homecare", 300.0, 0.0),
        (2, "homecare", 330.0, 0.0),
        (3, "homecare", 9999.0, 0.0),  # after the as-at period: must be ignored
        (1, "staffing", 500.0, 0.0),
        (2, "staffing", 700.0, 0.0),
        (1, "client_contributions", 0.0, 100.0),
        (2, "client_contributions", 0.0, 200.0),
        (1, "grants", 0.0, 100.0),
        (2, "grants", 0.0, 100.0),
        (2, "nhs_one_off_transfer", 0.0, 50.0),
    ]
)
BUDGET = budget(
    {
        "homecare": 3500,
        "staffing": 6000,
        "client_contributions": -1800,
        "grants": -1200,
        "nhs_one_off_transfer": 0,
    }
)
# One open homecare package since January at £70 a week; nobody left or started recently.
CARE = care([("homecare", date(2021, 1, 1), None, 70.0, 7.0)], period=2)


@pytest.fixture
def lines():
    forecast = forecast_outturn(BudgetInputs("2021/22", 2, LEDGER, BUDGET, CARE))
    return {r["service_line"]: r for r in forecast.lines.iter_rows(named=True)}


def test_care_line_is_actuals_plus_committed_cost_to_year_end(lines):
    """Actuals 300 + 330 = 630, of which the package's 61 days at £10 a day = 610 and 20 not
    in the care records (10 a period, run on: 10 x 10 = 100). The package runs 1 June -
    31 March = 304 days = 3,040 (no exits seen, so it stays); no recent starts.
    Outturn 630 + 3,040 + 100 = 3,770 against 3,500."""
    row = lines["homecare"]
    assert row["actual_to_date"] == pytest.approx(630)
    assert row["committed"] == pytest.approx(3040)
    assert row["new_demand"] == 0
    assert row["run_rate"] == pytest.approx(100)
    assert row["outturn"] == pytest.approx(3770)
    assert row["variance"] == pytest.approx(270)


def test_non_care_line_runs_on_at_recent_average(lines):
    """Staffing: (500 + 700) / 2 = 600 a period for 10 more periods: 1,200 + 6,000 = 7,200."""
    assert lines["staffing"]["outturn"] == pytest.approx(7200)
    assert lines["staffing"]["variance"] == pytest.approx(1200)
    assert lines["staffing"]["recurrent"] is False


def test_income_is_negative_and_follows_its_method(lines):
    """Contributions: -300 to date, then -150 x 10 = -1,800 (on budget). Grants come as
    allocated: -200 + (-1,200 x 10/12) = -1,200. The one-off transfer is only what came: -50."""
    assert lines["client_contributions"]["outturn"] == pytest.approx(-1800)
    assert lines["grants"]["outturn"] == pytest.approx(-1200)
    assert lines["nhs_one_off_transfer"]["outturn"] == pytest.approx(-50)
    assert lines["nhs_one_off_transfer"]["variance"] == pytest.approx(-50)


def test_position_splits_gross_offsets_and_net(lines):
    """Gross = 270 + 1,200 = 1,470; offsets = -50 (income over budget); net = 1,420."""
    forecast = forecast_outturn(BudgetInputs("2021/22", 2, LEDGER, BUDGET, CARE))
    summary = position(forecast.lines)
    assert summary.gross_overspend == pytest.approx(1470)
    assert summary.offsets == pytest.approx(-50)
    assert summary.net_overspend == pytest.approx(1420)
    assert summary.recurrent == pytest.approx(270)
    assert summary.non_recurrent == pytest.approx(1150)


def test_full_year_effect_of_care_is_year_end_caseload_against_next_budget():
    """The package still runs on 31 March: 70 x 365/7 = 3,650 a year, plus 12 x 10 of spend
    beyond the records = 3,770, against 3,500 rolled forward by (1.02 x 1.03) = 3,677.1:
    92.9. Non-recurrent staffing carries nothing."""
    mtfs = MtfsAssumptions(demographic_growth=0.02, cost_inflation=0.03)
    forecast = forecast_outturn(BudgetInputs("2021/22", 2, LEDGER, BUDGET, CARE), mtfs)
    lines = {r["service_line"]: r for r in forecast.lines.iter_rows(named=True)}
    assert lines["homecare"]["full_year_effect"] == pytest.approx(3770 - 3500 * 1.02 * 1.03)
    assert lines["staffing"]["full_year_effect"] == 0


def test_exits_at_the_observed_rate_shorten_committed_cost():
    """Temporary beds at £700 a week, as at 31 May. A stayed 2 Mar - 10 Apr (40 days, left),
    B is in since 1 May (31 days): exit rate 1/71 a day. B's expected cost over the 304 days
    left: 100 x 71 x (1 - exp(-304/71)). Both started in the last 91 days: 2/91 starts a day,
    each costing 100 a day, expected 100 x 2/91 x (304 x 71 - 71^2 x (1 - exp(-304/71)))."""
    rows = care(
        [
            ("temporary_placement", date(2021, 3, 2), date(2021, 4, 10), 700.0, None),
            ("temporary_placement", date(2021, 5, 1), None, 700.0, None),
        ],
        period=2,
    )
    forecast = forecast_outturn(
        BudgetInputs("2021/22", 2, ledger([]), budget({"residential_nursing": 0}), rows)
    )
    row = forecast.lines.row(0, named=True)
    stay = 1 - math.exp(-304 / 71)
    assert row["committed"] == pytest.approx(100 * 71 * stay)
    assert row["new_demand"] == pytest.approx(100 * 2 / 91 * (304 * 71 - 71**2 * stay))


def test_planned_end_stops_the_cost_with_no_exit_assumption():
    """A package planned to end on 30 June costs 1 - 30 June only: 30 days x £10 = 300."""
    rows = care([("homecare", date(2020, 1, 1), date(2021, 6, 30), 70.0, 7.0)], period=2)
    forecast = forecast_outturn(BudgetInputs("2021/22", 2, ledger([]), budget({}), rows))
    assert forecast.lines.row(0, named=True)["committed"] == pytest.approx(300)


def test_long_stayers_keep_their_own_low_exit_rate():
    """As at 31 May, A stayed 1-20 May (an early exit: 1 in 20 days); B has been in care
    since January 2020 with no exit in 365 settled days: late rate 0, so B costs the full
    304 days x £10 = 3,040. Starts: A alone, 1/91 a day at £10 a day; each start spends up
    to 42 days at 1/20 then stays: 42 x 20 - 400 (1 - e^-2.1) + 262 x 20 (1 - e^-2.1)
    + e^-2.1 x 262^2 / 2 care days per start-a-day."""
    rows = care(
        [
            ("homecare", date(2021, 5, 1), date(2021, 5, 20), 70.0, 7.0),
            ("homecare", date(2020, 1, 1), None, 70.0, 7.0),
        ],
        period=2,
    )
    forecast = forecast_outturn(BudgetInputs("2021/22", 2, ledger([]), budget({}), rows))
    row = forecast.lines.row(0, named=True)
    leave = 1 - math.exp(-2.1)
    days = 42 * 20 - 400 * leave + 262 * 20 * leave + math.exp(-2.1) * 262**2 / 2
    assert row["committed"] == pytest.approx(3040)
    assert row["new_demand"] == pytest.approx(10 * days / 91)
