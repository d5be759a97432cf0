"""Rolling-origin forecasts: every candidate from every past origin, and from the end.

An origin is a training length T: the model sees `y[:T]` and forecasts `y[T:T + h]`. The
backtest windows are one step apart by default and end `h` steps before the data do; one more
row, the end of the series, is the forecast itself. Selection and calibration (`nested`) only
ever read rows whose outcomes were known before the origin they serve. With `exog`, the
`arimax` candidate is scored with the regressor's realised future values, i.e. as a forecast
conditional on known discharges, which is how the scenario engine uses it.
Reference: FPP3 section 5.10, https://otexts.com/fpp3/tscv.html.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from ascdemand.models.forecast.arima import arima
from ascdemand.models.forecast.catalogue import ARIMAX, MODELS, POOLED
from ascdemand.models.forecast.intervals import check_series
from ascdemand.models.forecast.pooled import pooled_seasonal_change

__all__ = [
    "MIN_TRAIN",
    "Grid",
    "forecast_grid",
    "origin_points",
    "pool",
    "rolling_origin",
    "yardstick",
]

MIN_TRAIN = 6  # the fewest training points any origin may have
YARDSTICK_CHANGES = 26  # naive's spread for calibration is measured on this many latest changes


def needed(horizon: int) -> int:
    """The fewest points that allow one backtest window, hence a calibrated forecast."""
    return MIN_TRAIN + horizon


def origin_points(n: int, *, horizon: int, origins: int | None = None, step: int = 1) -> np.ndarray:
    """Training lengths of the backtest windows, oldest first: the newest ends `horizon`
    steps before the data do, the others `step` apart, at most `origins` of them (None: as
    many as the history allows), none shorter than `MIN_TRAIN`.

    Raises:
        ValueError: Too short for one window; the message says how many points are needed.
    """
    if step < 1:
        raise ValueError(f"The step between origins must be at least 1, got {step}.")
    points = np.arange(n - horizon, MIN_TRAIN - 1, -step)[::-1]
    if origins is not None:
        points = points[-origins:] if origins > 0 else points[:0]
    if points.size == 0:
        raise ValueError(
            f"Too short to forecast {horizon} steps ahead: {n} points; needs at least "
            f"{needed(horizon)}."
        )
    return points


@dataclass(frozen=True, slots=True)
class Grid:
    """Every candidate's forecasts from every origin of one series.

    Rows are origins (training lengths): the backtest windows, oldest first, then the end of
    the series, whose actuals are NaN. `scale` is each origin's MASE denominator (the mean
    absolute one-step change of its training data; NaN if constant), `spread` the yardstick
    intervals are calibrated against (see `yardstick`). `mean` and `sd` map a model
    to rows x steps arrays, NaN where it cannot forecast from that origin.
    """

    origins: np.ndarray
    horizon: int
    season_length: int
    actual: np.ndarray
    scale: np.ndarray
    spread: np.ndarray
    mean: dict[str, np.ndarray]
    sd: dict[str, np.ndarray]

    @property
    def windows(self) -> int:
        """Rows with outcomes: all but the last."""
        return self.origins.size - 1

    def complete_before(self) -> np.ndarray:
        """For each row, how many windows had all their outcomes known at its origin."""
        return np.searchsorted(self.origins[:-1] + self.horizon, self.origins, side="right")


def _actuals(y: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
    index = origins[:, None] + np.arange(horizon)[None, :]
    return np.where(index < y.size, y[np.minimum(index, y.size - 1)], np.nan)


def _scales(y: np.ndarray, origins: np.ndarray) -> np.ndarray:
    absolute = np.concatenate([[0.0], np.cumsum(np.abs(np.diff(y)))])
    scale = absolute[origins - 1] / (origins - 1)
    return np.where(scale > 0, scale, np.nan)


def yardstick(y: np.ndarray, origins: np.ndarray, horizon: int) -> np.ndarray:
    """Naive's error sd at each step from each origin, sigma * sqrt(h), with sigma the RMS of
    the last `YARDSTICK_CHANGES` one-step changes of the training data: the scale intervals are
    calibrated in. Recent changes, so that a calm start does not set the scale of a volatile
    present (0 when the recent history is constant)."""
    squares = np.concatenate([[0.0], np.cumsum(np.diff(y) ** 2)])
    last = origins - 1
    first = np.maximum(last - YARDSTICK_CHANGES, 0)
    count = last - first
    sigma = np.sqrt(
        np.divide(
            squares[last] - squares[first], count, out=np.zeros(origins.size), where=count > 0
        )
    )
    return sigma[:, None] * np.sqrt(np.arange(1, horizon + 1))[None, :]


def forecast_grid(
    y: np.ndarray | Sequence[float],
    *,
    horizon: int,
    season_length: int,
    candidates: Sequence[str],
    origins: int | None = None,
    step: int = 1,
    nonnegative: bool = True,
    exog: np.ndarray | None = None,
    future_exog: np.ndarray | None = None,
) -> Grid:
    """Forecasts of every candidate from every backtest origin and from the end.

    Args:
        y: The full series, oldest first; no NaN.
        horizon: Steps forecast from each origin.
        season_length: Steps per seasonal cycle.
        candidates: Names from `catalogue.MODELS`, plus `arimax` when `exog` is given.
        origins: Most backtest windows (None: as many as the history allows).
        step: Steps between origins.
        nonnegative: Clip forecasts at zero.
        exog: Regressor aligned with `y`, for the `arimax` candidate.
        future_exog: The regressor over the horizon after the end, for the final row.

    Raises:
        ValueError: Unknown candidates, `arimax` without `exog`, or too short a series.
    """
    y = check_series(y, horizon)
    unknown = set(candidates) - set(MODELS) - {ARIMAX}
    if unknown:
        raise ValueError(f"Unknown models: {sorted(unknown)}; choose from {sorted(MODELS)}.")
    if ARIMAX in candidates and exog is None:
        raise ValueError("The arimax candidate needs an exog series.")
    windows = origin_points(y.size, horizon=horizon, origins=origins, step=step)
    rows = np.append(windows, y.size)
    spread = yardstick(y, rows, horizon)
    means: dict[str, np.ndarray] = {}
    sds: dict[str, np.ndarray] = {}
    for name in dict.fromkeys(["naive", *candidates]):
        mean = np.full((rows.size, horizon), np.nan)
        sd = np.full((rows.size, horizon), np.nan)
        if name == ARIMAX:
            fits = rows >= 6
            for i in np.flatnonzero(fits):
                t = rows[i]
                future = exog[t : t + horizon] if t < y.size else future_exog
                frame = arima(
                    y[:t],
                    horizon,
                    levels=(),
                    nonnegative=False,
                    exog=exog[:t],
                    future_exog=np.asarray(future, dtype=float),
                )
                mean[i], sd[i] = frame["mean"].to_numpy(), frame["sd"].to_numpy()
        else:
            model = MODELS[name]
            fits = rows >= model.minimum
            if fits.any():
                mean[fits], sd[fits] = model.batch(y, rows[fits], horizon, season_length)
        means[name] = np.maximum(mean, 0.0) if nonnegative else mean
        sds[name] = sd
    return Grid(
        origins=rows,
        horizon=horizon,
        season_length=season_length,
        actual=_actuals(y, rows, horizon),
        scale=_scales(y, rows),
        spread=spread,
        mean=means,
        sd=sds,
    )


def pool(grids: Sequence[Grid], panel: np.ndarray, *, nonnegative: bool = True) -> None:
    """Add the pooled seasonal change of `panel` (series x time) to each series' grid.

    The grids must come from the series of `panel`, in order, with the same origins.
    """
    forecasts = pooled_seasonal_change(
        panel, grids[0].origins, grids[0].horizon, grids[0].season_length
    )
    for grid, mean in zip(grids, forecasts, strict=True):
        grid.mean[POOLED] = np.maximum(mean, 0.0) if nonnegative else mean
        grid.sd[POOLED] = grid.spread.copy()


def grid_frame(grid: Grid, names: Sequence[str] | None = None) -> pl.DataFrame:
    """The backtest windows as a long frame `model, origin, step, actual, mean, sd, scale`."""
    names = list(grid.mean) if names is None else list(names)
    rows, h = grid.windows, grid.horizon
    if rows == 0:
        return pl.DataFrame(
            schema={
                "model": pl.String,
                "origin": pl.Int64,
                "step": pl.Int64,
                "actual": pl.Float64,
                "mean": pl.Float64,
                "sd": pl.Float64,
                "scale": pl.Float64,
            }
        )
    origin = np.repeat(grid.origins[:rows], h)
    step = np.tile(np.arange(1, h + 1), rows)
    parts = [
        pl.DataFrame(
            {
                "model": name,
                "origin": origin,
                "step": step,
                "actual": grid.actual[:rows].ravel(),
                "mean": grid.mean[name][:rows].ravel(),
                "sd": grid.sd[name][:rows].ravel(),
                "scale": np.repeat(grid.scale[:rows], h),
            }
        )
        for name in names
    ]
    return pl.concat(parts).with_columns(pl.col("mean", "sd").fill_nan(None))


def rolling_origin(
    y: np.ndarray,
    *,
    horizon: int,
    season_length: int,
    candidates: Sequence[str],
    origins: int | None = None,
    step: int = 1,
    nonnegative: bool = True,
    exog: np.ndarray | None = None,
) -> pl.DataFrame:
    """Forecasts of every candidate from every backtest window, beside what happened.

    Returns:
        Long frame `model, origin, step, actual, mean, sd, scale` where `origin` is the
        training length and `scale` the MASE denominator of that training window.
    """
    grid = forecast_grid(
        y,
        horizon=horizon,
        season_length=season_length,
        candidates=candidates,
        origins=origins,
        step=step,
        nonnegative=nonnegative,
        exog=exog,
        future_exog=None if exog is None else np.zeros(horizon),
    )
    return grid_frame(grid, candidates)
