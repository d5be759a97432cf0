"""A scenario's effect on the outturn and next year, worked by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from ascdemand.models.scenario.engine import Trajectory
from ascdemand.models.scenario.outturn_effect import outturn_effect


def _run(spend: list[list[float]], weights: list[float]) -> Trajectory:
    weeks = [dt.date(2022, 3, 7) + dt.timedelta(weeks=i) for i in range(len(weights))]
    return Trajectory(
        week_start=weeks,
        series={"spend_total": np.array(spend, dtype=float)},
        year_end_weight=np.array(weights),
    )


def test_two_weeks_by_hand():
    """Baseline 100, 100; scenario 90, 80: -30 this year; last week -20 x 52 = -1,040."""
    effect = outturn_effect(_run([[100, 100]], [1, 1]), _run([[90, 80]], [1, 1]))
    assert effect.this_year == -30
    assert effect.full_year_next == -1040
    assert effect.range80 == (-30, -30)


def test_weeks_after_31_march_count_next_year_only():
    """Weeks 1-2 before 31 March (weights 1, 1), week 3 after (0): this year counts the first
    two differences (-10, -10), the full-year effect the last week before the year end."""
    effect = outturn_effect(_run([[100, 100, 100]], [1, 1, 0]), _run([[90, 90, 50]], [1, 1, 0]))
    assert effect.this_year == -20
    assert effect.full_year_next == -10 * 52
    assert effect.weeks_to_year_end == 2


def test_range_over_runs():
    """Differences -10, -20, -30, -40 over four runs: mean -25, 10th and 90th percentiles
    -37 and -13."""
    base = _run([[0.0]] * 4, [1])
    scenario = _run([[-10.0], [-20.0], [-30.0], [-40.0]], [1])
    effect = outturn_effect(base, scenario)
    assert effect.this_year == -25
    assert effect.range80 == (pytest.approx(-37.0), pytest.approx(-13.0))
