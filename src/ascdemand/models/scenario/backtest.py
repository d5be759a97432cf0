"""The flow model's baseline judged as a forecast: from each origin, calibrate on the weeks
before it, run the baseline forward, and score it against what happened, with the same
measures the forecasting engine reports (MASE against last week's value, 80% coverage).

A baseline that tells the opposite story from the statistical forecasts of the same measure
shows up here as a MASE well above the naive forecast's 1.0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import numpy as np
import polars as pl

from ascdemand.models.forecast.metrics import coverage, mase, mase_scale
from ascdemand.models.scenario.calibrate import Calibration
from ascdemand.models.scenario.engine import simulate
from ascdemand.models.scenario.montecarlo import run_many

# The flow model's series for each demand measure of the forecasting engine.
MEASURE_SERIES = {
    "homecare_people": "homecare",
    "homecare_hours": "homecare_hours",
    "temp_residential_people": "temporary",
    "temp_residential_admissions": "temporary_admissions",
}


def flow_backtest(
    calibrate_at: Callable[[dt.date], Calibration | None],
    actual: Mapping[str, pl.DataFrame],
    origins: list[dt.date],
    *,
    horizon: int = 13,
    runs: int = 200,
    seed: int = 2021,
) -> pl.DataFrame:
    """Score the calibrated baseline from each origin.

    Args:
        calibrate_at: The calibration with data to an origin (None when it cannot be made).
        actual: For each key of `MEASURE_SERIES`, the weekly series (`week_start`, `value`).
        origins: Mondays to forecast from; each needs `horizon` weeks of actuals after it.
        horizon: Weeks ahead.
        runs: Monte Carlo runs for the 80% band.
        seed: Seed of the runs.

    Returns:
        One row per measure: `measure`, `origins`, `mase` (mean over origins of the MASE of
        the mean path, scaled by the in-sample one-step naive error), `naive_mase` (the same
        for last week's value carried forward), `coverage_80`.
    """
    scores: dict[str, dict[str, list[float]]] = {
        m: {"mase": [], "naive": [], "hits": []} for m in MEASURE_SERIES
    }
    for origin in origins:
        calibration = calibrate_at(origin)
        if calibration is None:
            continue
        params = calibration.params
        mean_path = simulate(params, horizon)
        band = run_many(params, horizon, runs=runs, seed=seed)
        for measure, series in MEASURE_SERIES.items():
            frame = actual[measure].sort("week_start")
            past = frame.filter(pl.col("week_start") <= origin)["value"].to_numpy()
            future = frame.filter(pl.col("week_start") > origin)["value"].to_numpy()[:horizon]
            if len(future) < horizon or len(past) < 3:
                continue
            if np.isnan(mase_scale(past)):
                continue
            forecast = mean_path.series[series][0]
            lo, hi = np.percentile(band.series[series], [10, 90], axis=0)
            naive = np.repeat(past[-1], horizon)
            scores[measure]["mase"].append(mase(future, forecast, training=past))
            scores[measure]["naive"].append(mase(future, naive, training=past))
            scores[measure]["hits"].append(coverage(future, lo, hi))
    return pl.DataFrame(
        [
            {
                "measure": m,
                "origins": len(s["mase"]),
                "mase": float(np.mean(s["mase"])) if s["mase"] else None,
                "naive_mase": float(np.mean(s["naive"])) if s["naive"] else None,
                "coverage_80": float(np.mean(s["hits"])) if s["hits"] else None,
            }
            for m, s in scores.items()
        ],
        schema={
            "measure": pl.String,
            "origins": pl.Int64,
            "mase": pl.Float64,
            "naive_mase": pl.Float64,
            "coverage_80": pl.Float64,
        },
    )
