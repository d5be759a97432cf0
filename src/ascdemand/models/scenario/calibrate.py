"""Baseline parameters estimated from the loaded extracts, each with a note of how, and the fit
of the model to the history it was estimated on.

Lengths of stay use Little's law (average people in a service / average leavers a week), which
is the mean stay that gives the model's weekly exit rate (stock / stay) the observed leavers; pathway mix and
routes come from discharges by pathway and outcome; referrals from the community are what is left
of each service's observed starts after the flows the model already explains.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import polars as pl

from ascdemand.models.scenario.engine import simulate
from ascdemand.models.scenario.params import (
    DEFAULT_ROUTES,
    DESTINATIONS,
    SOURCES,
    ScenarioParams,
)

OUTCOME_DESTINATION = {
    "no_ongoing_package": "none",
    "other": "none",
    "reablement": "reablement",
    "homecare": "homecare",
    "temporary_residential": "temporary",
    "permanent_residential": "permanent",
}
FIT_SERIES = {
    "homecare": "homecare_people",
    "reablement": "reablement_people",
    "temporary": "temporary_people",
    "permanent": "permanent_people",
}


@dataclass(frozen=True, slots=True)
class CalibrationInputs:
    """What the store returns for one window (see `ascdemand.store.scenario_inputs`)."""

    flows: pl.DataFrame
    discharges: pl.DataFrame
    reablement_next: dict[str, int]
    temporary_next: dict[str, int]
    unit_costs: dict[str, float | None]


@dataclass(frozen=True, slots=True)
class Calibration:
    """The baseline (starting from the last snapshot), how each value was obtained, and what
    the fit to history needs: the same rates started from the first snapshot, with the observed
    weekly arrivals."""

    params: ScenarioParams
    notes: dict[str, str]
    fit_params: ScenarioParams
    fit_arrivals: np.ndarray
    observed: pl.DataFrame


def _bounded(name: str, value: float, notes: dict[str, str]) -> float:
    spec = next(f for f in dataclasses.fields(ScenarioParams) if f.name == name).metadata
    clipped = float(min(max(value, spec["min"]), spec["max"]))
    if clipped != value:
        notes[name] += f" (clipped from {value:.4g} to the allowed range)"
    return clipped


def calibrate(inputs: CalibrationInputs, base: ScenarioParams | None = None) -> Calibration:
    """Estimate the baseline from one calibration window.

    Args:
        inputs: Weekly stocks and flows (at least two Monday snapshots), discharges by week,
            pathway and outcome, what followed reablement and temporary stays, unit costs.
        base: Values for what the data cannot tell (defaults: `ScenarioParams()`).

    Returns:
        A `Calibration`; `notes` says for every parameter how it was obtained.

    Raises:
        ValueError: Fewer than two snapshots, or no discharges in the window.
    """
    base = base or ScenarioParams()
    flows = inputs.flows.sort("week_start")
    if flows.height < 2:
        raise ValueError("Calibration needs at least two weekly snapshots.")
    if inputs.discharges.is_empty():
        raise ValueError("Calibration needs discharges in the window: load a discharge extract.")
    weeks = flows.height - 1
    first, last = flows.row(0, named=True), flows.row(-1, named=True)
    moves = flows.slice(1)
    v: dict[str, float] = {}
    notes: dict[str, str] = {}
    span = f"the {weeks} weeks to {last['week_start']:%d %B %Y}"

    def put(name: str, value: float, note: str) -> None:
        notes[name] = note
        v[name] = _bounded(name, value, notes)

    # discharges: volume, pathway mix, routes from outcomes
    counts = inputs.discharges.group_by("pathway", "outcome").agg(pl.col("discharges").sum())
    total = float(counts["discharges"].sum())
    put("discharges_per_week", total / weeks, f"Discharges referred to social care in {span}.")
    by_pathway = {p: 0.0 for p in SOURCES[:4]}
    routes = {s: dict.fromkeys(DESTINATIONS, 0.0) for s in SOURCES}
    for pathway, outcome, n in counts.iter_rows():
        by_pathway[pathway] += n
        routes[pathway][OUTCOME_DESTINATION[outcome]] += n
    for pathway in SOURCES[:4]:
        notes[f"share_{pathway.lower()}"] = f"Share of discharges on {pathway} in {span}."
        v[f"share_{pathway.lower()}"] = by_pathway[pathway] / total
    routed = {
        s: tuple(routes[s][d] / by_pathway[s] for d in DESTINATIONS)
        if by_pathway[s]
        else DEFAULT_ROUTES[i]
        for i, s in enumerate(SOURCES[:4])
    }

    # what follows reablement and temporary stays
    reab, temp = inputs.reablement_next, inputs.temporary_next
    if reab["ended"]:
        put(
            "reablement_independent_share",
            1 - reab["to_homecare"] / reab["ended"],
            f"Reablement episodes ending in {span} not followed by homecare within 14 days.",
        )
    if temp["ended"]:
        put(
            "temporary_to_permanent_share",
            temp["to_permanent"] / temp["ended"],
            f"Temporary stays ending in {span} followed by a permanent placement within 14 days.",
        )
        put(
            "temporary_to_homecare_share",
            temp["to_homecare"] / temp["ended"],
            f"Temporary stays ending in {span} followed by homecare within 14 days.",
        )

    # mean stays: Little's law at today's level (people now / people starting a week), so that
    # with nothing changed leavers balance arrivals and the baseline holds today's level, as
    # the statistical forecasts do; a stay from the window's average stock would pull the
    # baseline back towards that average (backtested: README, "Scenarios").
    for service, name in (
        ("homecare", "homecare_weeks"),
        ("reablement", "reablement_weeks"),
        ("temporary", "temporary_weeks"),
        ("permanent", "permanent_weeks"),
    ):
        starts = float(moves[f"{service}_starts"].mean())
        stock = float(last[f"{service}_people"])
        leavers = float(moves[f"{service}_ends"].mean())
        if starts > 0 and stock > 0:
            put(
                name,
                stock / starts,
                f"Little's law at today's level: {stock:,.0f} people on "
                f"{last['week_start']:%d %B %Y} / {starts:,.1f} starting a week in {span}.",
            )
        elif leavers > 0:
            average = float(flows[f"{service}_people"].mean())
            put(
                name,
                average / leavers,
                f"Little's law: {average:,.0f} people on average / {leavers:,.1f} leaving a "
                f"week in {span} (no starts to hold today's level by).",
            )

    # capacity and package size
    put(
        "reablement_starts_per_week",
        float(moves["reablement_starts"].max()),
        f"Most reablement starts in one week in {span} (the capacity shown).",
    )
    if last["homecare_hours"] > 0:
        put(
            "homecare_capacity_hours",
            float(last["homecare_hours"]),
            f"Homecare hours in place on {last['week_start']:%d %B %Y}: the market is taken to "
            "be at capacity now (report paragraph 14).",
        )
    if last["homecare_people"] and last["homecare_hours"] > 0:
        put(
            "hours_per_person",
            last["homecare_hours"] / last["homecare_people"],
            f"Homecare hours / people on {last['week_start']:%d %B %Y}.",
        )

    # referrals from the community: observed starts the modelled flows do not explain
    merged = base.replace(**v)
    per_week = {f"{s}_starts": float(moves[f"{s}_starts"].mean()) for s in FIT_SERIES}
    ends = {f"{s}_ends": float(moves[f"{s}_ends"].mean()) for s in FIT_SERIES}
    mix = np.array(merged.pathway_shares) @ np.array([routed[s] for s in SOURCES[:4]])
    from_hospital = dict(zip(DESTINATIONS, merged.discharges_per_week * mix, strict=True))
    explained = {
        "reablement": from_hospital["reablement"],
        "homecare": from_hospital["homecare"]
        + ends["reablement_ends"] * (1 - merged.reablement_independent_share)
        + ends["temporary_ends"] * merged.temporary_to_homecare_share,
        "temporary": from_hospital["temporary"],
        "permanent": from_hospital["permanent"]
        + ends["temporary_ends"] * merged.temporary_to_permanent_share,
    }
    community = {s: max(per_week[f"{s}_starts"] - explained[s], 0.0) for s in explained}
    referrals = sum(community.values())
    put(
        "community_referrals_per_week",
        referrals,
        f"Starts a week in {span} not explained by discharges, reablement or temporary stays.",
    )
    community_row = (
        tuple([0.0] + [float(community[d] / referrals) for d in DESTINATIONS[1:]])
        if referrals
        else DEFAULT_ROUTES[4]
    )
    notes["routes"] = (
        f"P0-P3 rows: outcomes of discharges on each pathway in {span}; community row: "
        "the split of the unexplained starts."
    )

    # unit costs of what is in place on the last Monday
    cost_notes = {
        "homecare_hourly_rate": "Weekly cost / hours of homecare packages in place",
        "reablement_weekly_cost": "Average weekly cost of reablement in place",
        "residential_weekly_rate": "Average standard rate of placements in place",
        "additional_payment_share": "Share of placements in place with an additional payment",
        "additional_payment_weekly": "Average additional payment of placements that have one",
    }
    for name, note in cost_notes.items():
        value = inputs.unit_costs.get(name)
        if value is not None:
            put(name, float(value), f"{note} on {last['week_start']:%d %B %Y}.")

    for name in ("shortfall_to_temporary_share", "waiting_weeks", "opening_waiting"):
        notes[name] = "Not in the extracts: an assumption you can change."
    routes_all = (*(routed[s] for s in SOURCES[:4]), community_row)
    opening = {
        "opening_homecare": "homecare_people",
        "opening_reablement": "reablement_people",
        "opening_temporary": "temporary_people",
        "opening_permanent": "permanent_people",
    }
    for name in opening:
        notes[name] = f"People in the service on {last['week_start']:%d %B %Y}."
    params = base.replace(
        **v,
        routes=routes_all,
        start_date=last["week_start"],
        **{name: float(last[column]) for name, column in opening.items()},
    )
    notes["start_date"] = "The last Monday on or before the as-at date."
    for name in ScenarioParams.__dataclass_fields__:
        notes.setdefault(name, "Not estimated (too little data): the default value.")
    fit_params = params.replace(
        start_date=first["week_start"],
        **{name: float(first[column]) for name, column in opening.items()},
    )
    return Calibration(
        params=params,
        notes=notes,
        fit_params=fit_params,
        fit_arrivals=_weekly_arrivals(inputs.discharges, flows, referrals),
        observed=flows,
    )


def _weekly_arrivals(discharges: pl.DataFrame, flows: pl.DataFrame, referrals: float) -> np.ndarray:
    """Observed discharges by pathway in the week after each snapshot but the last, plus the
    average community referrals: shape (weeks, 5)."""
    mondays = flows["week_start"].to_list()[:-1]
    index = {day: i for i, day in enumerate(mondays)}
    arrivals = np.zeros((len(mondays), len(SOURCES)))
    arrivals[:, 4] = referrals
    for week, pathway, n in (
        discharges.group_by("week_start", "pathway").agg(pl.col("discharges").sum()).iter_rows()
    ):
        if week in index:
            arrivals[index[week], SOURCES.index(pathway)] += n
    return arrivals


def fit_history(calibration: Calibration) -> pl.DataFrame:
    """The model run over the calibration window from its first snapshot, with the observed
    arrivals, beside what was observed. Hours are modelled people x the observed hours per person
    of each week, since package sizes moved during the window.

    Returns:
        Long frame: `week_start` (the snapshot Monday), `series`, `observed`, `modelled`.
    """
    arrivals = calibration.fit_arrivals
    weeks = arrivals.shape[0]
    frame = simulate(calibration.fit_params, weeks, arrivals=arrivals).frame()
    observed = calibration.observed.slice(1)
    parts = [
        pl.DataFrame(
            {
                "week_start": observed["week_start"],
                "series": [name] * weeks,
                "observed": observed[column].cast(pl.Float64),
                "modelled": frame[name],
            }
        )
        for name, column in FIT_SERIES.items()
    ]
    per_person = (observed["homecare_hours"] / observed["homecare_people"]).fill_nan(0.0)
    parts.append(
        pl.DataFrame(
            {
                "week_start": observed["week_start"],
                "series": ["homecare_hours"] * weeks,
                "observed": observed["homecare_hours"].cast(pl.Float64),
                "modelled": frame["homecare"] * per_person,
            }
        )
    )
    return pl.concat(parts)


def fit_errors(fit: pl.DataFrame) -> dict[str, float]:
    """Mean absolute percentage error of each fitted series (0.05 = 5%)."""
    errors = (
        fit.filter(pl.col("observed") > 0)
        .group_by("series")
        .agg(((pl.col("modelled") - pl.col("observed")).abs() / pl.col("observed")).mean())
    )
    return dict(errors.iter_rows())


def with_sitrep_volumes(
    params: ScenarioParams,
    monthly: pl.DataFrame,
    *,
    months: int = 3,
    resident_share: float = 1.0,
) -> tuple[ScenarioParams, str]:
    """Discharge volumes and pathway mix on P1-P3 from the NHS discharge sitrep.

    The sitrep counts every patient an acute trust or care board discharged, most on P0 with no
    social care involvement, so P0 stays at the council's own figure; P1-P3 become the
    sitrep's weekly average over its latest `months` months (months where a pathway was
    suppressed are left out of its average), times `resident_share` (the share of those
    patients who live in the council's area).

    Args:
        params: The baseline whose P0 volume is kept.
        monthly: `month`, `pathway`, `weekly_patients` (see `store.sitrep.queries`).
        months: How many of the latest months to average, at least 1.
        resident_share: 0 to 1.

    Returns:
        The parameters with new volume and mix, and a note of what was used.

    Raises:
        ValueError: No sitrep months, or arguments out of range.
    """
    if months < 1 or not 0.0 <= resident_share <= 1.0:
        raise ValueError("months must be at least 1 and resident_share between 0 and 1.")
    used = monthly.filter(pl.col("pathway").is_in(["P1", "P2", "P3"]))
    latest = sorted(set(used["month"].to_list()))[-months:]
    if not latest:
        raise ValueError("No NHS discharge sitrep months are loaded.")
    weekly = (
        used.filter(pl.col("month").is_in(latest))
        .group_by("pathway")
        .agg(pl.col("weekly_patients").mean())
    )
    per_week = dict.fromkeys(SOURCES[1:4], 0.0) | {
        pathway: value for pathway, value in weekly.iter_rows() if value is not None
    }
    volumes = [params.discharges_per_week * params.share_p0] + [
        per_week[p] * resident_share for p in SOURCES[1:4]
    ]
    total = sum(volumes)
    if total <= 0:
        raise ValueError("The sitrep months chosen have no discharges on any pathway.")
    note = (
        f"P1-P3 from the NHS discharge sitrep, average of {latest[0]:%B %Y} to "
        f"{latest[-1]:%B %Y}, times {resident_share:.0%} living in the area; P0 from the "
        "council's discharge records."
    )
    return params.replace(
        discharges_per_week=total,
        **{f"share_p{i}": v / total for i, v in enumerate(volumes)},
    ), note
