"""Properties over many parameter sets: more demand or less capacity never helps."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ascdemand.models.scenario.engine import STOCKS, run_scenario, simulate
from ascdemand.models.scenario.params import ScenarioParams

scenario = st.builds(
    ScenarioParams,
    discharges_per_week=st.floats(0, 400),
    community_referrals_per_week=st.floats(0, 200),
    reablement_starts_per_week=st.floats(0, 100),
    reablement_weeks=st.floats(1, 12),
    reablement_independent_share=st.floats(0, 1),
    homecare_capacity_hours=st.floats(0, 60_000),
    hours_per_person=st.floats(2, 30),
    homecare_weeks=st.floats(1, 200),
    shortfall_to_temporary_share=st.floats(0, 1),
    waiting_weeks=st.floats(1, 52),
    temporary_weeks=st.floats(1, 40),
    temporary_to_permanent_share=st.floats(0, 0.5),
    temporary_to_homecare_share=st.floats(0, 0.5),
    opening_homecare=st.floats(0, 5_000),
    opening_waiting=st.floats(0, 300),
    opening_temporary=st.floats(0, 800),
)
TOL = 1e-7


@settings(max_examples=150, deadline=None)
@given(params=scenario, extra=st.floats(0, 200))
def test_more_discharges_never_give_fewer_homecare_hours_when_capacity_allows(params, extra):
    roomy = params.replace(homecare_capacity_hours=1e6)
    base = run_scenario(roomy, 52)["homecare_hours"].to_numpy()
    more = run_scenario(roomy.replace(discharges_per_week=roomy.discharges_per_week + extra), 52)[
        "homecare_hours"
    ].to_numpy()
    assert np.all(more >= base - TOL * (1 + base)), (base - more).max()


@settings(max_examples=150, deadline=None)
@given(params=scenario, cut=st.floats(0, 1))
def test_less_homecare_capacity_never_gives_fewer_temporary_beds(params, cut):
    base = run_scenario(params, 52)["temporary"].to_numpy()
    less = run_scenario(
        params.replace(homecare_capacity_hours=params.homecare_capacity_hours * cut), 52
    )["temporary"].to_numpy()
    assert np.all(less >= base - TOL * (1 + base)), (base - less).max()


@settings(max_examples=100, deadline=None)
@given(
    params=scenario,
    arrivals=st.lists(st.floats(0, 300), min_size=5 * 12, max_size=5 * 12),
)
def test_people_are_conserved_for_any_parameters_and_arrivals(params, arrivals):
    """Arrivals - departures = change in the total of the five stocks, every week."""
    weekly = np.array(arrivals).reshape(12, 5)
    frame = simulate(params, 12, arrivals=weekly).frame()
    stock = sum(frame[name].to_numpy() for name in STOCKS)
    opening = sum(getattr(params, f"opening_{name}") for name in STOCKS)
    change = np.diff(stock, prepend=opening)
    balance = frame["arrivals"].to_numpy() - frame["departures"].to_numpy()
    np.testing.assert_allclose(balance, change, atol=1e-9 * (1 + opening + weekly.sum()))
    for name in STOCKS:
        assert frame[name].min() >= -1e-9, name
