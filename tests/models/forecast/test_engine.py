"""The forecast facade: backtested choice, calibrated intervals, the score table."""

from __future__ import annotations

import numpy as np
import pytest

from ascdemand.models.forecast import DEFAULT_CANDIDATES, forecast
from ascdemand.models.forecast.intervals import z_score

RNG = np.random.default_rng(2021)
T = np.arange(160)
# A stock like homecare people: a random walk with drift and a winter bump.
STOCK = 1800 + np.cumsum(RNG.normal(2, 8, 160)) + 40 * np.sin(2 * np.pi * T / 52)


@pytest.fixture(scope="module")
def result():
    return forecast(STOCK, 13, season_length=52)


def test_scores_every_candidate(result):
    """One score row per candidate, with the four published measures."""
    assert result.scores["model"].to_list() == list(DEFAULT_CANDIDATES)
    for column in ("mase", "smape", "coverage80", "coverage95"):
        assert result.scores[column].is_finite().all(), column


def test_choice_is_the_lowest_mase(result):
    """The chosen model has the smallest backtest MASE, so it is never worse than naive."""
    best = result.scores.sort("mase")["model"][0]
    assert result.chosen == best
    mase = dict(zip(result.scores["model"], result.scores["mase"], strict=True))
    assert mase[result.chosen] <= mase["naive"]


def test_intervals_are_calibrated_by_the_backtest(result):
    """Final 80% half-width = stretch80 * 1.2816 * sd of the chosen model."""
    row = result.scores.filter(model=result.chosen).row(0, named=True)
    fc = result.forecast
    half = (fc["hi_80"] - fc["mean"]).to_numpy()
    expected = row["stretch80"] * z_score(80) * fc["sd"].to_numpy()
    assert half == pytest.approx(expected)


def test_calibrated_coverage_is_honest(result):
    """Leave-one-origin-out coverage of the 80% intervals lies between 70% and 90%."""
    coverage = result.scores.filter(model=result.chosen)["coverage80"][0]
    assert 0.7 <= coverage <= 0.9, f"coverage80 = {coverage:.2f}"


def test_forecast_table_shape(result):
    assert result.forecast.height == 13
    assert (result.forecast["lo_95"] >= 0).all()
    assert (result.forecast["lo_95"] <= result.forecast["lo_80"]).all()


def test_linear_series_picks_an_exact_model():
    """On 5 + 3t the drift forecast is exact (MASE 0), so a trend model with MASE 0 wins
    over naive, and the forecast continues 5 + 3 * 40 = 125."""
    res = forecast(5 + 3 * np.arange(40.0), 1, candidates=("naive", "drift"), origins=3)
    assert res.chosen == "drift"
    assert res.forecast["mean"][0] == pytest.approx(125.0)


def test_exog_adds_the_arimax_candidate():
    """With discharges as a regressor the conditional ARIMA model is scored too."""
    rng = np.random.default_rng(5)
    x = rng.normal(90, 10, 100)
    y = 1000 + 3 * x + np.cumsum(rng.normal(0, 2, 100))
    res = forecast(
        y, 4, candidates=("naive", "arima"), origins=3, exog=x, future_exog=np.full(4, 90.0)
    )
    assert res.scores["model"].to_list() == ["naive", "arima", "arimax"]


def test_nan_raises():
    with pytest.raises(ValueError, match="NaN"):
        forecast(np.array([1.0, np.nan] * 20), 4)


def test_exog_without_future_raises():
    with pytest.raises(ValueError, match="future_exog"):
        forecast(STOCK, 4, exog=STOCK)
