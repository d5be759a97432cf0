"""Care-home placements: temporary stays that track the report's bed numbers, and permanent ones.

Temporary admissions come from hospital discharges (outcome temporary_residential) and from the
community; the community admissions are solved week by week so that the people in a temporary
bed follow the target curve (284 before the pandemic, over 700 at the peak, over 500 in October
2021). A stay ends in a permanent placement, a return home with homecare, or neither. Permanent
admissions come from discharges (P3), conversions and the community, and fell in the pandemic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import stats

from ascdemand.demo.calendar import financial_year, knot_curve, knot_values
from ascdemand.demo.context import Context
from ascdemand.demo.discharges import Discharges
from ascdemand.demo.episodes import (
    Entries,
    community_entries,
    ends_from_lengths,
    hospital_entries,
)
from ascdemand.demo.stockflow import (
    LengthOfStay,
    draw_initial,
    elapsed_weeks,
    geometric,
    round_counts,
    solve_entries,
    stratified_uniform,
)

_HOME_NAMES = (
    "Acorn", "Beacon", "Bradgate", "Castle", "Dove", "Elm Tree", "Foxton", "Greenfields",
    "Harbour", "Ivy", "Jubilee", "Kingfisher", "Lime", "Meadow", "Newton", "Oak", "Primrose",
    "Quorn", "Riverside", "Soar Valley", "Swan", "Trent", "Willow", "Wreake", "Ashby",
    "Bosworth", "Welland", "Sence",
)  # fmt: skip
_HOME_KINDS = ("House", "Lodge", "Court", "Manor", "Grange", "View")


@dataclass(frozen=True, slots=True)
class TemporaryStays:
    """Temporary placements (internal columns) and who left them for homecare."""

    frame: pl.DataFrame
    to_homecare: Entries


def _temporary_length(ctx: Context) -> LengthOfStay:
    p = ctx.params
    return LengthOfStay(p.temporary_length_weights, p.temporary_length_means)


def expected_temporary_admissions(ctx: Context) -> np.ndarray:
    """Admissions a week (all sources, scaled) that make the temporary stock follow its target."""
    length = _temporary_length(ctx)
    n = ctx.weeks.count
    target = knot_curve(ctx.weeks, ctx.params.temporary_people) * ctx.scale
    survival = length.survival(np.arange(n))
    initial = target[0] * length.stock_survival(np.arange(n))
    return solve_entries(target, np.zeros(n), initial, survival, np.zeros(n))


def home_names(count: int) -> np.ndarray:
    """`count` fictional care-home names."""
    names = [f"{a} {b}" for b in _HOME_KINDS for a in _HOME_NAMES]
    return np.array(names[:count], dtype=object)


def temporary(ctx: Context, discharges: Discharges) -> TemporaryStays:
    """Temporary placements and the homecare they hand people on to."""
    p, weeks, rng = ctx.params, ctx.weeks, ctx.rng("placements.temporary")
    n = weeks.count
    length = _temporary_length(ctx)
    target = knot_curve(weeks, p.temporary_people) * ctx.scale

    hospital = hospital_entries(ctx, discharges, "temporary_residential", rng)
    first = weeks.first_active_week(hospital.start)
    known = np.bincount(first[first < n], minlength=n).astype(float)
    initial_count = int(round(target[0]))
    floor = known * p.temporary_community_floor / (1 - p.temporary_community_floor)
    extra = solve_entries(
        target,
        known,
        initial_count * length.stock_survival(np.arange(n)),
        length.survival(np.arange(n)),
        floor,
        1 + p.temporary_noise * np.clip(rng.standard_normal(n), -2.5, 2.5),
    )
    community = community_entries(ctx, round_counts(extra), "community", rng)
    community_reason = rng.choice(
        np.array(["respite", "carer_breakdown", "step_up"], dtype=object),
        size=community.size,
        p=[0.45, 0.3, 0.25],
    )
    entries = Entries.concat([hospital, community])
    reason = np.concatenate(
        [np.full(hospital.size, "hospital_discharge", dtype=object), community_reason]
    )
    first = weeks.first_active_week(entries.start)
    order = np.argsort(first, kind="stable")
    entries, reason, first = entries.take(order), reason[order], first[order]
    sizes = np.bincount(first - first.min(), minlength=1)
    lengths = length.sample(stratified_uniform(sizes, rng))
    end = ends_from_lengths(ctx, first, lengths, rng)

    residual, elapsed = draw_initial(length, initial_count, rng)
    initial_start = weeks.monday(-elapsed) - rng.integers(0, 7, size=initial_count)
    initial_end = ends_from_lengths(ctx, np.zeros(initial_count, dtype=np.int64), residual, rng)

    person = np.concatenate([ctx.new_people(initial_count), entries.person])
    start = np.concatenate([initial_start, entries.start])
    end = np.concatenate([initial_end, end])
    district = np.concatenate([ctx.draw_districts(initial_count, rng), entries.district])
    reason = np.concatenate(
        [rng.choice(np.array(["hospital_discharge", "respite"], dtype=object), initial_count),
         reason]
    )  # fmt: skip
    count = person.size
    group = rng.choice(
        np.array(["older_adults", "physical_disability", "mental_health"], dtype=object),
        size=count,
        p=[p.temporary_older_share, (1 - p.temporary_older_share) * 0.6,
           (1 - p.temporary_older_share) * 0.4],
    )  # fmt: skip
    setting = np.where(rng.random(count) < p.temporary_nursing_share, "nursing", "residential")
    home = rng.integers(0, p.care_homes, size=count)

    ended = end <= ctx.as_at
    u = rng.random(count)
    convert = ended & (u < knot_values(end, p.temporary_to_permanent))
    home_care = ended & ~convert & (u > 1 - p.temporary_to_homecare) & (end + 1 <= ctx.as_at)
    frame = pl.DataFrame(
        {
            "person": person,
            "placement_type": "temporary",
            "setting": setting,
            "district": district,
            "client_group": group,
            "start": start,
            "end": end,
            "home": home,
            "reason": reason,
            "converts": convert,
        }
    )
    to_homecare = Entries(
        person=person[home_care],
        start=end[home_care] + 1,
        district=district[home_care],
        source=np.full(int(home_care.sum()), "transfer", dtype=object),
    )
    return TemporaryStays(frame=frame, to_homecare=to_homecare)


def permanent(ctx: Context, discharges: Discharges, stays: pl.DataFrame) -> pl.DataFrame:
    """Permanent placements: the first Monday's stock, then admissions from three routes."""
    p, weeks, rng = ctx.params, ctx.weeks, ctx.rng("placements.permanent")
    n = weeks.count
    parts = []
    for group, setting, people, mean_weeks in p.permanent_stock:
        count = int(round(people * ctx.scale))
        residual = geometric(np.clip(rng.random(count), 1e-12, 1), np.full(count, mean_weeks))
        elapsed = elapsed_weeks(np.full(count, mean_weeks), rng)
        parts.append(
            _placements(
                ctx,
                rng,
                person=ctx.new_people(count),
                start=weeks.monday(-elapsed) - rng.integers(0, 7, size=count),
                end=ends_from_lengths(ctx, np.zeros(count, dtype=np.int64), residual, rng),
                district=ctx.draw_districts(count, rng),
                group=group,
                setting=np.full(count, setting, dtype=object),
                reason="community_assessment",
            )
        )
        if group != "older_adults":
            weekly = np.full(n, people * ctx.scale / mean_weeks)
            entries = community_entries(ctx, round_counts(weekly), "community", rng)
            parts.append(
                _with_length(ctx, rng, entries, mean_weeks, group, setting, "community_assessment")
            )

    stay_means = {(g, s): m for g, s, _, m in p.permanent_stock}
    older_mean = stay_means[("older_adults", "residential")]
    direct = discharges.of("permanent_residential")
    hospital = Entries(
        person=discharges.person[direct],
        start=discharges.day[direct],
        district=discharges.district[direct],
        source=np.full(int(direct.sum()), "hospital_discharge", dtype=object),
    )
    weekly = knot_curve(weeks, p.permanent_community) * ctx.scale
    community = community_entries(ctx, round_counts(weekly), "community", rng)
    for entries, reason in ((hospital, "hospital_discharge"), (community, "community_assessment")):
        nursing = rng.random(entries.size) < p.permanent_nursing_share
        setting = np.where(nursing, "nursing", "residential").astype(object)
        parts.append(_with_length(ctx, rng, entries, older_mean, "older_adults", setting, reason))

    converted = stays.filter(pl.col("converts"))
    count = converted.height
    residual = geometric(np.clip(rng.random(count), 1e-12, 1), np.full(count, older_mean))
    start = converted["end"].to_numpy() + 1
    parts.append(
        pl.DataFrame(
            {
                "person": converted["person"],
                "placement_type": "permanent",
                "setting": converted["setting"],
                "district": converted["district"],
                "client_group": converted["client_group"],
                "start": start,
                "end": start + residual * 7 - rng.integers(1, 7, size=count),
                "home": converted["home"],
                "reason": "converted_from_temporary",
                "converts": False,
            }
        )
    )
    frame = pl.concat(parts, how="vertical_relaxed").filter(pl.col("start") <= ctx.as_at)
    return _covid_exits(ctx, frame, rng)


def _covid_exits(ctx: Context, frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """End older adults' stays earlier where the waves' excess deaths come first.

    Each resident's extra hazard of death accumulates over the Mondays they are in the home from
    `permanent_covid_exit`; an exponential draw sets the cumulative hazard they die at, so a
    resident in the home through a wave leaves in it with the wave's total chance.
    """
    weeks = ctx.weeks
    hazard = knot_curve(weeks, ctx.params.permanent_covid_exit)
    cumulative = np.concatenate([[0.0], np.cumsum(-np.log1p(-hazard))])
    start, end = frame["start"].to_numpy(), frame["end"].to_numpy()
    first = np.clip(weeks.first_active_week(start), 0, weeks.count)
    older = frame["client_group"].to_numpy() == "older_adults"
    reached = cumulative[first] + rng.exponential(size=start.size)
    week = np.searchsorted(cumulative, reached, side="left") - 1
    death = weeks.monday(week) + rng.integers(0, 7, size=start.size)
    dies = older & (week < weeks.count) & (death < end)
    return frame.with_columns(pl.Series("end", np.where(dies, death, end)))


def _with_length(
    ctx: Context,
    rng: np.random.Generator,
    entries: Entries,
    mean_weeks: float,
    group: str,
    setting: str | np.ndarray,
    reason: str,
) -> pl.DataFrame:
    first = ctx.weeks.first_active_week(entries.start)
    length = geometric(
        np.clip(rng.random(entries.size), 1e-12, 1), np.full(entries.size, mean_weeks)
    )
    return _placements(
        ctx,
        rng,
        person=entries.person,
        start=entries.start,
        end=ends_from_lengths(ctx, first, length, rng),
        district=entries.district,
        group=group,
        setting=np.broadcast_to(np.asarray(setting, dtype=object), entries.start.shape),
        reason=reason,
    )


def _placements(
    ctx: Context,
    rng: np.random.Generator,
    *,
    person: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    district: np.ndarray,
    group: str,
    setting: np.ndarray,
    reason: str,
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "person": person,
            "placement_type": "permanent",
            "setting": np.asarray(setting, dtype=object),
            "district": district,
            "client_group": group,
            "start": start,
            "end": end,
            "home": rng.integers(0, ctx.params.care_homes, size=person.size),
            "reason": reason,
            "converts": False,
        }
    )


def costed(ctx: Context, frame: pl.DataFrame) -> pl.DataFrame:
    """Add `standard_rate`, `additional_payment` and `weekly_cost` (£ a week) to placements.

    The standard rate is the older-adult residential rate of the financial year the placement
    starts in, times the client group's multiple, plus the nursing uplift. Whether a placement
    carries an additional payment is drawn stratified within each month, group and setting, so
    the share tracks the target closely; the payment itself is lognormal around the mean of
    its start date.
    """
    p, rng = ctx.params, ctx.rng("placements.costs")
    frame = frame.with_row_index("_row")
    start = frame["start"].to_numpy()
    years = financial_year(start)
    rate_years = np.array([y for y, _ in p.standard_rates])
    rate_values = np.array([v for _, v in p.standard_rates])
    base = rate_values[np.clip(np.searchsorted(rate_years, years, side="right") - 1, 0, None)]
    multiple = dict(p.client_group_rate)
    group = frame["client_group"].to_numpy()
    nursing = frame["setting"].to_numpy() == "nursing"
    standard = base * np.vectorize(multiple.get, otypes=[float])(group) + nursing * p.nursing_uplift

    month = start.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    cell = pl.DataFrame({"month": month, "group": group, "nursing": nursing})
    cell_id = cell.select(pl.struct(pl.all()).rank("dense")).to_series().to_numpy()
    order = np.argsort(cell_id, kind="stable")
    sizes = np.bincount(cell_id[order] - 1)
    u = np.empty(start.size)
    u[order] = stratified_uniform(sizes, rng)
    has_payment = u < knot_values(start, p.additional_share)
    mean = knot_values(start, p.additional_mean)
    sigma = p.additional_sigma
    median = mean * np.exp(-(sigma**2) / 2)
    amount = stats.lognorm.ppf(np.clip(rng.random(start.size), 1e-9, 1 - 1e-9), sigma, scale=median)
    additional = np.where(has_payment, np.round(amount, 2), 0.0)
    standard = np.round(standard, 2)
    return frame.drop("_row").with_columns(
        pl.Series("standard_rate", standard),
        pl.Series("additional_payment", additional),
        pl.Series("weekly_cost", np.round(standard + additional, 2)),
    )
