"""Episodes of care as numpy columns, and turning them into rows of the data contract."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ascdemand.demo.context import Context
from ascdemand.demo.discharges import Discharges


@dataclass(frozen=True, slots=True)
class Entries:
    """People starting an episode: person number, start day, district index, source label."""

    person: np.ndarray
    start: np.ndarray
    district: np.ndarray
    source: np.ndarray

    @staticmethod
    def concat(parts: list[Entries]) -> Entries:
        return Entries(
            person=np.concatenate([p.person for p in parts]),
            start=np.concatenate([p.start for p in parts]),
            district=np.concatenate([p.district for p in parts]),
            source=np.concatenate([p.source for p in parts]),
        )

    def take(self, index: np.ndarray) -> Entries:
        return Entries(
            self.person[index], self.start[index], self.district[index], self.source[index]
        )

    @property
    def size(self) -> int:
        return int(self.person.size)


def hospital_entries(
    ctx: Context, discharges: Discharges, outcome: str, rng: np.random.Generator
) -> Entries:
    """The people discharged from hospital to `outcome`, starting on the day of discharge or the
    next (never after the as-at day)."""
    chosen = discharges.of(outcome)
    count = int(chosen.sum())
    return Entries(
        person=discharges.person[chosen],
        start=np.minimum(discharges.day[chosen] + rng.integers(0, 2, size=count), ctx.as_at),
        district=discharges.district[chosen],
        source=np.full(count, "hospital_discharge", dtype=object),
    )


def community_entries(
    ctx: Context, counts: np.ndarray, source: str, rng: np.random.Generator
) -> Entries:
    """New people whose episodes are first active on Monday t, `counts[t]` of them, starting on
    a day of the week before (Tuesday to Monday)."""
    week = np.repeat(np.arange(counts.size), counts)
    start = ctx.weeks.monday(week) - rng.integers(0, 7, size=week.size)
    return Entries(
        person=ctx.new_people(week.size),
        start=start,
        district=ctx.draw_districts(week.size, rng),
        source=np.full(week.size, source, dtype=object),
    )


def ends_from_lengths(
    ctx: Context, first_week: np.ndarray, length: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """End days of episodes active on `length` Mondays from `first_week`: a day before the next
    Monday."""
    last_monday = ctx.weeks.monday(first_week + length - 1)
    return last_monday + rng.integers(0, 7, size=first_week.size)


def person_id(column: str) -> pl.Expr:
    """Raw case-management identifiers (`LAS0001234`) from a column of person numbers."""
    return pl.concat_str(pl.lit("LAS"), pl.col(column).cast(pl.String).str.zfill(7))


def record_id(prefix: str) -> pl.Expr:
    """Sequential record identifiers such as `HC00000001`, in row order."""
    number = pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(8)
    return pl.concat_str(pl.lit(prefix), number)


def as_date(column: str, as_at: int | None = None) -> pl.Expr:
    """A column of day numbers as dates; with `as_at`, days after it become null (still open)."""
    day = pl.col(column).cast(pl.Int32).cast(pl.Date)
    if as_at is None:
        return day
    return pl.when(pl.col(column) > as_at).then(None).otherwise(day)
