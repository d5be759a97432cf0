"""Rolling-origin backtest, scoring and model choice on series with known answers."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ascdemand.models.forecast.backtest import origin_points, rolling_origin
from ascdemand.models.forecast.select import choose, score_backtest


class TestOriginPoints:
    def test_hand_worked(self):
        """30 points, horizon 5, stride 2: the newest origin trains on 30 - 5 = 25 points,
        then 23 and 21."""
        assert origin_points(30, horizon=5, origins=3, stride=2) == [21, 23, 25]

    def test_origins_shorter_than_the_minimum_are_dropped(self):
        """14 points, horizon 4, stride 1: 10, 9, 8 are kept, 7 and 6 fall below 8."""
        assert origin_points(14, horizon=4, origins=5, stride=1) == [8, 9, 10]

    def test_too_short_raises(self):
        with pytest.raises(ValueError, match="Too short"):
            origin_points(10, horizon=5, origins=3)


class TestRollingOrigin:
    def test_line_drift_is_exact_naive_is_not(self):
        """y = 2t: drift is exact (MASE 0); naive misses by 2, 4, 6 over three steps, and the
        one-step change is 2, so naive MASE = mean(2, 4, 6) / 2 = 2. Drift is chosen."""
        y = 2 * np.arange(30.0)
        bt = rolling_origin(y, horizon=3, origins=4, season_length=1, candidates=["naive", "drift"])
        assert bt.height == 2 * 4 * 3
        scores = score_backtest(bt)
        by_model = dict(zip(scores["model"], scores["mase"], strict=True))
        assert by_model == pytest.approx({"naive": 2.0, "drift": 0.0})
        assert choose(scores) == "drift"

    def test_actuals_line_up_with_origins(self):
        """y = 2t, 30 points, horizon 3 (stride 1): origins train on 26 and 27 points. At
        origin 27, step 1 is y[27] = 54 and the naive forecast is y[26] = 52."""
        y = 2 * np.arange(30.0)
        bt = rolling_origin(y, horizon=3, origins=2, season_length=1, candidates=["naive"])
        assert sorted(set(bt["origin"])) == [26, 27]
        row = bt.filter(origin=27, step=1)
        assert row["actual"].to_list() == [54.0]
        assert row["mean"].to_list() == [52.0]

    def test_unknown_model_raises(self):
        with pytest.raises(ValueError, match="Unknown models"):
            rolling_origin(
                np.arange(30.0), horizon=3, origins=2, season_length=1, candidates=["prophet"]
            )

    def test_arimax_needs_exog(self):
        with pytest.raises(ValueError, match="exog"):
            rolling_origin(
                np.arange(30.0), horizon=3, origins=2, season_length=1, candidates=["arimax"]
            )

    def test_ensemble_is_the_mean_of_its_members(self):
        """At every origin and step the ensemble forecast averages ETS damped, Theta, ARIMA."""
        rng = np.random.default_rng(3)
        y = 200 + np.cumsum(rng.normal(0.5, 3, 60))
        bt = rolling_origin(
            y,
            horizon=4,
            origins=2,
            season_length=52,
            candidates=["ets_damped", "theta", "arima", "ensemble"],
        )
        wide = bt.pivot(on="model", index=["origin", "step"], values="mean")
        members = wide.select("ets_damped", "theta", "arima").to_numpy().mean(axis=1)
        assert wide["ensemble"].to_numpy() == pytest.approx(members)


class TestChoose:
    def test_tie_goes_to_the_first_listed(self):
        """Equal MASE: the simpler, earlier candidate wins."""
        scores = pl.DataFrame({"model": ["naive", "ets"], "mase": [1.0, 1.0]})
        assert choose(scores) == "naive"

    def test_undefined_mase_loses(self):
        scores = pl.DataFrame({"model": ["naive", "ets"], "mase": [float("nan"), 3.0]})
        assert choose(scores) == "ets"
