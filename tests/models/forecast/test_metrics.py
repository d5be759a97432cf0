"""Accuracy measures and interval calibration against hand-worked values."""

from __future__ import annotations

import numpy as np
import pytest

from ascdemand.models.forecast.calibration import conformal_quantile
from ascdemand.models.forecast.metrics import coverage, mase, mase_scale, smape


class TestMase:
    def test_lag_one(self):
        """Training [1, 2, 4, 7]: one-step changes [1, 2, 3], mean 2. Actual [8, 10] against
        forecast [7, 7]: MAE (1 + 3) / 2 = 2, so MASE = 2 / 2 = 1."""
        assert mase([8, 10], [7, 7], training=[1, 2, 4, 7]) == pytest.approx(1.0)

    def test_seasonal_lag(self):
        """Same data, lag 2: differences [4 - 1, 7 - 2] = [3, 5], mean 4; MASE = 2 / 4 = 0.5."""
        assert mase([8, 10], [7, 7], training=[1, 2, 4, 7], season_length=2) == 0.5

    def test_season_longer_than_training_falls_back_to_lag_one(self):
        """Four points with season 4: no seasonal difference, so lag 1 (scale 2), MASE 1."""
        assert mase([8, 10], [7, 7], training=[1, 2, 4, 7], season_length=4) == 1.0

    def test_constant_training_is_undefined(self):
        assert np.isnan(mase_scale(np.array([3.0, 3.0, 3.0])))


class TestSmape:
    def test_hand_worked(self):
        """|100 - 110| / (100 + 110) = 0.047619, and 0 / 0 counts as 0:
        200 * (0.047619 + 0) / 2 = 4.7619."""
        assert smape([100, 0], [110, 0]) == pytest.approx(4.7619, abs=1e-4)

    def test_opposite_extremes_score_200(self):
        """Forecast 5 where 0 happened: 200 * 5 / 5 = 200, the maximum."""
        assert smape([0.0], [5.0]) == 200.0


class TestCoverage:
    def test_hand_worked(self):
        """1 in [0, 2] yes; 2 in [2.5, 3] no; 3 in [2, 4] yes; 4 in [5, 6] no -> 2 / 4."""
        assert coverage([1, 2, 3, 4], [0, 2.5, 2, 5], [2, 3, 4, 6]) == 0.5

    def test_bounds_are_inclusive(self):
        assert coverage([2.0], [2.0], [2.0]) == 1.0


class TestConformalQuantile:
    def test_rank_rounds_up(self):
        """Scores 1..9, level 80: rank ceil(10 * 0.8) = 8, so the answer is 8."""
        assert conformal_quantile(np.arange(1.0, 10.0), 80) == 8.0

    def test_rank_past_the_end_takes_the_largest(self):
        """Level 95 on 9 scores: rank ceil(9.5) = 10 > 9, capped at the largest, 9."""
        assert conformal_quantile(np.arange(1.0, 10.0), 95) == 9.0
