"""The forecasting facade: forecast every candidate from every past origin, replay the choice
at each origin with only the data before it (nested evaluation), and forecast from the end
with the model the rule picks and intervals calibrated on the procedure's out-of-sample errors.

`forecast` does one series; `forecast_panel` many series of one kind (districts, client groups,
care boards), which adds the pooled seasonal change as a candidate and calibrates the
intervals on the errors of all the series together.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from ascdemand.models.forecast.backtest import forecast_grid, pool
from ascdemand.models.forecast.catalogue import ARIMAX, DEFAULT_CANDIDATES, POOLED
from ascdemand.models.forecast.intervals import check_series, gaussian_frame
from ascdemand.models.forecast.nested import Evaluation, Rule, evaluate
from ascdemand.models.forecast.pooled import MIN_PANEL

__all__ = ["ForecastResult", "forecast", "forecast_panel"]


@dataclass(frozen=True, slots=True)
class ForecastResult:
    """The chosen model's forecast, why it was chosen, and the out-of-sample scores.

    `forecast` has `step, mean, sd, lo_L, hi_L` (sd: the chosen model's own error sd; the
    bounds are calibrated). `scores` has one row per model and one for the selection procedure
    (`model` "chosen"): `role` (choosable, benchmark or procedure), out-of-sample `mase`,
    `smape`, `vs_naive` (MASE over naive's on the same origins), `coverage80`, `coverage95`
    over `origins` origins, and the scores the final choice was made on: `selection_mase`,
    `selection_vs_naive`, `selection_windows`. `backtest` is the long frame of every
    backtest forecast (`model, origin, step, actual, mean, sd, scale`); the procedure's rows
    (`model` "chosen") also name the model `picked` at each origin and carry the intervals
    published from it, `lo_L, hi_L` (not clipped at zero; `sd` there is the yardstick).
    """

    chosen: str
    reason: str
    forecast: pl.DataFrame
    scores: pl.DataFrame
    backtest: pl.DataFrame


def _result(ev: Evaluation, levels: Sequence[int], nonnegative: bool) -> ForecastResult:
    frame = gaussian_frame(
        ev.mean, ev.sd, levels=levels, nonnegative=nonnegative, half_widths=ev.half_widths
    )
    return ForecastResult(ev.chosen, ev.reason, frame, ev.scores, ev.backtest)


def forecast(
    y: np.ndarray | Sequence[float],
    horizon: int = 13,
    *,
    season_length: int = 52,
    levels: tuple[int, ...] = (80, 95),
    origins: int | None = None,
    step: int = 1,
    candidates: Sequence[str] = DEFAULT_CANDIDATES,
    nonnegative: bool = True,
    exog: np.ndarray | None = None,
    future_exog: np.ndarray | None = None,
    rule: Rule | None = None,
) -> ForecastResult:
    """Choose a model by nested rolling-origin evaluation and forecast `horizon` steps.

    Args:
        y: Regular weekly or monthly series, oldest first; no NaN.
        horizon: Steps to forecast, also the backtest horizon.
        season_length: Steps per seasonal cycle (52 weekly, 12 monthly).
        levels: Interval coverages in percent.
        origins: Most backtest origins (None: as many as the history allows).
        step: Steps between backtest origins.
        candidates: Model names from `catalogue.MODELS`; naive is always included.
        nonnegative: Clip forecasts and bounds at zero (counts and hours).
        exog: Optional regressor aligned with `y` (weekly discharges to social care); adds
            the `arimax` candidate.
        future_exog: The regressor's assumed values over the horizon; required with `exog`.
        rule: Selection settings (default: naive unless beaten by 10% over two horizons'
            worth of origins).

    Returns:
        The chosen model and why, its calibrated forecast, the scores and the backtest.

    Raises:
        ValueError: NaN input, unknown candidates, a series too short (saying how many
            points are needed), or `exog` without `future_exog`.
    """
    y = check_series(y, horizon)
    if (exog is None) != (future_exog is None):
        raise ValueError("Give both exog and future_exog, or neither.")
    names = list(dict.fromkeys(["naive", *candidates]))
    if exog is not None and ARIMAX not in names:
        names.append(ARIMAX)
    grid = forecast_grid(
        y,
        horizon=horizon,
        season_length=season_length,
        candidates=names,
        origins=origins,
        step=step,
        nonnegative=nonnegative,
        exog=exog,
        future_exog=future_exog,
    )
    (ev,) = evaluate([grid], candidates=names, rule=rule, levels=levels)
    return _result(ev, levels, nonnegative)


def forecast_panel(
    series: Mapping[Hashable, np.ndarray | Sequence[float]],
    horizon: int = 13,
    *,
    season_length: int = 52,
    levels: tuple[int, ...] = (80, 95),
    origins: int | None = None,
    step: int = 1,
    candidates: Sequence[str] = DEFAULT_CANDIDATES,
    nonnegative: bool = True,
    rule: Rule | None = None,
) -> dict[Hashable, ForecastResult]:
    """Forecast many series of one kind together (districts, client groups, care boards).

    Each series is evaluated and forecast as by `forecast`, and with at least `MIN_PANEL`
    non-negative series two things are pooled: the panel's seasonal change is a candidate
    for every series, and the intervals are calibrated on the errors of all the series.

    Args:
        series: Key -> series; all of the same length, aligned on the same periods.
        horizon, season_length, levels, origins, step, candidates, nonnegative, rule:
            As for `forecast`.

    Returns:
        Key -> result, in the order given.

    Raises:
        ValueError: As for `forecast`, or series of different lengths.
    """
    keys = list(series)
    ys = [check_series(series[k], horizon) for k in keys]
    if len({y.size for y in ys}) > 1:
        raise ValueError("A panel's series must have the same length (the same periods).")
    names = list(dict.fromkeys(["naive", *candidates]))
    grids = [
        forecast_grid(
            y,
            horizon=horizon,
            season_length=season_length,
            candidates=names,
            origins=origins,
            step=step,
            nonnegative=nonnegative,
        )
        for y in ys
    ]
    many = len(ys) >= MIN_PANEL and all((y >= 0).all() for y in ys)
    if many:
        pool(grids, np.array(ys), nonnegative=nonnegative)
        names.append(POOLED)
    evaluations = evaluate(
        grids, candidates=names, rule=rule, levels=levels, pooled_calibration=many
    )
    return {k: _result(ev, levels, nonnegative) for k, ev in zip(keys, evaluations, strict=True)}
