"""Monte Carlo runs: reproducible by seed, bands around the deterministic run, fast enough."""

from __future__ import annotations

import time

import numpy as np
import pytest

from ascdemand.models.scenario.engine import STOCKS, run_scenario
from ascdemand.models.scenario.montecarlo import (
    Uncertainty,
    bands,
    run_many,
    year_end_bands,
)
from ascdemand.models.scenario.params import ScenarioParams


def test_same_seed_gives_identical_runs_and_another_seed_does_not():
    params = ScenarioParams()
    first = run_many(params, 26, runs=50, seed=7)
    again = run_many(params, 26, runs=50, seed=7)
    other = run_many(params, 26, runs=50, seed=8)
    for name, values in first.series.items():
        np.testing.assert_array_equal(values, again.series[name], err_msg=name)
    assert not np.array_equal(first.series["temporary"], other.series["temporary"])


def test_every_run_conserves_people():
    """Per run and week: arrivals - departures = change of the total stock."""
    params = ScenarioParams()
    trajectory = run_many(params, 52, runs=200, seed=1)
    stock = sum(trajectory.series[name] for name in STOCKS)
    opening = sum(getattr(params, f"opening_{name}") for name in STOCKS)
    change = np.diff(stock, axis=1, prepend=np.full((200, 1), opening))
    balance = trajectory.series["arrivals"] - trajectory.series["departures"]
    np.testing.assert_allclose(balance, change, atol=1e-6)


def test_no_uncertainty_reproduces_the_deterministic_run():
    params = ScenarioParams()
    trajectory = run_many(params, 52, runs=3, uncertainty=Uncertainty(0.0, random_arrivals=False))
    expected = run_scenario(params, 52)["temporary"].to_numpy()
    for run in range(3):
        np.testing.assert_allclose(trajectory.series["temporary"][run], expected)


def test_bands_bracket_the_mean_and_widen_with_time():
    frame = bands(run_many(ScenarioParams(), 52, runs=300, seed=3), ("temporary",))
    assert frame.height == 52
    assert (frame["lo_80"] <= frame["mean"]).all() and (frame["mean"] <= frame["hi_80"]).all()
    width = (frame["hi_80"] - frame["lo_80"]).to_numpy()
    assert width[-1] > width[0] > 0


def test_arrivals_average_their_expected_level():
    """500 runs x 52 weeks of 105 discharges a week: the mean is within 0.5 of 105."""
    params = ScenarioParams(discharges_per_week=105.0, community_referrals_per_week=0.0)
    trajectory = run_many(params, 52, runs=500, seed=2)
    assert trajectory.series["arrivals"].mean() == pytest.approx(105.0, abs=0.5)


def test_year_end_bands_cover_each_spend_line():
    frame = year_end_bands(run_many(ScenarioParams(), 52, runs=100, seed=4))
    assert frame["series"].to_list()[-1] == "spend_total"
    assert (frame["lo_80"] <= frame["hi_80"]).all()


def test_runs_and_spread_are_checked():
    with pytest.raises(ValueError, match="'runs' must be at least 1"):
        run_many(ScenarioParams(), runs=0)
    with pytest.raises(ValueError, match="'relative_sd' must be between 0 and 1"):
        Uncertainty(relative_sd=2.0)


def test_speed_deterministic_under_50ms_and_500_runs_under_1s():
    """The page's budget: a slider change re-runs both."""
    params = ScenarioParams()
    run_scenario(params, 52)
    run_many(params, 52, runs=10)
    started = time.perf_counter()
    for _ in range(10):
        run_scenario(params, 52)
    deterministic = (time.perf_counter() - started) / 10
    started = time.perf_counter()
    bands(run_many(params, 52, runs=500, seed=1))
    monte_carlo = time.perf_counter() - started
    assert deterministic < 0.05, f"deterministic run took {deterministic * 1000:.1f} ms"
    assert monte_carlo < 1.0, f"500 runs took {monte_carlo * 1000:.0f} ms"
