"""The parameters of the discharge what-if model: one frozen object, with units, limits and
plain-English labels, validated on creation so a bad value fails with a message naming it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Where people come from (rows of the routing table) and where they are sent (its columns).
SOURCES = ("P0", "P1", "P2", "P3", "community")
DESTINATIONS = ("none", "reablement", "homecare", "temporary", "permanent")

SOURCE_LABELS = {
    "P0": "P0 (home with no new support)",
    "P1": "P1 (home with new support)",
    "P2": "P2 (short-term rehabilitation bed)",
    "P3": "P3 (new care-home placement)",
    "community": "Referrals from the community",
}
DESTINATION_LABELS = {
    "none": "No ongoing support",
    "reablement": "Reablement (HART)",
    "homecare": "Homecare",
    "temporary": "Temporary residential care",
    "permanent": "Permanent residential care",
}

# A sensible starting route for each source, used when no data is loaded.
DEFAULT_ROUTES: tuple[tuple[float, ...], ...] = (
    (1.0, 0.0, 0.0, 0.0, 0.0),
    (0.10, 0.35, 0.55, 0.0, 0.0),
    (0.0, 0.0, 0.0, 1.0, 0.0),
    (0.0, 0.0, 0.0, 0.7, 0.3),
    (0.0, 0.2, 0.8, 0.0, 0.0),
)


def _spec(label: str, unit: str, low: float, high: float, help_text: str = "") -> dict[str, Any]:
    return {"label": label, "unit": unit, "min": low, "max": high, "help": help_text}


def _num(default: float, label: str, unit: str, low: float, high: float, help_text: str = ""):
    return field(default=default, metadata=_spec(label, unit, low, high, help_text))


@dataclass(frozen=True, slots=True)
class ScenarioParams:
    """Every input of one scenario run; defaults resemble the demo county in autumn 2021."""

    start_date: dt.date = field(
        default=dt.date(2021, 10, 4),
        metadata={"label": "First week of the scenario (a Monday)", "unit": "date"},
    )
    discharges_per_week: float = _num(
        120.0,
        "Hospital discharges referred to the council, all pathways",
        "people a week",
        0,
        1_000,
    )
    share_p0: float = _num(0.10, "Share on P0 (home with no new support)", "share", 0, 1)
    share_p1: float = _num(0.55, "Share on P1 (home with new support)", "share", 0, 1)
    share_p2: float = _num(0.20, "Share on P2 (short-term rehabilitation bed)", "share", 0, 1)
    share_p3: float = _num(0.15, "Share on P3 (new care-home placement)", "share", 0, 1)
    community_referrals_per_week: float = _num(
        40.0, "Referrals from the community", "people a week", 0, 1_000
    )
    routes: tuple[tuple[float, ...], ...] = field(
        default=DEFAULT_ROUTES,
        metadata={
            "label": "Where people on each pathway are sent",
            "unit": "share of each row",
            "help": "Rows: P0, P1, P2, P3, community. Columns: none, reablement, homecare, "
            "temporary, permanent. Each row adds up to 1.",
        },
    )
    reablement_starts_per_week: float = _num(
        22.0, "Reablement capacity", "new starts a week", 0, 1_000
    )
    reablement_weeks: float = _num(4.0, "Average time in reablement", "weeks", 1, 26)
    reablement_independent_share: float = _num(
        0.5,
        "Share leaving reablement with no ongoing package",
        "share",
        0,
        1,
        "The rest need homecare when reablement ends.",
    )
    homecare_capacity_hours: float = _num(
        31_000.0, "Homecare the market can deliver", "hours a week", 0, 1_000_000
    )
    hours_per_person: float = _num(12.5, "Average homecare package", "hours a week", 0.5, 80)
    homecare_weeks: float = _num(60.0, "Average time in homecare", "weeks", 1, 1_000)
    shortfall_to_temporary_share: float = _num(
        0.8,
        "Share sent to temporary residential care when homecare cannot be found",
        "share",
        0,
        1,
        "Hospital discharges that need homecare but find none; the rest wait at home.",
    )
    waiting_weeks: float = _num(
        8.0,
        "Average wait before someone waiting for homecare makes other arrangements",
        "weeks",
        1,
        104,
    )
    temporary_weeks: float = _num(
        10.0, "Average stay in temporary residential care", "weeks", 1, 104
    )
    temporary_to_permanent_share: float = _num(
        0.3, "Share of temporary stays becoming permanent", "share", 0, 1
    )
    temporary_to_homecare_share: float = _num(
        0.4,
        "Share of temporary stays ending with a move home with homecare",
        "share",
        0,
        1,
        "They stay in the care home until homecare is found.",
    )
    permanent_weeks: float = _num(110.0, "Average permanent placement", "weeks", 1, 2_000)
    homecare_hourly_rate: float = _num(19.0, "Homecare hourly rate", "£ an hour", 0, 200)
    reablement_weekly_cost: float = _num(350.0, "Reablement cost per person", "£ a week", 0, 5_000)
    residential_weekly_rate: float = _num(
        615.0, "Average standard rate of placements in place", "£ a week", 0, 10_000
    )
    additional_payment_share: float = _num(
        0.42, "Share of placements with an additional payment", "share", 0, 1
    )
    additional_payment_weekly: float = _num(
        252.0, "Average additional payment, where paid", "£ a week", 0, 10_000
    )
    opening_homecare: float = _num(2_379.0, "People in homecare at the start", "people", 0, 1e6)
    opening_reablement: float = _num(120.0, "People in reablement at the start", "people", 0, 1e6)
    opening_waiting: float = _num(0.0, "People waiting for homecare at the start", "people", 0, 1e6)
    opening_temporary: float = _num(
        500.0, "People in temporary residential care at the start", "people", 0, 1e6
    )
    opening_permanent: float = _num(
        2_600.0, "People in permanent residential care at the start", "people", 0, 1e6
    )

    def __post_init__(self) -> None:
        validate(self)

    @property
    def pathway_shares(self) -> tuple[float, float, float, float]:
        """The pathway mix P0..P3 as a tuple."""
        return (self.share_p0, self.share_p1, self.share_p2, self.share_p3)

    @property
    def social_care_share(self) -> float:
        """Share of discharges routed to any support (not to 'none')."""
        return sum(
            share * (1.0 - row[0])
            for share, row in zip(self.pathway_shares, self.routes, strict=False)
        )

    @property
    def discharges_to_social_care(self) -> float:
        """Discharges a week that need social care support (people a week)."""
        return self.discharges_per_week * self.social_care_share

    @property
    def residential_weekly_cost(self) -> float:
        """Average weekly cost of a placement including additional payments (£ a week)."""
        return self.residential_weekly_rate + self.additional_payment_share * (
            self.additional_payment_weekly
        )

    def replace(self, **changes: Any) -> ScenarioParams:
        """A copy with `changes` applied, validated again."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values: the date as ISO text, routes as lists."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["start_date"] = self.start_date.isoformat()
        out["routes"] = [list(row) for row in self.routes]
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any], base: ScenarioParams | None = None):
        """Apply `values` over `base` (or the defaults); unknown names are refused.

        Raises:
            ValueError: An unknown parameter name, or a value out of range.
        """
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"Unknown scenario parameter(s): {', '.join(unknown)}. "
                f"Known parameters: {', '.join(sorted(known))}."
            )
        changes: dict[str, Any] = dict(values)
        if "start_date" in changes and not isinstance(changes["start_date"], dt.date):
            changes["start_date"] = dt.date.fromisoformat(str(changes["start_date"]))
        if "routes" in changes:
            changes["routes"] = tuple(tuple(float(v) for v in row) for row in changes["routes"])
        for name in known - {"start_date", "routes"}:
            if name in changes:
                try:
                    changes[name] = float(changes[name])
                except (TypeError, ValueError):
                    raise ValueError(
                        f"Parameter '{name}' must be a number, got {changes[name]!r}."
                    ) from None
        return dataclasses.replace(base or cls(), **changes)

    @classmethod
    def from_json(cls, text: str, base: ScenarioParams | None = None) -> ScenarioParams:
        return cls.from_dict(json.loads(text), base)


def numeric_fields() -> list[dataclasses.Field]:
    """The numeric parameters, in order, with their label/unit/min/max metadata."""
    return [f for f in dataclasses.fields(ScenarioParams) if f.name not in ("start_date", "routes")]


def validate(params: ScenarioParams) -> None:
    """Check every parameter against its allowed range.

    Raises:
        ValueError: Naming the first parameter out of range, its value and the allowed range.
    """
    for f in numeric_fields():
        value = getattr(params, f.name)
        low, high = f.metadata["min"], f.metadata["max"]
        if not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"Parameter '{f.name}' must be a finite number, got {value!r}.")
        if not low <= value <= high:
            raise ValueError(
                f"Parameter '{f.name}' ({f.metadata['label']}) must be between {low:g} and "
                f"{high:g} {f.metadata['unit']}; got {value:g}."
            )
    if not isinstance(params.start_date, dt.date):
        raise ValueError(f"Parameter 'start_date' must be a date, got {params.start_date!r}.")
    total = sum(params.pathway_shares)
    if abs(total - 1.0) > 1e-6:
        raise ValueError(
            f"Parameters 'share_p0' to 'share_p3' (the pathway mix) must add up to 1; "
            f"they add up to {total:.4f}."
        )
    if params.temporary_to_permanent_share + params.temporary_to_homecare_share > 1 + 1e-9:
        raise ValueError(
            "Parameters 'temporary_to_permanent_share' and 'temporary_to_homecare_share' "
            "must add up to at most 1."
        )
    _validate_routes(params.routes)


def _validate_routes(routes: tuple[tuple[float, ...], ...]) -> None:
    if len(routes) != len(SOURCES) or any(len(row) != len(DESTINATIONS) for row in routes):
        raise ValueError(
            f"Parameter 'routes' must have {len(SOURCES)} rows ({', '.join(SOURCES)}) of "
            f"{len(DESTINATIONS)} shares ({', '.join(DESTINATIONS)})."
        )
    for source, row in zip(SOURCES, routes, strict=True):
        if any(not (0.0 <= v <= 1.0) for v in row):
            raise ValueError(
                f"Parameter 'routes' row {source}: every share must be between 0 and 1."
            )
        if abs(sum(row) - 1.0) > 1e-6:
            raise ValueError(
                f"Parameter 'routes' row {source} must add up to 1; it adds up to {sum(row):.4f}."
            )
