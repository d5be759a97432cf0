"""Statistical process control the NHS way ("Making Data Count"): an XmR chart of a measure,
the special-cause rules, and the variation and assurance icons that replace a red/amber/green
status.

Reference: NHS England, "Making Data Count: getting started" (2019) and "Strengthening your
decisions" (2021): mean and moving-range limits over a baseline, limits at mean ± 2.66 × the
mean moving range (3 sigma), sigma = mean moving range / 1.128.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl

__all__ = ["Spc", "spc_chart", "weekly_spc", "RUN_LENGTH", "TREND_LENGTH"]

LIMIT_FACTOR = 2.66  # 3 / d2, d2 = 1.128 for moving ranges of two points
SIGMA_FACTOR = 1.128
RUN_LENGTH = 7  # points in a row on one side of the mean
TREND_LENGTH = 7  # points in a row all rising or all falling
Direction = Literal["up_is_good", "up_is_bad", "neutral"]

VARIATION_LABELS = {
    "common": "Common cause: no significant change",
    "improving_high": "Special cause: improvement (higher)",
    "improving_low": "Special cause: improvement (lower)",
    "concerning_high": "Special cause: concern (higher)",
    "concerning_low": "Special cause: concern (lower)",
    "neither_high": "Special cause: higher",
    "neither_low": "Special cause: lower",
}
ASSURANCE_LABELS = {
    "pass": "Consistently meets the target",
    "fail": "Consistently misses the target",
    "hit_and_miss": "Hit and miss: sometimes meets the target",
    "none": "No target set",
}


@dataclass(frozen=True, slots=True)
class Spc:
    """An XmR chart of one measure and what it says about its latest point.

    `points` has one row per period: `period`, `value`, `mean`, `lower`, `upper` (process
    limits), `lower_2s`/`upper_2s` (two sigma) and `rule`: the special-cause rule the point
    belongs to ("" for none).
    """

    points: pl.DataFrame
    mean: float
    lower: float
    upper: float
    baseline_from: dt.date
    baseline_to: dt.date
    variation: str
    """A key of `VARIATION_LABELS`, for the latest point."""
    assurance: str
    """A key of `ASSURANCE_LABELS`."""
    rule: str
    """Why the latest point is special cause, in words ("" for common cause)."""
    direction: Direction = "neutral"

    def direction_of(self, high: bool) -> str:
        """Whether a special-cause move above (`high`) or below the mean is good news
        ("improving"), bad news ("concerning") or neither, for this measure."""
        return _variation(1.0 if high else -1.0, 0.0, "special", self.direction).split("_")[0]

    @property
    def variation_label(self) -> str:
        return VARIATION_LABELS[self.variation]

    @property
    def assurance_label(self) -> str:
        return ASSURANCE_LABELS[self.assurance]


def _runs(flags: np.ndarray, length: int) -> np.ndarray:
    """True for every point inside a run of at least `length` consecutive True flags."""
    out = np.zeros(flags.size, dtype=bool)
    start = None
    for i, flag in enumerate(np.append(flags, False)):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= length:
                out[start:i] = True
            start = None
    return out


def special_cause_rules(
    values: np.ndarray, mean: float, lower: float, upper: float, sigma: float
) -> list[str]:
    """The special-cause rule each point belongs to, the most serious first ("" for none).

    Rules (Making Data Count): a point outside the process limits; a run of `RUN_LENGTH`
    points on one side of the mean; a trend of `TREND_LENGTH` points each higher (or lower)
    than the one before; two of three points beyond two sigma on the same side.
    """
    n = values.size
    rules = [""] * n
    outside = (values > upper) | (values < lower)
    above, below = _runs(values > mean, RUN_LENGTH), _runs(values < mean, RUN_LENGTH)
    steps = np.diff(values)
    rising = _runs(np.append(False, steps > 0), TREND_LENGTH - 1)
    falling = _runs(np.append(False, steps < 0), TREND_LENGTH - 1)
    # A trend of k points has k - 1 rising steps; mark the point before the first step too.
    for trend in (rising, falling):
        firsts = np.flatnonzero(trend & ~np.append(False, trend[:-1]))
        trend[np.maximum(firsts - 1, 0)] = True
    near = np.zeros(n, dtype=bool)
    for side in (values > mean + 2 * sigma, values < mean - 2 * sigma):
        for i in range(n - 2):
            window = side[i : i + 3]
            if window.sum() >= 2:
                near[i : i + 3] |= window
    for i in range(n):
        if outside[i]:
            rules[i] = "a point outside the process limits"
        elif above[i] or below[i]:
            rules[i] = f"a run of {RUN_LENGTH} or more points on one side of the mean"
        elif rising[i] or falling[i]:
            rules[i] = f"a trend of {TREND_LENGTH} or more points rising or falling"
        elif near[i]:
            rules[i] = "two of three points close to a process limit"
    return rules


def _variation(value: float, mean: float, rule: str, direction: Direction) -> str:
    if not rule:
        return "common"
    high = value > mean
    if direction == "neutral":
        return "neither_high" if high else "neither_low"
    good = high == (direction == "up_is_good")
    return f"{'improving' if good else 'concerning'}_{'high' if high else 'low'}"


def _assurance(lower: float, upper: float, target: float | None, direction: Direction) -> str:
    if target is None or direction == "neutral":
        return "none"
    if lower <= target <= upper:
        return "hit_and_miss"
    meets = lower > target if direction == "up_is_good" else upper < target
    return "pass" if meets else "fail"


def spc_chart(
    periods: list[dt.date],
    values: list[float],
    *,
    direction: Direction,
    baseline_from: dt.date | None = None,
    baseline_to: dt.date | None = None,
    target: float | None = None,
) -> Spc:
    """An XmR chart: mean and limits from the baseline periods, rules over every point.

    Args:
        periods: The periods (e.g. Mondays), oldest first.
        values: The measure in each period; no gaps.
        direction: Whether a rise is good, bad or neither (decides the icon).
        baseline_from, baseline_to: The periods the mean and limits are computed from
            (inclusive; default the whole series), e.g. restarted at a known change.
        target: The target the assurance icon judges, if any.

    Raises:
        ValueError: Fewer than two baseline points, or periods and values of different lengths.
    """
    if len(periods) != len(values):
        raise ValueError("periods and values must have the same length")
    y = np.asarray(values, dtype=float)
    when = np.asarray(periods)
    first = baseline_from or periods[0]
    last = baseline_to or periods[-1]
    base = y[(when >= first) & (when <= last)]
    if base.size < 2:
        raise ValueError(
            f"The baseline from {first} to {last} holds {base.size} point(s); it needs at least 2."
        )
    mean = float(base.mean())
    moving_range = float(np.abs(np.diff(base)).mean())
    lower, upper = mean - LIMIT_FACTOR * moving_range, mean + LIMIT_FACTOR * moving_range
    sigma = moving_range / SIGMA_FACTOR
    rules = special_cause_rules(y, mean, lower, upper, sigma)
    points = pl.DataFrame(
        {
            "period": periods,
            "value": y,
            "mean": mean,
            "lower": lower,
            "upper": upper,
            "lower_2s": mean - 2 * sigma,
            "upper_2s": mean + 2 * sigma,
            "rule": rules,
        }
    )
    return Spc(
        points=points,
        mean=mean,
        lower=lower,
        upper=upper,
        baseline_from=first,
        baseline_to=last,
        variation=_variation(float(y[-1]), mean, rules[-1], direction),
        assurance=_assurance(lower, upper, target, direction),
        rule=rules[-1],
        direction=direction,
    )


def weekly_spc(
    weekly: pl.DataFrame,
    column: str,
    *,
    direction: Direction,
    baseline_from: dt.date,
    target: float | None = None,
) -> Spc | None:
    """The XmR chart of a weekly frame (`week_start`, `column`; nulls skipped), or None when
    the baseline from `baseline_from` holds fewer than two weeks."""
    data = weekly.select("week_start", column).drop_nulls().sort("week_start")
    try:
        return spc_chart(
            data["week_start"].to_list(),
            data[column].to_list(),
            direction=direction,
            baseline_from=baseline_from,
            target=target,
        )
    except ValueError:
        return None
