"""The pooled, shrunk seasonal change: a candidate for many series of the same kind.

One district's (or one care board's) change between the same weeks a year ago is mostly noise;
the change in the total of all districts is mostly season. The forecast for a series is its last
value times the panel's change over the same steps one season earlier (averaged over every past
season available), shrunk towards no change:

    y_hat[T + h] = y[T] * exp(shrink * mean_s log(S[T - s m + h] / S[T - s m]))

where S is the panel total and s runs over the past seasons with data. It needs one season plus
the horizon of history, not three seasons, because the pooling, not the length, tames the noise.
Its spread is naive's. The shrinkage factor (`SHRINK`) was chosen on other series than the ones
the README reports; see `notebooks/forecast_validation.ipynb`.
"""

from __future__ import annotations

import numpy as np

from ascdemand.models.forecast.intervals import check_origins

__all__ = ["MIN_PANEL", "SHRINK", "pooled_seasonal_change"]

SHRINK = 0.25  # a quarter of the panel's seasonal change; see the module docstring
MIN_PANEL = 5  # fewer series than this are not "many": the candidate is not offered


def pooled_seasonal_change(
    panel: np.ndarray,
    origins: np.ndarray,
    horizon: int,
    season_length: int,
    *,
    shrink: float = SHRINK,
) -> np.ndarray:
    """Forecasts of every series of a panel from every origin.

    Args:
        panel: Series by time (S x n), aligned on the same periods; non-negative.
        origins: Training lengths.
        horizon: Steps ahead.
        season_length: Steps per season (52 weekly, 12 monthly).
        shrink: Share of the panel's past seasonal change applied (0: naive).

    Returns:
        Means, series x origins x steps; NaN where no earlier season covers the step (an
        origin shorter than one season and the step, or a panel total of zero).
    """
    panel = np.asarray(panel, dtype=float)
    t = check_origins(origins, panel.shape[1])
    m = season_length
    total = panel.sum(axis=0)
    steps = np.arange(1, horizon + 1)
    change_sum = np.zeros((t.size, horizon))
    seasons = np.zeros((t.size, horizon))
    last = t - 1
    for s in range(1, int(last.max()) // max(m, 1) + 1):
        base = last - s * m
        target = base[:, None] + steps[None, :]
        usable = (base[:, None] >= 0) & (target <= last[:, None])
        b = total[np.clip(base, 0, None)][:, None]
        v = total[np.clip(target, 0, total.size - 1)]
        usable &= (b > 0) & (v > 0)
        ratio = np.log(np.where(usable, v, 1.0) / np.where(usable, b, 1.0))
        change_sum += np.where(usable, ratio, 0.0)
        seasons += usable
    change = np.divide(change_sum, seasons, out=np.full_like(change_sum, np.nan), where=seasons > 0)
    factor = np.exp(shrink * change)
    return panel[:, last][:, :, None] * factor[None, :, :]
