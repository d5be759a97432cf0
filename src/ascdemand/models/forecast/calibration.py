"""Interval calibration from out-of-sample errors: split-conformal, per horizon step, adaptive.

A model's own intervals assume the model is right; on service demand with changes of regime
they are too narrow at some times and too wide at others. The honest errors are the ones a
forecast made before the outcome: the interval half-width at step h becomes q_h times a
yardstick (naive's error sd at that step from the same origin, measured on recent changes), q_h
the conformal quantile of |error| / yardstick over recent out-of-sample errors at step h. Where
they are too few, the steps are pooled; where even those are too few, the Gaussian quantile is
used. The share taken adapts to the misses seen so far (adaptive conformal inference), so that
coverage recovers after a change of regime.
References: Angelopoulos & Bates (2021), "A gentle introduction to conformal prediction";
Gibbs & Candes (2021), "Adaptive conformal inference under distribution shift", NeurIPS.
"""

from __future__ import annotations

import math

import numpy as np

from ascdemand.models.forecast.intervals import z_score

__all__ = [
    "ADAPT_RATE",
    "RECENT_WINDOWS",
    "adaptive_quantiles",
    "conformal_quantile",
    "step_quantiles",
]

RECENT_WINDOWS = 52  # calibration reads the errors of this many latest complete windows
ADAPT_RATE = 0.03  # how fast the share taken reacts to misses (chosen on other series)


def conformal_quantile(scores: np.ndarray, level: float) -> float:
    """The ceil((n + 1) * level / 100)-th smallest score, capped at the largest.

    With n = 9 scores and level 80: ceil(10 * 0.8) = 8, the 8th smallest.
    """
    ordered = np.sort(np.asarray(scores, dtype=float))
    if ordered.size == 0:
        return float("nan")
    rank = min(max(math.ceil((ordered.size + 1) * level / 100), 1), ordered.size)
    return float(ordered[rank - 1])


def _enough(level: int) -> int:
    """Fewest scores whose conformal rank ceil((n + 1) * level / 100) is within them: 4 at
    80%, 19 at 95%."""
    return math.ceil(level / (100 - level))


def step_quantiles(scores: np.ndarray, share: float, level: int) -> np.ndarray:
    """Per step (column), the ceil((n + 1) * share)-th smallest finite score.

    A step with fewer than `_enough(level)` scores takes the quantile of all steps together;
    with too few even then, the Gaussian quantile of `share` or the largest score, whichever
    is wider (the yardstick is an sd; a conformal interval would be unbounded).

    Worked by hand: scores 1, 2, ..., 9 at one step and share 0.8 give ceil(10 x 0.8) = the
    8th smallest, 8.
    """
    h = scores.shape[1]
    flat = scores[np.isfinite(scores)]
    if flat.size >= _enough(level):
        out = np.full(h, conformal_quantile(flat, share * 100))
    else:
        gaussian = z_score(min(share, 0.999) * 100)
        out = np.full(h, max(gaussian, float(flat.max())) if flat.size else gaussian)
    ordered = np.sort(scores, axis=0)  # NaN last
    counts = np.isfinite(scores).sum(axis=0)
    steps = np.flatnonzero(counts >= _enough(level))
    if steps.size:
        ranks = np.clip(np.ceil((counts[steps] + 1) * share).astype(int), 1, counts[steps])
        out[steps] = ordered[ranks - 1, steps]
    return out


def adaptive_quantiles(
    scores: np.ndarray, checks: np.ndarray, complete: np.ndarray, level: int
) -> np.ndarray:
    """Interval multipliers per row and step: adaptive split-conformal quantiles.

    At each row the quantile is taken over the standardised errors of the last
    `RECENT_WINDOWS` windows complete by its origin, at a share that adapts to the misses seen
    so far (adaptive conformal inference, Gibbs & Candes 2021): every time a window completes,
    the share moves by `ADAPT_RATE` times (its miss rate - the intended miss rate), so that
    coverage recovers after a change of regime instead of staying off for a year. A row's
    quantile depends only on the windows complete at its origin, whatever rows came before.

    Args:
        scores: Series x rows x steps standardised errors usable for calibration (NaN not).
        checks: The same errors for judging misses (infinite when the yardstick was 0).
        complete: Per row, how many leading windows were complete at its origin.
        level: Coverage in percent.

    Returns:
        Rows x steps multipliers of the yardstick.
    """
    _, rows, h = scores.shape
    intended = 1 - level / 100
    miss = intended
    out = np.full((rows, h), np.nan)
    done = 0
    for r in range(rows):
        upto = int(complete[r])
        for window in range(done, upto):  # one update per window, in the order they ended
            judged = checks[:, window, :]
            known = np.isfinite(out[window])[None, :] & ~np.isnan(judged)
            if known.any():
                missed = judged > np.broadcast_to(out[window][None], judged.shape)
                miss += ADAPT_RATE * (intended - float(missed[known].mean()))
        done = max(done, upto)
        share = min(max(1 - miss, 0.0), 1.0)
        recent = scores[:, max(0, upto - RECENT_WINDOWS) : upto, :].reshape(-1, h)
        out[r] = step_quantiles(recent, share, level)
    return out
