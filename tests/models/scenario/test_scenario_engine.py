"""The weekly flow model: conservation of people, Little's law, capacity limits, year end."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ascdemand.models.scenario.engine import (
    STOCKS,
    financial_year_end,
    run_scenario,
    simulate,
    year_end_weights,
)
from ascdemand.models.scenario.params import ScenarioParams

ONLY_P1_HOMECARE = (
    (1.0, 0.0, 0.0, 0.0, 0.0),
    (0.0, 0.0, 1.0, 0.0, 0.0),
    (0.0, 0.0, 0.0, 1.0, 0.0),
    (0.0, 0.0, 0.0, 1.0, 0.0),
    (0.0, 0.0, 1.0, 0.0, 0.0),
)


def empty_system(**changes) -> ScenarioParams:
    """No one in any stock, no arrivals, generous capacity: each test adds what it needs."""
    base = ScenarioParams(
        discharges_per_week=0.0,
        community_referrals_per_week=0.0,
        share_p0=0.0,
        share_p1=1.0,
        share_p2=0.0,
        share_p3=0.0,
        routes=ONLY_P1_HOMECARE,
        homecare_capacity_hours=1e6,
        opening_homecare=0.0,
        opening_reablement=0.0,
        opening_waiting=0.0,
        opening_temporary=0.0,
        opening_permanent=0.0,
    )
    return base.replace(**changes)


def total_stock(frame) -> np.ndarray:
    return sum(frame[name].to_numpy() for name in STOCKS)


@pytest.mark.parametrize(
    "params",
    [
        ScenarioParams(),
        ScenarioParams(homecare_capacity_hours=20_000.0, reablement_starts_per_week=5.0),
        ScenarioParams(discharges_per_week=300.0, hours_per_person=20.0, opening_waiting=80.0),
    ],
    ids=["default", "short-capacity", "surge"],
)
def test_people_in_equals_people_out_plus_change_in_stock(params):
    """Every week: arrivals - departures = stock at end of week - stock at end of last week."""
    frame = run_scenario(params, 52)
    stock = total_stock(frame)
    opening = (
        params.opening_reablement
        + params.opening_homecare
        + params.opening_waiting
        + params.opening_temporary
        + params.opening_permanent
    )
    change = np.diff(stock, prepend=opening)
    balance = frame["arrivals"].to_numpy() - frame["departures"].to_numpy()
    np.testing.assert_allclose(balance, change, rtol=0, atol=1e-8 * opening)


def test_littles_law_in_steady_state():
    """10 P1 discharges a week into homecare lasting 50 weeks: stock = 10 x 50 = 500, and a
    system that starts at 500 stays there (500 - 500/50 + 10 = 500); 12 hours each = 6,000 h."""
    params = empty_system(
        discharges_per_week=10.0, homecare_weeks=50.0, hours_per_person=12.0, opening_homecare=500
    )
    frame = run_scenario(params, 52)
    assert frame["homecare"].to_list() == pytest.approx([500.0] * 52)
    assert frame["homecare_hours"].to_list() == pytest.approx([6_000.0] * 52)
    assert frame["temporary"].to_list() == pytest.approx([0.0] * 52)


def test_temporary_beds_fill_towards_arrivals_times_stay():
    """20 P2 discharges a week, 4-week stays, from empty: 20, then 20 x 0.75 + 20 = 35, then
    35 x 0.75 + 20 = 46.25; after 52 weeks within 0.1 of 20 x 4 = 80 (0.75^52 x 80 < 0.0003)."""
    params = empty_system(
        discharges_per_week=20.0,
        share_p1=0.0,
        share_p2=1.0,
        temporary_weeks=4.0,
        temporary_to_permanent_share=0.0,
        temporary_to_homecare_share=0.0,
    )
    temp = run_scenario(params, 52)["temporary"].to_list()
    assert temp[:3] == pytest.approx([20.0, 35.0, 46.25])
    assert temp[-1] == pytest.approx(80.0, abs=0.1)


def test_homecare_shortfall_sends_discharges_to_temporary_care():
    """Capacity 1,000 h at 10 h each = 100 people, all filled; 100/50 = 2 leave a week, so 2 of
    10 discharges start homecare; of the 8 left, 0.75 x 8 = 6 go to a temporary bed, 2 wait."""
    params = empty_system(
        discharges_per_week=10.0,
        homecare_capacity_hours=1_000.0,
        hours_per_person=10.0,
        homecare_weeks=50.0,
        opening_homecare=100.0,
        shortfall_to_temporary_share=0.75,
        waiting_weeks=100.0,
    )
    frame = run_scenario(params, 1)
    assert frame["homecare_starts"][0] == pytest.approx(2.0)
    assert frame["diverted_to_temporary"][0] == pytest.approx(6.0)
    assert frame["temporary"][0] == pytest.approx(6.0)
    assert frame["waiting"][0] == pytest.approx(2.0)
    assert frame["unmet_hours"][0] == pytest.approx(20.0)
    assert frame["homecare"][0] == pytest.approx(100.0)


def test_reablement_overflow_and_outcomes():
    """30 P1 discharges all meant for reablement, 20 starts a week: 20 start and 10 need homecare
    at once. Week 2: 20/4 = 5 finish; 60% of them (3) need homecare, 2 leave with none."""
    routes = list(ONLY_P1_HOMECARE)
    routes[1] = (0.0, 1.0, 0.0, 0.0, 0.0)
    params = empty_system(
        discharges_per_week=30.0,
        routes=tuple(routes),
        reablement_starts_per_week=20.0,
        reablement_weeks=4.0,
        reablement_independent_share=0.4,
        homecare_weeks=1_000.0,
    )
    frame = run_scenario(params, 2)
    assert frame["reablement"].to_list() == pytest.approx([20.0, 35.0])
    # week 1: 10 overflow; week 2: 10 overflow + 3 after reablement + 10 x (1 - 1/1000) kept
    assert frame["homecare"].to_list() == pytest.approx([10.0, 10.0 * 0.999 + 13.0])


def test_people_ready_to_go_home_stay_in_temporary_care_without_homecare():
    """100 in temporary beds, 10-week stays: 10 leave a week, 40% (4) need homecare. With no
    homecare capacity they stay: 100 - 10 + 4 = 94; with capacity they go home: 90."""
    params = empty_system(
        opening_temporary=100.0,
        temporary_weeks=10.0,
        temporary_to_homecare_share=0.4,
        temporary_to_permanent_share=0.0,
    )
    assert run_scenario(params, 1)["temporary"][0] == pytest.approx(90.0)
    blocked = params.replace(homecare_capacity_hours=0.0)
    assert run_scenario(blocked, 1)["temporary"][0] == pytest.approx(94.0)


def test_spend_is_stock_times_unit_cost():
    """500 people x 12 h x £20 = £120,000 a week; 80 beds x (£615 + 0.5 x £200) = £57,200."""
    params = empty_system(
        discharges_per_week=10.0,
        homecare_weeks=50.0,
        hours_per_person=12.0,
        opening_homecare=500,
        homecare_hourly_rate=20.0,
        opening_permanent=80.0,
        permanent_weeks=2_000.0,
        residential_weekly_rate=615.0,
        additional_payment_share=0.5,
        additional_payment_weekly=200.0,
    )
    frame = run_scenario(params, 1)
    assert frame["spend_homecare"][0] == pytest.approx(120_000.0)
    assert frame["spend_permanent"][0] == pytest.approx(79.96 * 715.0)


def test_year_end_weights_stop_on_31_march():
    """From Monday 4 October 2021 there are 28 + 30 + 31 + 31 + 28 + 31 = 179 days to 31 March
    2022 inclusive: 25 full weeks
    (175 days) then 4 days (weight 4/7) of the 26th week, then nothing."""
    assert financial_year_end(dt.date(2021, 10, 4)) == dt.date(2022, 3, 31)
    assert financial_year_end(dt.date(2022, 2, 1)) == dt.date(2022, 3, 31)
    weights = year_end_weights(dt.date(2021, 10, 4), 52)
    assert weights[:25].tolist() == [1.0] * 25
    assert weights[25] == pytest.approx(4 / 7)
    assert weights[26:].sum() == 0.0


def test_year_end_total_is_weighted_sum_of_weekly_spend():
    """The year-end total is the weekly spend summed over the weeks before 31 March."""
    trajectory = simulate(ScenarioParams(), 52)
    weekly = trajectory.frame()["spend_total"].to_numpy()
    expected = weekly[:25].sum() + weekly[25] * 4 / 7
    assert trajectory.year_end_totals()["spend_total"][0] == pytest.approx(expected)


def test_horizon_and_arrivals_are_checked():
    with pytest.raises(ValueError, match="Horizon must be between 1 and 52"):
        simulate(ScenarioParams(), 53)
    with pytest.raises(ValueError, match="Arrivals must have shape"):
        simulate(ScenarioParams(), 4, arrivals=np.ones((3, 5)))


def test_scarce_homecare_is_shared_between_hospital_and_waiting_list():
    """2 free places (100 people at capacity, 2 leave), 10 discharges needing homecare and 10
    already waiting, of whom 10 / 100 = 0.1 give up: the 2 places go 2 / 19.9 to each group.
    Of the 10 x (1 - 2/19.9) discharges left, 50% go to temporary care and 50% wait."""
    params = empty_system(
        discharges_per_week=10.0,
        homecare_capacity_hours=1_000.0,
        hours_per_person=10.0,
        homecare_weeks=50.0,
        opening_homecare=100.0,
        opening_waiting=10.0,
        waiting_weeks=100.0,
        shortfall_to_temporary_share=0.5,
    )
    frame = run_scenario(params, 1)
    share = 2 / 19.9
    assert frame["homecare_starts"][0] == pytest.approx(2.0)
    assert frame["diverted_to_temporary"][0] == pytest.approx(0.5 * 10 * (1 - share))
    assert frame["waiting"][0] == pytest.approx(9.9 * (1 - share) + 0.5 * 10 * (1 - share))
