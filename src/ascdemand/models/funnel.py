"""Funnel plots for proportions: organisations of different sizes against the national rate,
with 95% and 99.8% control limits that narrow as volume grows (Spiegelhalter, "Funnel plots for
comparing institutional performance", Statistics in Medicine 2005)."""

from __future__ import annotations

import numpy as np
import polars as pl

Z95 = 1.959964  # two-sided 95%
Z998 = 3.090232  # two-sided 99.8%


def funnel_limits(rate: float, volumes: np.ndarray) -> dict[str, np.ndarray]:
    """Control limits around `rate` for each volume: rate ± z × sqrt(rate × (1 - rate) / n),
    clipped to [0, 1] (the normal approximation to the binomial)."""
    n = np.asarray(volumes, dtype=float)
    spread = np.sqrt(rate * (1.0 - rate) / n)
    return {
        name: np.clip(rate + sign * z * spread, 0.0, 1.0)
        for z, level in ((Z95, "95"), (Z998, "998"))
        for sign, name in ((-1, f"lo_{level}"), (1, f"hi_{level}"))
    }


def funnel(frame: pl.DataFrame, numerator: str, denominator: str) -> tuple[float, pl.DataFrame]:
    """The pooled rate (sum of numerators / sum of denominators) and, for each organisation,
    its proportion, limits at its volume and where it falls (`within`, `above_95`,
    `above_998`, `below_95`, `below_998`). Rows without a positive denominator are dropped."""
    usable = frame.filter(pl.col(denominator) > 0, pl.col(numerator).is_not_null())
    rate = float(usable[numerator].sum() / usable[denominator].sum())
    limits = funnel_limits(rate, usable[denominator].to_numpy())
    shown = usable.with_columns(
        (pl.col(numerator) / pl.col(denominator)).alias("proportion"),
        *(pl.Series(name, values) for name, values in limits.items()),
    )
    p = pl.col("proportion")
    return rate, shown.with_columns(
        pl.when(p > pl.col("hi_998"))
        .then(pl.lit("above_998"))
        .when(p > pl.col("hi_95"))
        .then(pl.lit("above_95"))
        .when(p < pl.col("lo_998"))
        .then(pl.lit("below_998"))
        .when(p < pl.col("lo_95"))
        .then(pl.lit("below_95"))
        .otherwise(pl.lit("within"))
        .alias("position")
    )
