"""The council profile: everything council-specific (name, districts, NHS organisations,
comparators, dates and thresholds), typed, so no council's details are written into code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True, slots=True)
class District:
    """One district (or locality) of the council, with the postcode prefixes that lie in it.

    A prefix is an outward code (`"DE56"`) or a sector (`"DE55 4"`), upper case, one space.
    """

    name: str
    ons_code: str | None = None
    postcode_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StatusThresholds:
    """How far a measure may move the wrong way from its target before it is amber or red
    (shares of the target), for demand measures and for the net budget."""

    demand_amber: float = 0.05
    demand_red: float = 0.15
    budget_amber: float = 0.01
    budget_red: float = 0.03


@dataclass(frozen=True, slots=True)
class CouncilProfile:
    """One council's profile, as loaded from its TOML file and stored in the database.

    `comparators` is the optional table of comparator councils (the columns of
    `COMPARATOR_COLUMNS`, plus `council` and `source`), read from a CSV beside the profile.
    """

    name: str
    short_name: str
    ons_code: str
    icb: str
    trusts: tuple[str, ...]
    resident_share: float
    districts: tuple[District, ...]
    department: str = "Adult Social Care"
    committee: str = "Adult Social Care Scrutiny Committee"
    health_system: str | None = None
    pandemic_start: dt.date = dt.date(2020, 3, 1)
    status: StatusThresholds = field(default_factory=StatusThresholds)
    comparators: pl.DataFrame | None = None
    comparator_home: str | None = None

    @property
    def district_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.districts)

    @property
    def default_trust(self) -> str | None:
        return self.trusts[0] if self.trusts else None

    @property
    def home_comparator(self) -> str:
        """The council's own row in the comparator table."""
        return self.comparator_home or self.short_name

    def area(self, districts: tuple[str, ...] | list[str] = ()) -> str:
        """The place a figure describes: the chosen districts, or the whole council area."""
        return ", ".join(districts) if districts else self.short_name


GENERIC = CouncilProfile(
    name="Your council",
    short_name="the council",
    ons_code="",
    icb="",
    trusts=(),
    resident_share=1.0,
    districts=(),
)
"""What the app shows before a profile is loaded: no names, no districts, no NHS defaults."""
