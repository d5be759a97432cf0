"""The mitigations of the 2021 report (paragraphs 21-23) as ready-made scenario changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ascdemand.models.scenario.params import ScenarioParams


@dataclass(frozen=True, slots=True)
class Preset:
    """A named change to a baseline, with the report paragraph it mirrors."""

    name: str
    description: str
    apply: Callable[[ScenarioParams], ScenarioParams]


def more_reablement(params: ScenarioParams, uplift: float = 0.2) -> ScenarioParams:
    """Reablement starts `uplift` higher, the new places offered to P1 discharges who would
    otherwise go straight to homecare (moved from the P1 homecare route, as far as it goes)."""
    extra = params.reablement_starts_per_week * uplift
    routes = [list(row) for row in params.routes]
    p1_per_week = params.discharges_per_week * params.share_p1
    if p1_per_week > 0:
        moved = min(extra / p1_per_week, routes[1][2])
        routes[1][1] += moved
        routes[1][2] -= moved
    return params.replace(
        reablement_starts_per_week=params.reablement_starts_per_week + extra,
        routes=tuple(tuple(row) for row in routes),
    )


def discharges_to_social_care(params: ScenarioParams, per_week: float) -> ScenarioParams:
    """Discharges scaled so that `per_week` of them need social care, with the same mix."""
    share = params.social_care_share
    return params.replace(discharges_per_week=per_week / share if share > 0 else per_week)


PRESETS: tuple[Preset, ...] = (
    Preset(
        "Reablement capacity +20%",
        "Reablement (HART) can start a fifth more people a week, and the new places go to "
        "people leaving hospital who would otherwise go straight to homecare (report "
        "paragraph 22).",
        more_reablement,
    ),
    Preset(
        "Package reviews cut mean hours to 12",
        "Reviews bring the average homecare package down to 12 hours a week, taking effect "
        "at once for everyone (report paragraph 23).",
        lambda p: p.replace(hours_per_person=min(p.hours_per_person, 12.0)),
    ),
    Preset(
        "Homecare capacity +1,000 hours",
        "The homecare market delivers 1,000 more hours a week (report paragraph 10).",
        lambda p: p.replace(homecare_capacity_hours=p.homecare_capacity_hours + 1_000.0),
    ),
    Preset(
        "Discharges back to 90 a week",
        "Hospital discharges needing social care return to the pre-pandemic 90 a week, "
        "with the same pathway mix (report paragraph 13).",
        lambda p: discharges_to_social_care(p, 90.0),
    ),
)

PRESETS_BY_NAME = {preset.name: preset for preset in PRESETS}


def apply_preset(name: str, baseline: ScenarioParams) -> ScenarioParams:
    """The baseline with the named preset applied.

    Raises:
        KeyError: An unknown preset name (the message lists the known ones).
    """
    if name not in PRESETS_BY_NAME:
        raise KeyError(f"Unknown preset {name!r}; choose one of: {', '.join(PRESETS_BY_NAME)}.")
    return PRESETS_BY_NAME[name].apply(baseline)
