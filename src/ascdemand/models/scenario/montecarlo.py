"""Uncertainty bands for a scenario: many runs at once, with weekly arrivals drawn at random
(Poisson) and lengths of stay and outcome shares drawn around their estimates.

All runs go through the engine in one vectorised call. The same seed gives the same draws, and
because the draws do not depend on the scenario's levers, a baseline and a scenario run with one
seed share their randomness (common random numbers), so their difference is not blurred by noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.special import ndtri

from ascdemand.models.scenario.engine import (
    MAX_HORIZON,
    SPEND_SERIES,
    Trajectory,
    expected_arrivals,
    simulate,
)
from ascdemand.models.scenario.params import ScenarioParams

DEFAULT_RUNS = 500
DURATIONS = (
    "reablement_weeks",
    "homecare_weeks",
    "waiting_weeks",
    "temporary_weeks",
    "permanent_weeks",
)
SHARES = (
    "reablement_independent_share",
    "shortfall_to_temporary_share",
    "temporary_to_permanent_share",
    "temporary_to_homecare_share",
)
BAND_SERIES = (
    "homecare",
    "homecare_hours",
    "reablement",
    "waiting",
    "unmet_hours",
    "temporary",
    "permanent",
    "spend_total",
    "cumulative_spend",
)


@dataclass(frozen=True, slots=True)
class Uncertainty:
    """How much to vary: `relative_sd` of lengths of stay and outcome shares (0.1 = about 10%),
    and whether weekly arrivals are drawn at random around their mean."""

    relative_sd: float = 0.10
    random_arrivals: bool = True

    def __post_init__(self) -> None:
        if not 0.0 <= self.relative_sd <= 1.0:
            raise ValueError(
                f"Parameter 'relative_sd' must be between 0 and 1; got {self.relative_sd:g}."
            )


def draw_overrides(
    params: ScenarioParams, runs: int, uncertainty: Uncertainty, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Per-run lengths of stay (lognormal around the estimate, at least 1 week) and outcome
    shares (lognormal multiplier, kept within 0..1 and the temporary exits within 1).
    Capacities are the scenario's levers and are not drawn: the market cannot deliver more
    than the hours set, so a band closes on the capacity when homecare is short."""
    sd = uncertainty.relative_sd
    draws = {
        name: np.maximum(getattr(params, name) * rng.lognormal(0.0, sd, runs), 1.0)
        for name in DURATIONS
    }
    for name in SHARES:
        draws[name] = np.clip(getattr(params, name) * rng.lognormal(0.0, sd, runs), 0.0, 1.0)
    leave = draws["temporary_to_permanent_share"] + draws["temporary_to_homecare_share"]
    scale = np.where(leave > 1.0, 1.0 / np.maximum(leave, 1e-12), 1.0)
    draws["temporary_to_permanent_share"] *= scale
    draws["temporary_to_homecare_share"] *= scale
    return draws


def run_many(
    params: ScenarioParams,
    weeks: int = MAX_HORIZON,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = 2021,
    uncertainty: Uncertainty = Uncertainty(),
) -> Trajectory:
    """Run `runs` randomised copies of the scenario in one vectorised call.

    Args:
        params: The scenario around which runs are drawn.
        weeks: Horizon in weeks, 1 to 52.
        runs: Number of runs, at least 1.
        seed: Seed of the random generator; the same seed gives the same result.
        uncertainty: How much lengths of stay, shares and arrivals vary.

    Returns:
        A `Trajectory` with one row per run.
    """
    if runs < 1:
        raise ValueError(f"Parameter 'runs' must be at least 1; got {runs}.")
    rng = np.random.default_rng(seed)
    overrides = draw_overrides(params, runs, uncertainty, rng)
    mean = expected_arrivals(params, weeks)
    if uncertainty.random_arrivals:
        # Counts by inversion from uniforms: the same seed gives the same randomness whatever
        # the discharge level (common random numbers between baseline and scenario).
        uniforms = rng.random((runs, weeks, mean.shape[2]))
        arrivals = _poisson_quantile(np.broadcast_to(mean, uniforms.shape), uniforms)
    else:
        arrivals = np.broadcast_to(mean, (runs, *mean.shape[1:]))
    return simulate(params, weeks, arrivals=arrivals, overrides=overrides)


def _poisson_quantile(mean: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Poisson-like counts: the rounded normal approximation (mean and variance `mean`),
    about 100 times faster than exact inversion and monotone in the mean and the draw."""
    z = ndtri(np.clip(u, 1e-12, 1 - 1e-12))
    return np.maximum(np.floor(mean + z * np.sqrt(mean) + 0.5), 0.0)


def bands(trajectory: Trajectory, series: tuple[str, ...] = BAND_SERIES) -> pl.DataFrame:
    """Mean and 80% band (10th and 90th percentiles) of each series, week by week.

    Returns:
        Long frame: `week`, `week_start`, `series`, `mean`, `lo_80`, `hi_80`.
    """
    weeks = len(trajectory.week_start)
    parts = []
    for name in series:
        values = trajectory.series[name]
        lo, hi = np.percentile(values, [10, 90], axis=0)
        parts.append(
            pl.DataFrame(
                {
                    "week": np.arange(1, weeks + 1),
                    "week_start": trajectory.week_start,
                    "series": [name] * weeks,
                    "mean": values.mean(axis=0),
                    "lo_80": lo,
                    "hi_80": hi,
                }
            )
        )
    return pl.concat(parts)


def year_end_bands(trajectory: Trajectory) -> pl.DataFrame:
    """Spend to 31 March by line: mean and 80% band across runs."""
    totals = trajectory.year_end_totals()
    names = [*SPEND_SERIES, "spend_total"]
    return pl.DataFrame(
        {
            "series": names,
            "mean": [float(totals[n].mean()) for n in names],
            "lo_80": [float(np.percentile(totals[n], 10)) for n in names],
            "hi_80": [float(np.percentile(totals[n], 90)) for n in names],
        }
    )
