"""Hospital discharges referred to social care: weekly counts by outcome, then one row each.

The weekly flow to social care follows the report (90 a week before the pandemic, a first-wave
spike, a fall in the third quarter of 2020/21, a second spike peaking in March 2021), with
winter seasonality, a Christmas dip and noise. Temporary-residential discharges follow the
admissions the temporary-care stock needs, so the beds fill when discharges to them rise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ascdemand.demo.calendar import christmas_factor, knot_curve, winter_factor
from ascdemand.demo.context import Context
from ascdemand.demo.stockflow import round_counts

OUTCOMES = (
    "no_ongoing_package",
    "reablement",
    "homecare",
    "temporary_residential",
    "permanent_residential",
    "other",
)
# Pathway shares (P0, P1, P2, P3) of each outcome.
_PATHWAYS = {
    "no_ongoing_package": (0.92, 0.08, 0.0, 0.0),
    "reablement": (0.0, 1.0, 0.0, 0.0),
    "homecare": (0.0, 1.0, 0.0, 0.0),
    "temporary_residential": (0.0, 0.0, 0.7, 0.3),
    "permanent_residential": (0.0, 0.0, 0.0, 1.0),
    "other": (0.0, 0.4, 0.4, 0.2),
}
# The nearest other acute trust of each district (discharges not from RWE).
_OTHER_TRUST = ("RLT", "RX1", "RNQ", "RLT", "RX1", "RTG", "RKB")


@dataclass(frozen=True, slots=True)
class Discharges:
    """One discharge per element: person number, day number, district index, trust, pathway,
    outcome."""

    person: np.ndarray
    day: np.ndarray
    district: np.ndarray
    trust: np.ndarray
    pathway: np.ndarray
    outcome: np.ndarray

    def of(self, outcome: str) -> np.ndarray:
        """Boolean mask of the discharges with this outcome."""
        return self.outcome == outcome


def weekly_counts(ctx: Context, temporary_admissions: np.ndarray) -> dict[str, np.ndarray]:
    """Discharges a week by outcome (whole numbers, scaled).

    Args:
        ctx: The build context.
        temporary_admissions: Expected temporary admissions a week (all sources, scaled).
    """
    p, weeks, rng = ctx.params, ctx.weeks, ctx.rng("discharges.weekly")
    noise = 1 + p.weekly_noise * np.clip(rng.standard_normal(weeks.count), -2.5, 2.5)
    pattern = winter_factor(weeks, p.winter_amplitude) * christmas_factor(weeks, p.christmas_dip)
    factor = pattern * noise
    social_care = knot_curve(weeks, p.to_social_care) * ctx.scale * factor
    temporary = knot_curve(weeks, p.temporary_from_discharge) * temporary_admissions * factor
    permanent = knot_curve(weeks, p.permanent_from_discharge) * ctx.scale * factor
    reablement = knot_curve(weeks, p.reablement_share) * social_care
    other = p.other_share * social_care
    homecare = np.maximum(social_care - temporary - permanent - reablement - other, 0.0)
    share = knot_curve(weeks, p.no_package_share)
    flows = {
        "no_ongoing_package": social_care * share / (1 - share),
        "reablement": reablement,
        "homecare": homecare,
        "temporary_residential": temporary,
        "permanent_residential": permanent,
        "other": other,
    }
    return {k: round_counts(v) for k, v in flows.items()}


def generate(ctx: Context, counts: dict[str, np.ndarray]) -> Discharges:
    """One row per discharge: a day in its week, a district, a trust and a pathway."""
    rng = ctx.rng("discharges.rows")
    outcome = np.concatenate([np.full(int(counts[o].sum()), o, dtype=object) for o in OUTCOMES])
    week = np.concatenate([np.repeat(np.arange(ctx.weeks.count), counts[o]) for o in OUTCOMES])
    day = ctx.days_in_weeks(week, rng)
    keep = day <= ctx.as_at
    outcome, day = outcome[keep], day[keep]
    order = np.argsort(day, kind="stable")
    outcome, day = outcome[order], day[order]
    district = ctx.draw_districts(day.size, rng)
    from_rwe = rng.random(day.size) < ctx.params.acute_trust_share
    trust = np.where(from_rwe, "RWE", np.array(_OTHER_TRUST, dtype=object)[district])
    pathway = np.empty(day.size, dtype=object)
    u = rng.random(day.size)
    for name, shares in _PATHWAYS.items():
        mask = outcome == name
        edges = np.cumsum(shares)
        pathway[mask] = np.array(["P0", "P1", "P2", "P3"], dtype=object)[
            np.minimum(np.searchsorted(edges, u[mask], side="right"), 3)
        ]
    return Discharges(
        person=ctx.new_people(day.size),
        day=day,
        district=district,
        trust=trust,
        pathway=pathway,
        outcome=outcome,
    )
