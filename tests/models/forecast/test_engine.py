"""The forecast facade: backtested choice, calibrated intervals, the score table."""

from __future__ import annotations

import numpy as np
import pytest

from ascdemand.models.forecast import DEFAULT_CANDIDATES, forecast

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


def test_intervals_are_calibrated_by_the_backtest_worked_by_hand():
    """The naive model one step ahead on 100, 102, 100, 102, 100, 102, 100, 102, 100, 106.

    Backtest (horizon 1, two origins a step apart, trained on 8 and 9 points):
    - on 8 points every change is 2, so sigma = 2; it forecasts 102 and 100 came:
      |100 - 102| / 2 = 1 standard deviation out;
    - on 9 points every change is still 2, sigma = 2; it forecasts 100 and 106 came:
      |106 - 100| / 2 = 3 out.
    The conformal quantile of {1, 3} at 80% is the ceil(3 x 0.8) = 3rd smallest, capped at the
    largest: 3 (at 95% likewise 3). So the stretch is 3 / 1.28155 = 2.34091 of the normal width.

    Final fit on all 10 points: eight changes of 2 and one of 6, sigma = sqrt((8 x 4 + 36) / 9)
    = sqrt(68 / 9) = 2.7487; forecast 106, half-width 3 x sqrt(68 / 9) = sqrt(68) = 8.2462 at
    both levels: 97.7538 to 114.2462. Leave-one-origin-out coverage: the first origin (1)
    against the other's quantile 3 is inside, the second (3) against 1 is not: 1/2.
    """
    y = np.array([100, 102, 100, 102, 100, 102, 100, 102, 100, 106], dtype=float)
    res = forecast(y, 1, candidates=("naive",), origins=2)
    row = res.forecast.row(0, named=True)
    assert row["mean"] == pytest.approx(106.0)
    assert row["sd"] == pytest.approx(2.748737, abs=1e-6)
    for level in (80, 95):
        assert row[f"lo_{level}"] == pytest.approx(97.753788, abs=1e-6)
        assert row[f"hi_{level}"] == pytest.approx(114.246212, abs=1e-6)
    scores = res.scores.row(0, named=True)
    assert scores["stretch80"] == pytest.approx(2.340912, abs=1e-6)
    assert scores["coverage80"] == 0.5


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
