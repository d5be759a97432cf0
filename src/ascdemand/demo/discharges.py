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
from ascdemand.store.contract import DISCHARGE_OUTCOMES

# Pathway shares (P0, P1, P2, P3) of each outcome, in the order of DISCHARGE_OUTCOMES.
_PATHWAY_SHARES = np.array(
    [
        (0.92, 0.08, 0.0, 0.0),  # no_ongoing_package
        (0.0, 1.0, 0.0, 0.0),  # reablement
        (0.0, 1.0, 0.0, 0.0),  # homecare
        (0.0, 0.0, 0.7, 0.3),  # temporary_residential
        (0.0, 0.0, 0.0, 1.0),  # permanent_residential
        (0.0, 0.4, 0.4, 0.2),  # other
    ]
)
# Acute trusts: University Hospitals of Leicester first, then the nearest other trust of each
# district (in the order of DemoParams.districts) for discharges not from RWE.
TRUSTS = ("RWE", "RLT", "RX1", "RNQ", "RKB", "RTG")
_OTHER_TRUST = np.array([1, 2, 3, 1, 2, 5, 4])


@dataclass(frozen=True, slots=True)
class Discharges:
    """One discharge per element: person number, day number, district index, and codes into
    TRUSTS, PATHWAYS and DISCHARGE_OUTCOMES."""

    person: np.ndarray
    day: np.ndarray
    district: np.ndarray
    trust: np.ndarray
    pathway: np.ndarray
    outcome: np.ndarray

    def of(self, outcome: str) -> np.ndarray:
        """Boolean mask of the discharges with this outcome."""
        return self.outcome == DISCHARGE_OUTCOMES.index(outcome)


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
    totals = [int(counts[o].sum()) for o in DISCHARGE_OUTCOMES]
    outcome = np.repeat(np.arange(len(DISCHARGE_OUTCOMES), dtype=np.int8), totals)
    week = np.concatenate(
        [np.repeat(np.arange(ctx.weeks.count), counts[o]) for o in DISCHARGE_OUTCOMES]
    )
    day = ctx.days_in_weeks(week, rng)
    keep = day <= ctx.as_at
    outcome, day = outcome[keep], day[keep]
    order = np.argsort(day, kind="stable")
    outcome, day = outcome[order], day[order]
    district = ctx.draw_districts(day.size, rng)
    from_rwe = rng.random(day.size) < ctx.params.acute_trust_share
    trust = np.where(from_rwe, 0, _OTHER_TRUST[district]).astype(np.int8)
    edges = np.cumsum(_PATHWAY_SHARES, axis=1)[outcome]
    pathway = np.minimum((rng.random(day.size)[:, None] >= edges).sum(axis=1), 3).astype(np.int8)
    return Discharges(
        person=ctx.new_people(day.size),
        day=day,
        district=district,
        trust=trust,
        pathway=pathway,
        outcome=outcome,
    )
