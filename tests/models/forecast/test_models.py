"""Every forecast model against the shared output contract and hand-worked expectations."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ascdemand.models.forecast.arima import arima
from ascdemand.models.forecast.baselines import drift, historic_mean, naive, seasonal_naive
from ascdemand.models.forecast.catalogue import MODELS
from ascdemand.models.forecast.ensemble import MEMBERS, ensemble
from ascdemand.models.forecast.ets import ets, ets_damped
from ascdemand.models.forecast.smoothing import ses, theta

# A noisy upward series of 120 weeks, and one that falls to zero (for the clipping check).
RNG = np.random.default_rng(20211001)
WALK = 500 + np.cumsum(RNG.normal(1.0, 5.0, 120))
FALLING = np.linspace(60, 2, 40) + RNG.normal(0, 1, 40).clip(-1, 1)
# An exact line 10 + 2t with a +-0.1 zig-zag, so that likelihood fits stay well posed.
LINE = 10 + 2 * np.arange(60.0) + 0.1 * (-1.0) ** np.arange(60)


def assert_contract(frame: pl.DataFrame, horizon: int, levels=(80, 95)) -> None:
    """The common output: `horizon` rows, nested intervals around the mean, no negatives."""
    expected = ["step", "mean", "sd"] + [f"{b}_{lv}" for lv in levels for b in ("lo", "hi")]
    assert frame.columns == expected, f"columns {frame.columns}"
    assert frame.height == horizon
    assert frame["step"].to_list() == list(range(1, horizon + 1))
    assert frame.drop("step").select(pl.all().is_finite().all()).row(0) == (True,) * (
        len(expected) - 1
    ), "non-finite output"
    assert (frame["lo_95"] <= frame["lo_80"] + 1e-9).all()
    assert (frame["lo_80"] <= frame["mean"] + 1e-9).all()
    assert (frame["mean"] <= frame["hi_80"] + 1e-9).all()
    assert (frame["hi_80"] <= frame["hi_95"] + 1e-9).all()
    assert (frame.drop("step") >= 0).to_numpy().all(), "negative forecast or bound"


class ModelContract:
    """Checks every model must pass; subclasses set `model` and `minimum`."""

    model = staticmethod(naive)

    def test_contract_on_noisy_series(self):
        """Thirteen rows with nested, finite, non-negative intervals."""
        assert_contract(self.model(WALK, 13, season_length=52), 13)

    def test_falling_series_never_forecast_below_zero(self):
        """A series falling to about 2 is extrapolated below zero by trends: clipped at 0."""
        assert_contract(self.model(FALLING, 26, season_length=52), 26)

    def test_nan_input_raises(self):
        y = WALK.copy()
        y[5] = np.nan
        with pytest.raises(ValueError, match="NaN"):
            self.model(y, 4, season_length=52)

    def test_horizon_below_one_raises(self):
        with pytest.raises(ValueError, match="horizon"):
            self.model(WALK, 0, season_length=52)

    def test_constant_series_forecasts_the_constant(self):
        """A flat history of 7.0 gives 7.0 at every step."""
        frame = self.model(np.full(40, 7.0), 5, season_length=12)
        assert frame["mean"].to_list() == pytest.approx([7.0] * 5, abs=1e-3)

    def test_levels_are_configurable(self):
        """Asking for 50% and 90% intervals gives exactly those columns."""
        frame = self.model(WALK, 3, season_length=52, levels=(50, 90))
        assert frame.columns[3:] == ["lo_50", "hi_50", "lo_90", "hi_90"]


class TestNaive(ModelContract):
    model = staticmethod(naive)

    def test_hand_worked(self):
        """y = [1, 3, 2, 4]: mean 4; differences [2, -1, 2], RMS sqrt(9 / 3) = 1.7321;
        sd at step h = 1.7321 * sqrt(h); lo_80 at step 1 = 4 - 1.2816 * 1.7321 = 1.7803."""
        frame = naive(np.array([1.0, 3, 2, 4]), 4, nonnegative=False)
        assert frame["mean"].to_list() == [4.0] * 4
        assert frame["sd"].to_list() == pytest.approx([1.7321, 2.4495, 3.0, 3.4641], abs=1e-4)
        assert frame["lo_80"][0] == pytest.approx(1.7803, abs=1e-4)


class TestSeasonalNaive(ModelContract):
    model = staticmethod(seasonal_naive)

    def test_hand_worked(self):
        """m = 3, y = [1, 2, 3, 2, 3, 4]: last season [2, 3, 4] repeats -> [2, 3, 4, 2];
        seasonal differences [1, 1, 1], RMS 1; sd = sqrt(floor((h - 1) / 3) + 1) ->
        [1, 1, 1, 1.4142]."""
        frame = seasonal_naive(np.array([1.0, 2, 3, 2, 3, 4]), 4, season_length=3)
        assert frame["mean"].to_list() == [2.0, 3.0, 4.0, 2.0]
        assert frame["sd"].to_list() == pytest.approx([1, 1, 1, 1.4142], abs=1e-4)

    def test_repeats_a_seasonal_pattern_exactly(self):
        """Three cycles of a 12-month pattern: the next 12 months are the pattern again."""
        pattern = np.array([5.0, 6, 8, 12, 15, 17, 18, 16, 13, 9, 7, 5])
        frame = seasonal_naive(np.tile(pattern, 3), 12, season_length=12)
        assert frame["mean"].to_list() == pattern.tolist()
        assert frame["sd"].to_list() == [0.0] * 12

    def test_short_history_falls_back_to_naive(self):
        """Five points with season 12: no full season, so the last value (9) is repeated."""
        frame = seasonal_naive(np.array([1.0, 4, 2, 8, 9]), 3, season_length=12)
        assert frame["mean"].to_list() == [9.0, 9.0, 9.0]

    def test_exactly_one_season_borrows_naive_spread(self):
        """Twelve months, season 12: the forecast repeats them, but there is no seasonal
        difference to measure a spread with. It used to claim sd 0 (and a calibration stretch
        of 2.4e9); now it takes naive's: differences of y = [10, 12, 11, 13, ...] alternate
        +2, -1, so RMS = sqrt((6 x 4 + 5 x 1) / 11) = sqrt(29 / 11) = 1.6237, times sqrt(h)."""
        y = np.array([10.0, 12, 11, 13, 12, 14, 13, 15, 14, 16, 15, 17])
        frame = seasonal_naive(y, 3, season_length=12)
        assert frame["mean"].to_list() == [10.0, 12.0, 11.0]
        sigma = np.sqrt(29 / 11)
        assert frame["sd"].to_list() == pytest.approx(sigma * np.sqrt([1, 2, 3]))
        assert frame["sd"].to_numpy() == pytest.approx(naive(y, 3)["sd"].to_numpy())


class TestDrift(ModelContract):
    model = staticmethod(drift)

    def test_hand_worked(self):
        """y = [2, 4, 5, 8], T = 4: slope (8 - 2) / 3 = 2 -> [10, 12]; residuals
        [2, 1, 3] - 2 = [0, -1, 1], RMS sqrt(2 / 3) = 0.8165; sd = 0.8165 * sqrt(h (1 + h / 4))
        -> [0.8165 * 1.1180, 0.8165 * 1.7321] = [0.9129, 1.4142]."""
        frame = drift(np.array([2.0, 4, 5, 8]), 2)
        assert frame["mean"].to_list() == pytest.approx([10.0, 12.0])
        assert frame["sd"].to_list() == pytest.approx([0.9129, 1.4142], abs=1e-4)

    def test_linear_trend_continues(self):
        """An exact line 3 + 0.5t over t = 0..19 continues to 13, 13.5, 14 with no spread."""
        frame = drift(3 + 0.5 * np.arange(20.0), 3)
        assert frame["mean"].to_list() == pytest.approx([13.0, 13.5, 14.0])
        assert frame["sd"].to_list() == pytest.approx([0.0, 0.0, 0.0])


class TestHistoricMean(ModelContract):
    model = staticmethod(historic_mean)

    def test_hand_worked(self):
        """y = [1, 2, 3, 6]: mean 3; s = sqrt((4 + 1 + 0 + 9) / 3) = 2.1602;
        sd = 2.1602 * sqrt(1 + 1 / 4) = 2.4152."""
        frame = historic_mean(np.array([1.0, 2, 3, 6]), 2)
        assert frame["mean"].to_list() == pytest.approx([3.0, 3.0])
        assert frame["sd"].to_list() == pytest.approx([2.4152, 2.4152], abs=1e-4)


class TestEts(ModelContract):
    model = staticmethod(ets)

    def test_linear_trend_continues(self):
        """Holt's method on 10 + 2t (+-0.1) forecasts about 130, 132, 134 at t = 60, 61, 62."""
        frame = ets(LINE, 3)
        assert frame["mean"].to_list() == pytest.approx([130.0, 132.0, 134.0], abs=0.5)

    def test_spread_grows_with_the_horizon(self):
        frame = ets(WALK, 8)
        assert np.all(np.diff(frame["sd"].to_numpy()) > 0)


class TestEtsDamped(ModelContract):
    model = staticmethod(ets_damped)

    def test_trend_is_damped_but_kept(self):
        """On 10 + 2t the damped forecast rises each step, but never above the straight line
        (130, 132, ... at t = 60, 61, ...)."""
        mean = ets_damped(LINE, 10)["mean"].to_numpy()
        line = 10 + 2 * np.arange(60.0, 70.0)
        assert np.all(np.diff(mean) > 0)
        assert np.all(mean <= line + 0.5)
        assert mean[0] == pytest.approx(130.0, abs=0.5)


class TestSes(ModelContract):
    model = staticmethod(ses)

    def test_hand_worked(self):
        """y = [0, 2, 4, 6] from level 0: with alpha = 1 every one-step error is 2 (SSE 12);
        any smaller alpha lags the rise and errs more, so alpha = 1: the forecast is 6, and
        sigma = sqrt(12 / 3) = 2, sd = 2 sqrt(1 + (h - 1) alpha^2) = [2, 2.8284]."""
        frame = ses(np.array([0.0, 2, 4, 6]), 2)
        assert frame["mean"].to_list() == pytest.approx([6.0, 6.0])
        assert frame["sd"].to_list() == pytest.approx([2.0, 2.8284], abs=1e-4)

    def test_noise_about_a_level_is_smoothed(self):
        """100 +- 5 alternating: the smallest alpha on the grid (0.02) wins and the forecast
        stays within a point of 100, where naive would say 95 or 105."""
        y = 100 + 5 * (-1.0) ** np.arange(100)
        assert ses(y, 1)["mean"][0] == pytest.approx(100.0, abs=1.0)


class TestTheta(ModelContract):
    model = staticmethod(theta)

    def test_hand_worked(self):
        """y = [0, 2, 4, 6]: SES has alpha 1 and level 6 (see TestSes); the least-squares
        slope is 2, and Theta adds b / 2 (h - 1 + 1 / alpha - (1 - alpha)^T / alpha) = h:
        [7, 8], with SES's sd [2, 2.8284]."""
        frame = theta(np.array([0.0, 2, 4, 6]), 2)
        assert frame["mean"].to_list() == pytest.approx([7.0, 8.0])
        assert frame["sd"].to_list() == pytest.approx([2.0, 2.8284], abs=1e-4)

    def test_linear_trend_continues(self):
        """Theta on 10 + 2t (+-0.1) forecasts 130 at t = 60 within a point or two."""
        assert theta(LINE, 1, season_length=52)["mean"][0] == pytest.approx(130.0, abs=2)


BATCHED = ["naive", "seasonal_naive", "ses", "theta", "drift", "mean"]


@pytest.mark.parametrize("name", BATCHED)
def test_batched_core_matches_a_fit_on_the_truncated_series(name):
    """Forecasting from many origins at once gives exactly what a fit on `y[:T]` gives, for
    origins shorter than a season, exactly one season and longer (season 12)."""
    model = MODELS[name]
    origins = np.array([5, 12, 13, 30, 120])
    mean, sd = model.batch(WALK, origins, 4, 12)
    for row, t in enumerate(origins):
        frame = model.frame(WALK[:t], 4, season_length=12, nonnegative=False)
        assert mean[row] == pytest.approx(frame["mean"].to_numpy(), rel=1e-9), t
        assert sd[row] == pytest.approx(frame["sd"].to_numpy(), rel=1e-9, abs=1e-9), t


class TestArima(ModelContract):
    model = staticmethod(arima)

    def test_linear_trend_continues(self):
        """ARIMA(1,1,1) with drift on 10 + 2t (+-0.1) forecasts about 130, 132, 134."""
        frame = arima(LINE, 3)
        assert frame["mean"].to_list() == pytest.approx([130.0, 132.0, 134.0], abs=0.5)

    def test_exogenous_regressor_moves_the_forecast(self):
        """y = 50 + 2x + small noise: raising the assumed future x by 10 raises the forecast
        by 2 * 10 = 20 at every step."""
        rng = np.random.default_rng(7)
        x = rng.normal(100, 10, 80)
        y = 50 + 2 * x + rng.normal(0, 0.5, 80)
        future = np.full(4, 100.0)
        base = arima(y, 4, exog=x, future_exog=future)["mean"].to_numpy()
        more = arima(y, 4, exog=x, future_exog=future + 10)["mean"].to_numpy()
        assert more - base == pytest.approx(np.full(4, 20.0), abs=0.5)

    def test_exog_without_future_values_raises(self):
        with pytest.raises(ValueError, match="future_exog"):
            arima(WALK, 4, exog=WALK)


class TestEnsemble(ModelContract):
    model = staticmethod(ensemble)

    def test_mean_is_the_average_of_its_members(self):
        """By definition: the point forecast is the plain mean of the three members'."""
        members = [m(WALK, 6, season_length=52)["mean"].to_numpy() for m in MEMBERS.values()]
        frame = ensemble(WALK, 6, season_length=52)
        assert frame["mean"].to_numpy() == pytest.approx(np.mean(members, axis=0))
