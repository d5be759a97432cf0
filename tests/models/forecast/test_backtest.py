"""Rolling-origin forecasts: the origins, the grid of forecasts, the yardstick, and the pooled
seasonal change, on series with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from ascdemand.models.forecast.backtest import (
    forecast_grid,
    origin_points,
    rolling_origin,
    yardstick,
)
from ascdemand.models.forecast.pooled import pooled_seasonal_change


class TestOriginPoints:
    def test_hand_worked(self):
        """30 points, horizon 5, step 2, three origins: the newest trains on 30 - 5 = 25
        points, then 23 and 21."""
        assert origin_points(30, horizon=5, origins=3, step=2).tolist() == [21, 23, 25]

    def test_as_many_as_the_history_allows(self):
        """14 points, horizon 4, one step apart: 10 down to the minimum of 6 training points."""
        assert origin_points(14, horizon=4).tolist() == [6, 7, 8, 9, 10]

    def test_too_short_says_how_many_points_it_needs(self):
        """Nine points cannot forecast four ahead: 6 training points + 4 = 10 are needed."""
        with pytest.raises(ValueError, match="9 points; needs at least 10"):
            origin_points(9, horizon=4)

    def test_step_below_one_raises(self):
        with pytest.raises(ValueError, match="step"):
            origin_points(30, horizon=3, step=0)


class TestGrid:
    def test_rows_are_the_windows_then_the_end(self):
        """y = 2t, 30 points, horizon 3: windows train on 6..27 points, then the end (30),
        whose outcomes are unknown. At origin 27, step 1 is y[27] = 54 and naive says 52."""
        y = 2 * np.arange(30.0)
        grid = forecast_grid(y, horizon=3, season_length=1, candidates=["naive", "drift"])
        assert grid.origins.tolist() == [*range(6, 28), 30]
        assert np.isnan(grid.actual[-1]).all()
        row = grid.origins.tolist().index(27)
        assert grid.actual[row, 0] == 54.0
        assert grid.mean["naive"][row, 0] == 52.0
        assert grid.mean["drift"][:-1] == pytest.approx(grid.actual[:-1])

    def test_only_complete_windows_count_before_an_origin(self):
        """Horizon 3: the window trained on 6 points ends at 9, so at origin 9 one window is
        complete, at origin 8 none."""
        grid = forecast_grid(np.arange(20.0), horizon=3, season_length=1, candidates=["naive"])
        complete = dict(zip(grid.origins.tolist(), grid.complete_before().tolist(), strict=True))
        assert (complete[8], complete[9], complete[20]) == (0, 1, 12)

    def test_long_frame_of_the_windows(self):
        """Two models x 22 windows x 3 steps; the end row is not a backtest window."""
        y = 2 * np.arange(30.0)
        frame = rolling_origin(y, horizon=3, season_length=1, candidates=["naive", "drift"])
        assert frame.height == 2 * 22 * 3
        assert frame.columns == ["model", "origin", "step", "actual", "mean", "sd", "scale"]

    def test_unknown_model_raises(self):
        with pytest.raises(ValueError, match="Unknown models"):
            forecast_grid(np.arange(30.0), horizon=3, season_length=1, candidates=["prophet"])

    def test_arimax_needs_exog(self):
        with pytest.raises(ValueError, match="exog"):
            forecast_grid(np.arange(30.0), horizon=3, season_length=1, candidates=["arimax"])


def test_yardstick_reads_recent_changes_only():
    """Forty changes of 1 then twenty-six of 3: at the end the yardstick is 3 sqrt(h) (the
    last 26 changes), where the RMS of all changes would be sqrt((40 + 26 x 9) / 66) = 2.04."""
    y = np.concatenate([np.arange(41.0), 40 + 3 * np.arange(1, 27.0)])
    sd = yardstick(y, np.array([y.size]), 2)
    assert sd[0] == pytest.approx([3.0, 3 * np.sqrt(2)])


class TestPooledSeasonalChange:
    def test_hand_worked(self):
        """Season 4, two series; the panel total is [10, 20, 10, 10, 20, 40]. From origin 6
        (last index 5), step 1 targets index 6: a season earlier, index 1 -> 2, total 20 ->
        10, log change log(0.5); shrunk by a half, each series' last value times
        0.5 ** 0.5 = 0.7071: 30 -> 21.213, 10 -> 7.071."""
        panel = np.array([[5.0, 15, 5, 5, 15, 30], [5.0, 5, 5, 5, 5, 10]])
        mean = pooled_seasonal_change(panel, np.array([6]), 1, 4, shrink=0.5)
        assert mean[:, 0, 0] == pytest.approx([30 * 0.5**0.5, 10 * 0.5**0.5])

    def test_averages_every_past_season(self):
        """Season 2, one series 1, 2, 1, 4, 1: from origin 5 step 1 targets index 5; a season
        earlier 1 -> 4 (index 2 -> 3), two seasons earlier 1 -> 2 (0 -> 1): mean log change
        (log 4 + log 2) / 2 = log sqrt(8); unshrunk, 1 x sqrt(8) = 2.8284."""
        mean = pooled_seasonal_change(np.array([[1.0, 2, 1, 4, 1]]), np.array([5]), 1, 2, shrink=1)
        assert mean[0, 0, 0] == pytest.approx(np.sqrt(8))

    def test_undefined_without_a_season_of_history(self):
        """Origin 3 with season 4: no earlier season covers any step, so NaN."""
        mean = pooled_seasonal_change(np.ones((2, 10)), np.array([3, 9]), 2, 4)
        assert np.isnan(mean[:, 0]).all()
        assert mean[:, 1] == pytest.approx(np.ones((2, 2)))
