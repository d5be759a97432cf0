"""What every generator step shares: parameters, the week grid, seeded streams, person ids."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from ascdemand.demo.calendar import Weeks, day_number
from ascdemand.demo.params import DemoParams


@dataclass(slots=True)
class Context:
    """The shared state of one build; `new_people` hands out person numbers in order."""

    params: DemoParams
    scale: int
    seed: int
    weeks: Weeks = field(init=False)
    _next_person: int = field(default=1, init=False)

    def __post_init__(self) -> None:
        self.weeks = Weeks(day_number(self.params.series_start), day_number(self.params.as_at))

    @property
    def as_at(self) -> int:
        return self.weeks.as_at

    def rng(self, stream: str) -> np.random.Generator:
        """An independent generator per named stream, so one step's draws never shift another's."""
        return np.random.default_rng([self.seed, zlib.crc32(stream.encode())])

    def new_people(self, count: int) -> np.ndarray:
        """`count` fresh person numbers."""
        first = self._next_person
        self._next_person += int(count)
        return np.arange(first, first + int(count), dtype=np.int64)

    @property
    def district_names(self) -> list[str]:
        return [name for name, _ in self.params.districts]

    def draw_districts(self, count: int, rng: np.random.Generator) -> np.ndarray:
        """District indices weighted by population."""
        population = np.array([p for _, p in self.params.districts], dtype=float)
        return rng.choice(population.size, size=int(count), p=population / population.sum())

    def days_in_weeks(self, week: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A day within each Monday-to-Sunday week, weighted by the weekday weights."""
        weights = np.array(self.params.weekday_weights)
        offset = rng.choice(7, size=week.size, p=weights / weights.sum())
        return self.weeks.monday(week) + offset
