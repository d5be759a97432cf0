"""Reablement (HART) episodes and homecare packages, calibrated to the report's homecare figures.

Homecare starts come from hospital discharges (outcome homecare), from reablement episodes that
end with a need for care, from temporary placements that end with a return home, and from the
community. The community starts are solved week by week so the people receiving homecare follow
the target (1,801 in March 2020, 2,379 in October 2021); the mean hours of each week's new
packages are solved so the hours per person follow theirs (12, a high of nearly 15, 12.5 after
the 2021 reviews, which cut the hours of packages in place by re-commissioning them).
"""

from __future__ import annotations

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
    balanced_uniform,
    draw_initial,
    geometric,
    round_counts,
    solve_entries,
    stratified_uniform,
)

_PROVIDER_NAMES = (
    "Abbey", "Bluebell", "Carers Direct", "Dovecote", "Evergreen", "Fosse Way", "Guardian",
    "Hollybush", "Kind Hands", "Lantern", "Mulberry", "Nightingale", "Orchard", "Poppy",
    "Rosewood", "Sunflower", "Thistle", "Unity", "Valley", "Wellbeing", "Yew Tree", "Zenith",
    "Amber", "Bramble", "Clover", "Daisy", "Heron", "Juniper",
)  # fmt: skip
HART = "HART (in-house reablement)"


def reablement(ctx: Context, discharges: Discharges) -> tuple[pl.DataFrame, Entries]:
    """Reablement episodes (internal columns) and the people who go on to homecare."""
    p, rng = ctx.params, ctx.rng("homecare.reablement")
    hospital = hospital_entries(ctx, discharges, "reablement", rng)
    weekly = np.bincount(
        ctx.weeks.first_active_week(hospital.start), minlength=ctx.weeks.count + 1
    )[: ctx.weeks.count]
    share = p.reablement_community_share
    community = community_entries(ctx, round_counts(weekly * share / (1 - share)), "community", rng)
    entries = Entries.concat([hospital, community])
    entries = entries.take(np.flatnonzero(entries.start <= ctx.as_at))
    count = entries.size
    low, high = p.reablement_days
    end = entries.start + rng.integers(low, high + 1, size=count) - 1
    hours = np.round(rng.uniform(*p.reablement_hours, size=count) * 2) / 2
    frame = pl.DataFrame(
        {
            "person": entries.person,
            "service_type": "reablement",
            "district": entries.district,
            "client_group": "older_adults",
            "start": entries.start,
            "end": end,
            "hours": hours,
            "weekly_cost": np.round(hours * p.reablement_hourly_cost, 2),
            "provider": np.where(rng.random(count) < 0.85, HART, "Independent reablement"),
            "source": entries.source,
        }
    )
    needs_care = (rng.random(count) >= knot_values(end, p.reablement_independent)) & (
        end + 1 <= ctx.as_at
    )
    follow_on = Entries(
        person=entries.person[needs_care],
        start=end[needs_care] + 1,
        district=entries.district[needs_care],
        source=np.full(int(needs_care.sum()), "transfer", dtype=object),
    )
    return frame, follow_on


def _review_chance(ctx: Context, first_week: np.ndarray, week: int) -> np.ndarray:
    """P(a package first active in `first_week` and still active on Monday `week` has been
    reviewed by then)."""
    p = ctx.params
    r0, r1 = ctx.weeks.week_of(p.review_from), ctx.weeks.week_of(p.review_to)
    eligible_from = np.maximum(r0, first_week + p.review_min_weeks)
    chances = np.clip(min(week, r1) - eligible_from + 1, 0, None)
    return 1 - (1 - p.review_weekly_chance) ** chances


def solve_entry_hours(
    ctx: Context, entries: np.ndarray, initial: np.ndarray, survival: np.ndarray
) -> np.ndarray:
    """Mean hours of each week's new packages that make hours per person follow the target.

    Args:
        ctx: The build context.
        entries: New packages a week, by first active Monday.
        initial: Expected survivors of the first Monday's stock on each Monday.
        survival: P(length > k) for k = 0 .. weeks - 1.
    """
    p, weeks = ctx.params, ctx.weeks
    n = weeks.count
    per_person = knot_curve(weeks, p.homecare_hours)
    cut = float(np.mean(p.review_cut))
    mean = np.zeros(n)
    cohorts = np.arange(n)
    long_ago = np.array(-weeks.count)  # the first Monday's stock: in place long before reviews
    for t in range(n):
        people = initial[t] + entries[: t + 1] @ survival[t::-1]
        kept = 1 - cut * _review_chance(ctx, cohorts[:t], t)
        earlier = (entries[:t] * survival[t:0:-1] * mean[:t] * kept).sum()
        start_stock = initial[t] * per_person[0] * (1 - cut * _review_chance(ctx, long_ago, t))
        needed = per_person[t] * people - start_stock - earlier
        mean[t] = np.clip(needed / max(entries[t], 1e-9), 6.0, 24.0)
    return mean


def homecare(ctx: Context, discharges: Discharges, arrivals: list[Entries]) -> pl.DataFrame:
    """Homecare packages (internal columns), including the re-commissioned ones after review."""
    p, weeks, rng = ctx.params, ctx.weeks, ctx.rng("homecare.packages")
    n = weeks.count
    length = LengthOfStay(p.homecare_length_weights, p.homecare_length_means)
    target = knot_curve(weeks, p.homecare_people) * ctx.scale

    direct = discharges.of("homecare")
    hospital = Entries(
        person=discharges.person[direct],
        start=np.minimum(
            discharges.day[direct] + rng.integers(0, 3, size=int(direct.sum())), ctx.as_at
        ),
        district=discharges.district[direct],
        source=np.full(int(direct.sum()), "hospital_discharge", dtype=object),
    )
    known_entries = Entries.concat([hospital, *arrivals])
    known_entries = known_entries.take(np.flatnonzero(known_entries.start <= ctx.as_at))
    first = weeks.first_active_week(known_entries.start)
    known = np.bincount(first, minlength=n + 1)[:n].astype(float)

    initial_count = int(round(target[0]))
    k = np.arange(n)
    initial_survival = initial_count * length.stock_survival(k)
    survival = length.survival(k)
    floor = known * p.homecare_community_floor / (1 - p.homecare_community_floor)
    noise = 1 + p.homecare_noise * np.clip(rng.standard_normal(n), -2.5, 2.5)
    extra = solve_entries(target, known, initial_survival, survival, floor, noise)
    community = community_entries(ctx, round_counts(extra), "community", rng)

    entries = Entries.concat([known_entries, community])
    first = weeks.first_active_week(entries.start)
    order = np.argsort(first, kind="stable")
    entries, first = entries.take(order), first[order]
    sizes = np.bincount(first - first.min())
    lengths = length.sample(stratified_uniform(sizes, rng))
    end = ends_from_lengths(ctx, first, lengths, rng)
    entry_counts = np.bincount(first, minlength=n + 1)[:n].astype(float)
    mean_hours = solve_entry_hours(ctx, entry_counts, initial_survival, survival)
    mean_at_entry = mean_hours[np.minimum(first, n - 1)]
    hours = _hours(
        p.homecare_hours_shape,
        mean_at_entry,
        balanced_uniform(first, lengths, rng),
        p.homecare_min_hours,
    )

    residual, elapsed = draw_initial(length, initial_count, rng)
    initial_first = -elapsed
    initial = pl.DataFrame(
        {
            "person": ctx.new_people(initial_count),
            "district": ctx.draw_districts(initial_count, rng),
            "start": weeks.monday(initial_first) - rng.integers(0, 7, size=initial_count),
            "end": ends_from_lengths(ctx, np.zeros(initial_count, dtype=np.int64), residual, rng),
            "first_week": initial_first,
            "last_week": residual - 1,
            "hours": _hours(
                p.homecare_hours_shape,
                np.full(initial_count, knot_curve(weeks, p.homecare_hours)[0]),
                balanced_uniform(np.zeros(initial_count), residual, rng),
                p.homecare_min_hours,
            ),
            "source": rng.choice(np.array(["community", "hospital_discharge"], dtype=object),
                                 size=initial_count, p=[0.6, 0.4]),
        }
    )  # fmt: skip
    new = pl.DataFrame(
        {
            "person": entries.person,
            "district": entries.district,
            "start": entries.start,
            "end": end,
            "first_week": first,
            "last_week": first + lengths - 1,
            "hours": hours,
            "source": entries.source,
        }
    )
    packages = pl.concat([initial, new], how="vertical_relaxed")
    packages = _reviewed(ctx, _attributes(ctx, packages, rng), rng)
    return _priced(ctx, packages)


def _hours(shape: float, mean: np.ndarray, u: np.ndarray, minimum: float) -> np.ndarray:
    """Gamma-distributed hours with the given means, in quarter hours, at least `minimum`.

    The unit gamma's quantiles are tabulated once on a fine grid and interpolated, which is
    exact to well under a quarter hour and far faster than a quantile call per package.
    """
    grid = np.linspace(0.0, 1.0, 4097)
    table = stats.gamma.ppf(np.clip(grid, 1e-6, 1 - 1e-6), shape, scale=1 / shape)
    raw = np.interp(u, grid, table) * mean
    return np.maximum(np.round(raw * 4) / 4, minimum)


def _reviewed(ctx: Context, packages: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Split each package reviewed in the 2021 programme into the old hours up to the review
    and a re-commissioned package (source `transfer`) with fewer hours from it."""
    p, weeks = ctx.params, ctx.weeks
    r0, r1 = weeks.week_of(p.review_from), weeks.week_of(p.review_to)
    first = packages["first_week"].to_numpy()
    last = packages["last_week"].to_numpy()
    eligible = np.maximum(r0, first + p.review_min_weeks)
    wait = geometric(
        np.clip(rng.random(first.size), 1e-12, 1), np.full(first.size, 1 / p.review_weekly_chance)
    )
    review = eligible + wait - 1
    reviewed = (review <= np.minimum(last, r1)) & (review > first)
    cut = rng.uniform(*p.review_cut, size=first.size)
    old_end = weeks.monday(review) - 1 - rng.integers(0, 6, size=first.size)
    hours = packages["hours"].to_numpy()
    new_hours = np.maximum(np.round(hours * (1 - cut) * 4) / 4, p.homecare_min_hours)
    before = packages.with_columns(
        pl.when(pl.Series(reviewed)).then(pl.Series(old_end)).otherwise(pl.col("end")).alias("end")
    )
    after = packages.filter(pl.Series(reviewed)).with_columns(
        pl.Series("start", old_end[reviewed] + 1),
        pl.Series("hours", new_hours[reviewed]),
        pl.lit("transfer").alias("source"),
        pl.Series("first_week", review[reviewed]),
    )
    return pl.concat([before, after], how="vertical_relaxed").drop("first_week", "last_week")


def _attributes(ctx: Context, packages: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Client group, framework zone (rural or urban) and provider of each package."""
    p = ctx.params
    district = packages["district"].to_numpy()
    count = district.size
    rural = rng.random(count) < np.array(p.rural_share)[district]
    slot = district * p.providers_per_zone + rng.integers(0, p.providers_per_zone, size=count)
    names = np.array([f"{name} Home Care" for name in _PROVIDER_NAMES], dtype=object)
    group = rng.choice(
        np.array(["older_adults", "physical_disability", "learning_disability", "mental_health"],
                 dtype=object),
        size=count,
        p=[0.84, 0.1, 0.03, 0.03],
    )  # fmt: skip
    return packages.with_columns(
        pl.Series("rural", rural),
        pl.Series("provider", names[slot % names.size]),
        pl.Series("client_group", group),
    )


def _priced(ctx: Context, packages: pl.DataFrame) -> pl.DataFrame:
    """Weekly cost at the framework rate of the package's zone and starting financial year."""
    years = financial_year(packages["start"].to_numpy())
    table = np.array(ctx.params.homecare_rates)
    row = np.clip(np.searchsorted(table[:, 0], years, side="right") - 1, 0, None)
    rate = np.where(packages["rural"].to_numpy(), table[row, 2], table[row, 1])
    return packages.with_columns(
        pl.lit("homecare").alias("service_type"),
        pl.Series("weekly_cost", np.round(packages["hours"].to_numpy() * rate, 2)),
    ).drop("rural")
