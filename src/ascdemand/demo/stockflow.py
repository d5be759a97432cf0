"""Stock-and-flow arithmetic: lengths of stay, the entries a target stock needs, and sampling.

Every episode is active on a whole number of Mondays. A length-of-stay mixture of geometric
distributions keeps the arithmetic exact: the stock on Monday t is the sum over past entry weeks
s of entries(s) x P(length > t - s), so the entries that reproduce a target stock follow week by
week (a loop over weeks, never over people). Sampling is stratified within each entry week, so
each week's realised lengths follow the distribution closely and the stocks track their target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class LengthOfStay:
    """A mixture of geometric lengths (in active Mondays, at least 1)."""

    weights: tuple[float, ...]  # share of new episodes in each component
    means: tuple[float, ...]  # mean length of each component (weeks)

    def survival(self, k: np.ndarray) -> np.ndarray:
        """P(length > k): the share of an entry week still active k Mondays later."""
        k = np.asarray(k, dtype=float)
        return sum(w * (1 - 1 / m) ** k for w, m in zip(self.weights, self.means, strict=True))

    def stock_survival(self, k: np.ndarray) -> np.ndarray:
        """The share of a steady-state stock still active k Mondays on."""
        k = np.asarray(k, dtype=float)
        weights = self.stock_weights()
        return sum(w * (1 - 1 / m) ** k for w, m in zip(weights, self.means, strict=True))

    def stock_weights(self) -> np.ndarray:
        """Share of each component in a steady-state stock (weights x mean length)."""
        mass = np.array(self.weights) * np.array(self.means)
        return mass / mass.sum()

    def split(self, u: np.ndarray, *, stock: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The component mean chosen by uniforms `u`, and a fresh uniform within it.

        `stock=True` uses the steady-state stock weights (a memoryless stay's residual length
        has the same geometric as a new one's).
        """
        weights = self.stock_weights() if stock else np.array(self.weights)
        edges = np.concatenate([[0.0], np.cumsum(weights)])
        component = np.clip(np.searchsorted(edges, u, side="right") - 1, 0, len(weights) - 1)
        inner = np.clip((u - edges[component]) / weights[component], 1e-12, 1 - 1e-12)
        return np.array(self.means)[component], inner

    def sample(
        self, u: np.ndarray, *, stock: bool = False, stretch: np.ndarray | float = 1.0
    ) -> np.ndarray:
        """Lengths (active Mondays) from uniforms `u`; `stretch` multiplies the means."""
        mean, inner = self.split(u, stock=stock)
        return geometric(inner, mean * stretch)


def geometric(u: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Geometric lengths of at least 1 with the given means, by inversion of uniforms `u`."""
    hazard = 1 / np.maximum(mean, 1.0 + 1e-9)
    return (1 + np.floor(np.log(u) / np.log1p(-hazard))).astype(np.int64)


def stratified_uniform(sizes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One uniform per item of groups laid out in order (`np.repeat` order), stratified in each
    group: a group of n gets one draw from each of [0, 1/n), [1/n, 2/n) ... in random order."""
    sizes = np.asarray(sizes, dtype=np.int64)
    total = int(sizes.sum())
    group = np.repeat(np.arange(sizes.size), sizes)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    order = np.argsort(group + rng.random(total))  # groups stay in order, shuffled inside
    rank = np.empty(total, dtype=np.int64)
    rank[order] = np.arange(total) - offsets[group[order]]
    return (rank + rng.random(total)) / np.maximum(sizes[group], 1)


def round_counts(values: np.ndarray) -> np.ndarray:
    """Whole counts whose running total never drifts more than half from the running total of
    `values` (so small weekly flows are not all rounded away)."""
    totals = np.round(np.cumsum(np.maximum(values, 0.0)))
    return np.diff(np.concatenate([[0.0], totals])).astype(np.int64)


def survivors(entries: np.ndarray, survival_by_lag: np.ndarray) -> np.ndarray:
    """Expected active count on each Monday from `entries` by first active week."""
    n = entries.size
    out = np.zeros(n)
    for t in range(n):
        out[t] = entries[: t + 1] @ survival_by_lag[t::-1]
    return out


def solve_entries(
    target: np.ndarray,
    known: np.ndarray,
    initial: np.ndarray,
    survival_by_lag: np.ndarray,
    floor: np.ndarray,
    noise: np.ndarray | None = None,
) -> np.ndarray:
    """The entries each week (besides `known` ones) that make the stock follow `target`.

    Args:
        target: Wanted stock on each Monday.
        known: Entries already fixed (e.g. from discharges), by first active week.
        initial: Expected survivors of the first Monday's stock on each Monday.
        survival_by_lag: P(length > k) for k = 0 .. weeks - 1.
        floor: Least number of extra entries a week (entries are never negative).
        noise: Multiplies each week's extra entries; later weeks make up the difference, so
            the stock wobbles around its target instead of drifting away.

    Returns:
        Extra entries per week (floats; round with `round_counts`).
    """
    n = target.size
    extra = np.zeros(n)
    total = np.zeros(n)
    for t in range(n):
        carried = initial[t] + (total[:t] @ survival_by_lag[t:0:-1] if t else 0.0)
        extra[t] = max(target[t] - carried - known[t], floor[t])
        if noise is not None:
            extra[t] *= noise[t]
        total[t] = known[t] + extra[t]
    return extra


def draw_initial(
    length: LengthOfStay, count: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Residual active Mondays (from the first Monday) and whole weeks already elapsed, for a
    steady-state stock of `count` people."""
    mean, inner = length.split(stratified_uniform(np.array([count]), rng), stock=True)
    residual = geometric(inner, mean)
    return residual, elapsed_weeks(mean, rng)


MAX_ELAPSED_WEEKS = 1040  # 20 years: older episodes are dated as starting 20 years back


def elapsed_weeks(mean: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Whole weeks already spent by people in a steady-state stock (memoryless stays), capped
    at `MAX_ELAPSED_WEEKS` so no start date is implausibly old."""
    weeks = geometric(np.clip(rng.random(np.size(mean)), 1e-12, 1.0), np.asarray(mean)) - 1
    return np.minimum(weeks, MAX_ELAPSED_WEEKS)


GOLDEN = (np.sqrt(5) - 1) / 2


def balanced_uniform(group: np.ndarray, key: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Uniforms spread evenly along `key` within each group (a golden-ratio sequence by key rank).

    Any run of consecutive key ranks gets near-evenly spread values, so when `key` is a length
    of stay, the people of an entry week still active after any number of weeks (the longest
    ones) have hours spread as evenly as the whole week's: the stock's mean hours track the
    target instead of wandering with who happens to stay.
    """
    order = np.lexsort((key, group))
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    sizes = np.diff(np.r_[starts, sorted_group.size])
    rank = np.arange(group.size) - np.repeat(starts, sizes)
    offset = np.repeat(rng.random(starts.size), sizes)
    u = np.empty(group.size)
    u[order] = np.mod(offset + rank * GOLDEN, 1.0)
    return u
