"""The forecast facade on one series and on a panel: the score table, the choice, the
calibrated forecast, and its refusals."""

from __future__ import annotations

import numpy as np
import pytest

from ascdemand.models.forecast import DEFAULT_CANDIDATES, forecast, forecast_panel

RNG = np.random.default_rng(2021)
T = np.arange(160)
# A stock like homecare people: a random walk with drift and a winter bump.
STOCK = 1800 + np.cumsum(RNG.normal(2, 8, 160)) + 40 * np.sin(2 * np.pi * T / 52)


@pytest.fixture(scope="module")
def result():
    return forecast(STOCK, 13, season_length=52)


def test_scores_every_candidate_and_the_procedure(result):
    """One row per candidate, then `chosen` (the procedure), with the published measures out
    of sample; naive's ratio to itself is 1."""
    assert result.scores["model"].to_list() == [*DEFAULT_CANDIDATES, "chosen"]
    for column in ("mase", "smape", "vs_naive", "coverage80", "coverage95"):
        assert result.scores[column].is_finite().all(), column
    assert result.scores.filter(model="naive")["vs_naive"][0] == 1.0
    roles = dict(zip(result.scores["model"], result.scores["role"], strict=True))
    assert roles["chosen"] == "procedure"
    assert roles["drift"] == roles["mean"] == "benchmark"


def test_the_reason_names_the_choice(result):
    assert result.reason.startswith(("Same as last period", "Simple exponential", "Theta"))


def test_out_of_sample_coverage_is_near_the_claim(result):
    """The procedure's 80% intervals covered 70-90% of outcomes it never saw."""
    coverage = result.scores.filter(model="chosen")["coverage80"][0]
    assert 0.7 <= coverage <= 0.9, f"coverage80 = {coverage:.2f}"


def test_forecast_table_shape(result):
    """Thirteen rows, nested bands, widening (weakly) with the horizon."""
    fc = result.forecast
    assert fc.height == 13
    assert (fc["lo_95"] >= 0).all()
    assert (fc["lo_95"] <= fc["lo_80"]).all() and (fc["hi_80"] <= fc["hi_95"]).all()
    assert (np.diff((fc["hi_80"] - fc["lo_80"]).to_numpy()) >= -1e-9).all()


def test_a_clear_trend_replaces_naive():
    """On 5 + 3t (with a little noise, so that errors are defined) naive is always 3 per step
    behind and Theta half that: over 40 windows Theta's errors are about half naive's, well
    past the 15% margin."""
    y = 5 + 3 * np.arange(60.0) + 0.01 * (-1.0) ** np.arange(60)
    res = forecast(y, 2, candidates=("naive", "theta"))
    assert res.chosen == "theta"
    assert "smaller than naive's" in res.reason


def test_exog_adds_the_arimax_candidate():
    """With discharges as a regressor the conditional ARIMA model is scored too."""
    rng = np.random.default_rng(5)
    x = rng.normal(90, 10, 40)
    y = 1000 + 3 * x + np.cumsum(rng.normal(0, 2, 40))
    res = forecast(y, 4, candidates=("naive",), origins=8, exog=x, future_exog=np.full(4, 90.0))
    assert res.scores["model"].to_list() == ["naive", "arimax", "chosen"]


def test_a_panel_pools_the_seasonal_change():
    """Six series with the same yearly swing: the pooled seasonal change is scored for each,
    and each gets its own forecast."""
    rng = np.random.default_rng(8)
    t = np.arange(120)
    season = 1 + 0.3 * np.sin(2 * np.pi * t / 52)
    panel = {f"d{i}": 100 * season + rng.normal(0, 2, 120) for i in range(6)}
    results = forecast_panel(panel, 8)
    assert list(results) == list(panel)
    for res in results.values():
        assert "pooled_seasonal" in res.scores["model"].to_list()
        assert res.forecast.height == 8


def test_a_panel_needs_equal_lengths():
    with pytest.raises(ValueError, match="same length"):
        forecast_panel({"a": np.ones(40), "b": np.ones(41)}, 4)


def test_too_short_says_how_many_points_it_needs():
    with pytest.raises(ValueError, match="needs at least 19"):
        forecast(np.arange(12.0), 13)


def test_nan_raises():
    with pytest.raises(ValueError, match="NaN"):
        forecast(np.array([1.0, np.nan] * 20), 4)


def test_exog_without_future_raises():
    with pytest.raises(ValueError, match="future_exog"):
        forecast(STOCK, 4, exog=STOCK)
