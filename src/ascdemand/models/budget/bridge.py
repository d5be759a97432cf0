"""Why the forecast moved between two periods: people, hours each, unit cost, income.

For each care segment the person-level cost of the year is `C = V * I * P`: person-weeks `V`,
hours per person-week `I` (1 where care is bought by the week) and cost per hour or week `P`.
The change splits in sequence, which adds up exactly:
`C1 - C0 = (V1 - V0) I0 P0 + V1 (I1 - I0) P0 + V1 I1 (P1 - P0)`.
What the ledger's actuals add on top of the care records (`records`), staffing and other
non-care lines (`other_spend`), income lines (`income`) and any budget change (`budget`, as
minus the change in budget) complete the change in the net overspend.
"""

from __future__ import annotations

import math

import polars as pl

from ascdemand.models.budget.outturn import Forecast
from ascdemand.store.contract import INCOME_LINES

COMPONENTS = ("volume", "intensity", "price", "records", "other_spend", "income", "budget")


def _care_measures(forecast: Forecast) -> dict[str, dict[str, float]]:
    """Person-weeks, hour-weeks and cost of the whole year, per care segment."""
    totals = forecast.care.select(
        "segment",
        "service_line",
        pl.sum_horizontal("weeks_to_date", "weeks_committed", "weeks_new").alias("weeks"),
        pl.sum_horizontal("hour_weeks_to_date", "hour_weeks_committed", "hour_weeks_new").alias(
            "hour_weeks"
        ),
        pl.sum_horizontal("cost_to_date", "cost_committed", "cost_new").alias("cost"),
    )
    return {r["segment"]: r for r in totals.iter_rows(named=True)}


def _split(before: dict | None, after: dict | None) -> tuple[float, float, float]:
    """Volume, intensity and price effects of one segment; they sum to the change in cost."""
    v0, h0, c0 = (before["weeks"], before["hour_weeks"], before["cost"]) if before else (0, 0, 0)
    v1, h1, c1 = (after["weeks"], after["hour_weeks"], after["cost"]) if after else (0, 0, 0)
    if v0 <= 0 or v1 <= 0:
        return c1 - c0, 0.0, 0.0
    hourly = h0 > 0 and h1 > 0
    i0, i1 = (h0 / v0, h1 / v1) if hourly else (1.0, 1.0)
    p0 = c0 / (v0 * i0)
    volume = (v1 - v0) * i0 * p0
    intensity = v1 * (i1 - i0) * p0
    return volume, intensity, (c1 - c0) - volume - intensity


def bridge(before: Forecast, after: Forecast) -> pl.DataFrame:
    """Decompose the change in net overspend from `before` to `after` by line and component.

    Args:
        before: The earlier forecast (e.g. period 4).
        after: The later forecast of the same year (e.g. period 5).

    Returns:
        component, service_line, amount (pounds; positive = the overspend grew). Amounts sum
        to `after` net overspend minus `before` net overspend.
    """
    lines0 = {r["service_line"]: r for r in before.lines.iter_rows(named=True)}
    lines1 = {r["service_line"]: r for r in after.lines.iter_rows(named=True)}
    care0, care1 = _care_measures(before), _care_measures(after)
    rows: list[tuple[str, str, float]] = []
    for line in sorted(set(lines0) | set(lines1)):
        zero = {"outturn": 0.0, "budget": 0.0}
        l0, l1 = lines0.get(line, zero), lines1.get(line, zero)
        change = l1["outturn"] - l0["outturn"]
        rows.append(("budget", line, -(l1["budget"] - l0["budget"])))
        segments = {s for s, r in (care0 | care1).items() if r["service_line"] == line}
        if line in INCOME_LINES:
            rows.append(("income", line, change))
        elif not segments:
            rows.append(("other_spend", line, change))
        else:
            effects = [_split(care0.get(s), care1.get(s)) for s in sorted(segments)]
            care_change = 0.0
            for name, index in (("volume", 0), ("intensity", 1), ("price", 2)):
                amount = math.fsum(e[index] for e in effects)
                care_change += amount
                rows.append((name, line, amount))
            rows.append(("records", line, change - care_change))
    return pl.DataFrame(rows, schema=["component", "service_line", "amount"], orient="row")


def bridge_summary(detail: pl.DataFrame) -> pl.DataFrame:
    """Total of each component, in the order of `COMPONENTS`: component, amount."""
    order = {c: i for i, c in enumerate(COMPONENTS)}
    return (
        detail.group_by("component")
        .agg(pl.col("amount").sum())
        .with_columns(pl.col("component").replace_strict(order).alias("_order"))
        .sort("_order")
        .drop("_order")
    )
