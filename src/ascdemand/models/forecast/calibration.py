"""Interval calibration from backtest errors (split-conformal on standardised errors).

statsmodels' intervals assume the model is right; on service demand with regime changes
they are often too narrow at long horizons (and the random-walk baselines too wide). The
backtest gives honest errors: the interval half-width at a step becomes q * sd, q the
conformal quantile of |error| / sd over all backtest forecasts. The coverage we report is
leave-one-origin-out: each origin is judged with q learnt from the other origins only.
Reference: Angelopoulos & Bates (2021), "A gentle introduction to conformal prediction".
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

__all__ = ["conformal_quantile", "loo_coverage", "standardised_errors"]

_TINY = 1e-9  # floor under sd so that a zero-spread forecast gives a finite ratio


def standardised_errors(actual: np.ndarray, mean: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """|actual - mean| / sd, with sd floored at a tiny positive number."""
    return np.abs(np.asarray(actual) - np.asarray(mean)) / np.maximum(np.asarray(sd), _TINY)


def conformal_quantile(scores: np.ndarray, level: int) -> float:
    """The ceil((n + 1) * level / 100)-th smallest score, capped at the largest.

    With n = 9 scores and level 80: ceil(10 * 0.8) = 8, the 8th smallest.
    """
    ordered = np.sort(np.asarray(scores, dtype=float))
    if ordered.size == 0:
        return float("nan")
    rank = min(math.ceil((ordered.size + 1) * level / 100), ordered.size)
    return float(ordered[rank - 1])


def loo_coverage(backtest: pl.DataFrame, level: int) -> float:
    """Coverage of calibrated `level`% intervals, each origin scored with the quantile of
    the other origins' standardised errors (a single origin falls back to its own).

    Args:
        backtest: One model's rows of `rolling_origin`: `origin, actual, mean, sd`.
        level: Interval coverage in percent.
    """
    z = standardised_errors(
        backtest["actual"].to_numpy(), backtest["mean"].to_numpy(), backtest["sd"].to_numpy()
    )
    origin = backtest["origin"].to_numpy()
    inside = np.zeros(z.size, dtype=bool)
    for o in np.unique(origin):
        held = origin == o
        others = z[~held] if (~held).any() else z
        inside[held] = z[held] <= conformal_quantile(others, level)
    return float(inside.mean())
