"""The demo's weekly grid and the curves drawn on it.

Days are integers (days since 1970-01-01) and weeks are indices of Mondays from the series start,
so every generator step is plain numpy arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from ascdemand.demo.params import Knots

EPOCH = date(1970, 1, 1)


def day_number(iso: str | date) -> int:
    """Days since 1970-01-01 of an ISO date string or a date."""
    day = date.fromisoformat(iso) if isinstance(iso, str) else iso
    return (day - EPOCH).days


@dataclass(frozen=True, slots=True)
class Weeks:
    """Mondays from `first_monday` up to the as-at day; week t is the Monday `first_monday + 7t`."""

    first_monday: int  # day number
    as_at: int  # day number of the extract date

    @property
    def count(self) -> int:
        return (self.as_at - self.first_monday) // 7 + 1

    @property
    def mondays(self) -> np.ndarray:
        return self.first_monday + 7 * np.arange(self.count)

    def monday(self, week: np.ndarray | int) -> np.ndarray:
        """The day number of Monday `week`."""
        return self.first_monday + 7 * np.asarray(week)

    def first_active_week(self, day: np.ndarray) -> np.ndarray:
        """The index of the first Monday on or after `day` (what the weekly views count from)."""
        return -((self.first_monday - np.asarray(day)) // 7)

    def week_of(self, iso: str) -> int:
        """The index of the Monday on or after an ISO date."""
        return int(self.first_active_week(np.array(day_number(iso))))


def knot_curve(weeks: Weeks, knots: Knots) -> np.ndarray:
    """The value of a knot curve on every Monday: straight lines, flat beyond the ends."""
    x = np.array([day_number(d) for d, _ in knots], dtype=float)
    y = np.array([v for _, v in knots], dtype=float)
    return np.interp(weeks.mondays.astype(float), x, y)


def knot_values(days: np.ndarray, knots: Knots) -> np.ndarray:
    """The value of a knot curve on arbitrary days."""
    x = np.array([day_number(d) for d, _ in knots], dtype=float)
    y = np.array([v for _, v in knots], dtype=float)
    return np.interp(np.asarray(days, dtype=float), x, y)


def smooth(values: np.ndarray, width: int) -> np.ndarray:
    """A centred moving average over `width` weeks, edges padded with the end values."""
    if width <= 1:
        return values
    pad = width // 2
    padded = np.concatenate([np.full(pad, values[0]), values, np.full(pad, values[-1])])
    return np.convolve(padded, np.ones(width) / width, mode="valid")[: values.size]


def winter_factor(weeks: Weeks, amplitude: float) -> np.ndarray:
    """1 + `amplitude` in mid-January, 1 - `amplitude` in mid-July (a cosine over the year)."""
    days = weeks.mondays.astype("datetime64[D]")
    day_of_year = (days - days.astype("datetime64[Y]")).astype(int)
    return 1 + amplitude * np.cos(2 * np.pi * (day_of_year - 14) / 365.25)


def christmas_factor(weeks: Weeks, dip: float) -> np.ndarray:
    """Fewer discharges in the week of 25 December and a catch-up in the week after."""
    factor = np.ones(weeks.count)
    days = weeks.mondays.astype("datetime64[D]")
    years = days.astype("datetime64[Y]").astype(int) + 1970
    christmas = np.array([day_number(date(y, 12, 25)) for y in years])
    in_week = (christmas >= weeks.mondays) & (christmas < weeks.mondays + 7)
    factor[in_week] -= dip
    after = np.flatnonzero(in_week) + 1
    factor[after[after < weeks.count]] += dip / 2
    return factor


def financial_year(days: np.ndarray) -> np.ndarray:
    """The start year of the financial year (April to March) of each day."""
    d = np.asarray(days).astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype(int) + 1970
    month = d.astype("datetime64[M]").astype(int) % 12 + 1
    return np.where(month >= 4, year, year - 1)
