"""Scoring the backtest and choosing the model: lowest mean MASE wins, ties to the simpler."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from ascdemand.models.forecast.calibration import (
    conformal_quantile,
    loo_coverage,
    standardised_errors,
)
from ascdemand.models.forecast.intervals import z_score
from ascdemand.models.forecast.metrics import coverage, smape

__all__ = ["choose", "score_backtest"]


def _model_scores(rows: pl.DataFrame, levels: Sequence[int]) -> dict[str, float]:
    actual, mean, sd = (rows[c].to_numpy() for c in ("actual", "mean", "sd"))
    per_origin = rows.group_by("origin").agg(
        mae=(pl.col("actual") - pl.col("mean")).abs().mean(), scale=pl.col("scale").first()
    )
    scaled = (per_origin["mae"] / per_origin["scale"]).to_numpy()
    origin_smape = [
        smape(g["actual"].to_numpy(), g["mean"].to_numpy())
        for _, g in rows.group_by("origin", maintain_order=True)
    ]
    scores = {
        "mase": float(np.nanmean(scaled)) if np.isfinite(scaled).any() else float("nan"),
        "smape": float(np.mean(origin_smape)),
    }
    z = standardised_errors(actual, mean, sd)
    for level in levels:
        scores[f"coverage{level}"] = loo_coverage(rows, level)
        half = z_score(level) * sd
        scores[f"coverage{level}_raw"] = coverage(actual, mean - half, mean + half)
        scores[f"stretch{level}"] = conformal_quantile(z, level) / z_score(level)
    return scores


def score_backtest(backtest: pl.DataFrame, *, levels: Sequence[int] = (80, 95)) -> pl.DataFrame:
    """One row per model: `mase`, `smape` (means over origins), calibrated `coverageL`
    (leave-one-origin-out), statsmodels' own `coverageL_raw`, and `stretchL`, the factor
    applied to the model's own interval width.

    Args:
        backtest: The long frame from `backtest.rolling_origin`.
        levels: Interval coverages in percent.

    Returns:
        Models in their backtest order.
    """
    rows = [
        {"model": name, **_model_scores(group, levels)}
        for (name,), group in backtest.group_by("model", maintain_order=True)
    ]
    return pl.DataFrame(rows)


def choose(scores: pl.DataFrame) -> str:
    """The model with the lowest MASE; the first listed (simplest) wins a tie, and a model
    whose MASE is undefined (constant history) loses to any that has one."""
    mase = scores["mase"].fill_nan(None).to_list()
    models = scores["model"].to_list()
    best = min(
        range(len(models)),
        key=lambda i: (mase[i] is None, mase[i] if mase[i] is not None else 0.0, i),
    )
    return models[best]
