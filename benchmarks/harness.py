"""Timing and memory primitives shared by every benchmark: median of repeated runs, peak RSS."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(slots=True)
class Result:
    """One measured item: the median and every run in seconds, rows processed, and notes.

    `peak_rss_mb` is filled in by the worker: the peak resident set size of the process that
    ran the measure (interpreter and libraries included), from `getrusage(RUSAGE_SELF)`.
    """

    measure: str
    item: str
    median_s: float | None
    runs_s: list[float]
    rows: int
    scale: int | None = None
    peak_rss_mb: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        return cls(**data)


def timed(fn: Callable[[], T], repeat: int) -> tuple[float, list[float], T]:
    """Run `fn` `repeat` times; the median and each wall-clock time in seconds, and the last
    value `fn` returned."""
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1; got {repeat}")
    runs: list[float] = []
    value: T
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), runs, value


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
