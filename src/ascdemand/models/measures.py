"""One definition per measure: its name, what it counts in plain English, its unit, whether a
rise is bad or good news, how it is written, and the store series it comes from. Every page,
the briefing and the exports name and judge a measure from here, so the same thing is never
shown under two names or two colours (issue 15)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["up_is_bad", "up_is_good", "neutral"]


@dataclass(frozen=True, slots=True)
class MeasureDefinition:
    """A demand measure as every surface shows it."""

    key: str
    name: str
    definition: str
    unit: str
    direction: Direction
    decimals: int = 0
    series: str | None = None
    """The key of `store.series.MEASURES` that reads it (its source query), if any."""

    def format(self, value: float) -> str:
        """The value as every page writes it."""
        return f"{value:,.{self.decimals}f}"

    def format_change(self, change: float) -> str:
        """A change, signed, in the same precision."""
        return f"{change:+,.{self.decimals}f}"

    @property
    def delta_color(self) -> str:
        """Streamlit's colour rule for a change: a rise in red where it is bad news."""
        return {"up_is_bad": "inverse", "up_is_good": "normal", "neutral": "off"}[self.direction]


MEASURES: dict[str, MeasureDefinition] = {
    m.key: m
    for m in (
        MeasureDefinition(
            "homecare_people",
            "People receiving homecare",
            "People with at least one homecare package active on the Monday (a person with two "
            "packages counts once).",
            "people",
            "up_is_bad",
            series="homecare_people",
        ),
        MeasureDefinition(
            "homecare_hours",
            "Homecare hours commissioned per week",
            "Hours a week of every homecare package active on the Monday.",
            "hours",
            "up_is_bad",
            series="homecare_hours",
        ),
        MeasureDefinition(
            "mean_hours_per_person",
            "Average homecare hours per person per week",
            "Homecare hours commissioned on the Monday divided by the people receiving them.",
            "hours",
            "up_is_bad",
            decimals=1,
        ),
        MeasureDefinition(
            "temp_residential_people",
            "People in temporary residential care",
            "People in a temporary (short-term) care-home placement on the Monday.",
            "people",
            "up_is_bad",
            series="temp_residential_people",
        ),
        MeasureDefinition(
            "discharges_to_social_care",
            "Hospital discharges needing social care per week (4-week average)",
            "Hospital discharges referred to the council that led to a service (any outcome but "
            "no ongoing package), averaged over the four weeks to the Monday.",
            "discharges",
            "up_is_bad",
            decimals=1,
            series="discharges_to_social_care",
        ),
    )
}
