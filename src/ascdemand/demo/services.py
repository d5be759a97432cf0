"""Supported living, day care, direct payments and other services: steady stocks, not calibrated.

Each line keeps its first-Monday stock with steady starts (stock / mean length a week). Day care
takes no new people while centres were closed in the pandemic, and Transforming Care moves a few
people with complex needs from NHS in-patient settings into very costly supported living in 2021
(report para 19).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ascdemand.demo.calendar import day_number
from ascdemand.demo.context import Context
from ascdemand.demo.episodes import community_entries, ends_from_lengths
from ascdemand.demo.stockflow import elapsed_weeks, geometric, round_counts

_PROVIDERS = {
    "supported_living": ("Charnwood Supported Living", "Leicestershire Partnership Homes",
                         "Soar Valley Support", "Pathways Living", "Brightstar Support"),
    "day_care": ("Council day service", "Wreake Valley Day Centre", "Hinckley Day Opportunities",
                 "Melton Community Hub"),
    "direct_payment": (None,),
    "other": ("Assistive technology service", "Meals at home"),
}  # fmt: skip


def community_services(ctx: Context) -> pl.DataFrame:
    """Packages (internal columns) of the services that are not homecare or reablement."""
    p, weeks, rng = ctx.params, ctx.weeks, ctx.rng("services")
    n = weeks.count
    parts = []
    closed_from, closed_to = (weeks.week_of(d) for d in p.day_care_closed)
    for service, group, people, mean_weeks, median_cost, sigma, hours in p.other_services:
        stock = int(round(people * ctx.scale))
        residual = geometric(np.clip(rng.random(stock), 1e-12, 1), np.full(stock, mean_weeks))
        elapsed = elapsed_weeks(np.full(stock, mean_weeks), rng)
        weekly = np.full(n, people * ctx.scale / mean_weeks)
        if service == "day_care":
            weekly[closed_from:closed_to] = 0.0
        entries = community_entries(ctx, round_counts(weekly), "community", rng)
        first = weeks.first_active_week(entries.start)
        length = geometric(
            np.clip(rng.random(entries.size), 1e-12, 1), np.full(entries.size, mean_weeks)
        )
        count = stock + entries.size
        start = np.concatenate(
            [weeks.monday(-elapsed) - rng.integers(0, 7, size=stock), entries.start]
        )
        end = np.concatenate(
            [
                ends_from_lengths(ctx, np.zeros(stock, dtype=np.int64), residual, rng),
                ends_from_lengths(ctx, first, length, rng),
            ]
        )
        cost = median_cost * np.exp(sigma * rng.standard_normal(count))
        providers = np.array(_PROVIDERS[service], dtype=object)
        parts.append(
            pl.DataFrame(
                {
                    "person": np.concatenate([ctx.new_people(stock), entries.person]),
                    "service_type": service,
                    "district": np.concatenate([ctx.draw_districts(stock, rng), entries.district]),
                    "client_group": group,
                    "start": start,
                    "end": end,
                    "hours": np.round(hours * np.exp(0.3 * rng.standard_normal(count)) * 2) / 2
                    if hours
                    else np.full(count, np.nan),
                    "weekly_cost": np.round(cost, 2),
                    "provider": providers[rng.integers(0, providers.size, size=count)],
                    "source": np.where(rng.random(count) < 0.85, "community", "transfer"),
                }
            )
        )
    parts.append(_transforming_care(ctx, rng))
    frame = pl.concat(parts, how="vertical_relaxed")
    return frame.with_columns(pl.col("hours").fill_nan(None)).filter(pl.col("start") <= ctx.as_at)


def _transforming_care(ctx: Context, rng: np.random.Generator) -> pl.DataFrame:
    """Supported living for people leaving NHS in-patient settings, January to October 2021."""
    p = ctx.params
    count = p.transforming_care_people * ctx.scale
    first, last = day_number("2021-01-04"), ctx.as_at - 7
    start = np.sort(rng.integers(first, last, size=count))
    return pl.DataFrame(
        {
            "person": ctx.new_people(count),
            "service_type": "supported_living",
            "district": ctx.draw_districts(count, rng),
            "client_group": rng.choice(
                np.array(["learning_disability", "mental_health"], dtype=object), size=count
            ),
            "start": start,
            "end": np.full(count, ctx.as_at + 1),
            "hours": np.round(rng.uniform(84, 168, size=count)),
            "weekly_cost": np.round(rng.uniform(*p.transforming_care_cost, size=count), 2),
            "provider": "Transforming Care specialist provider",
            "source": "transfer",
        }
    )
