"""The briefing's tables as text, shared by the page, the PDF and the HTML pack.

Every count comes from the published facts (already through disclosure control); here they are
only formatted: `*` for a hidden count, commas for thousands, money in £ million.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from ascdemand import privacy
from ascdemand.briefing import comparators
from ascdemand.briefing.facts import RECENT_WEEKS, BriefingFacts, Measure


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A titled text table with a note under it and relative column widths."""

    name: str
    title: str
    frame: pl.DataFrame
    note: str
    widths: tuple[float, ...] | None = None


_NUMBER = re.compile(r"^(-?£?[\d,]+(\.\d+)?[m%]?|\*)$")


def is_numeric_text(text: str) -> bool:
    """True for a formatted figure ('2,380', '-£0.5m', '45%', '*'): such cells align right."""
    return bool(_NUMBER.match(text.strip()))


def gbp_m(value: float) -> str:
    """Pounds as '£3.4m' or '-£0.5m' (a minus sign, and no '-£0.0m' for tiny amounts)."""
    millions = round(value / 1e6, 1)
    return f"{'-' if millions < 0 else ''}£{abs(millions):,.1f}m"


def _text(series: pl.Series, fmt: Callable[[Any], str], *, skip_nulls: bool = True) -> pl.Series:
    """`fmt` of each value, run here rather than mapped by polars: a Python function mapped
    over a column runs on polars' thread pool and needs the interpreter lock, which can stall
    a server where another session's thread holds that lock while waiting on the pool."""
    values = [None if v is None and skip_nulls else fmt(v) for v in series.to_list()]
    return pl.Series(series.name, values, dtype=pl.String)


def _counts(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    return frame.with_columns(
        _text(frame[c], privacy.format_count, skip_nulls=False) for c in columns
    )


def _value(m: Measure, v: float | None) -> str:
    if v is None:
        return privacy.SUPPRESSED
    return f"{v:,.1f}" if m.key == "mean_hours_per_person" else f"{v:,.0f}"


def key_figures(facts: BriefingFacts) -> TableSpec:
    """Each demand measure now, a year ago, before the pandemic and at its peak."""
    rows = [
        {
            "Measure": m.label,
            "Now": _value(m, m.now),
            "A year ago": _value(m, m.year_ago),
            f"{facts.pandemic_start:%B %Y}": _value(m, m.baseline),
            "Peak since": (
                f"{_value(m, m.peak)} ({m.peak_week:%b %Y})" if m.peak_week else _value(m, None)
            ),
        }
        for m in facts.measures.values()
    ]
    return TableSpec(
        "key_figures",
        "Key figures",
        pl.DataFrame(rows),
        f"Week beginning {facts.week:%d %B %Y}. Counts of people rounded to the nearest 5; "
        "hours to the nearest 10.",
        (2.6, 1, 1, 1, 1.4),
    )


def by_district(facts: BriefingFacts) -> TableSpec:
    """People by district, after suppression, with the area total."""
    cols = ["homecare_people", "temp_residential_people", "discharges_to_social_care"]
    frame = _counts(facts.by_district, cols).rename(
        {
            "district": "District",
            "homecare_people": "People receiving homecare",
            "temp_residential_people": "People in temporary residential care",
            "discharges_to_social_care": f"Hospital discharges needing care (last {RECENT_WEEKS} weeks)",
        }
    )
    return TableSpec(
        "by_district",
        "People by district",
        frame,
        "* = 1 to 7 people, or hidden so that such a number cannot be worked out from the total.",
        (1.6, 1, 1, 1.2),
    )


def by_pathway(facts: BriefingFacts) -> TableSpec:
    """Hospital discharges by district and pathway in the last four weeks, after suppression."""
    cols = [c for c in facts.by_pathway.columns if c != "district"]
    frame = _counts(facts.by_pathway, cols).rename(
        {
            "district": "District",
            "P0": "Pathway 0",
            "P1": "Pathway 1",
            "P2": "Pathway 2",
            "P3": "Pathway 3",
        }
    )
    return TableSpec(
        "by_pathway",
        f"Hospital discharges by pathway, last {RECENT_WEEKS} weeks",
        frame,
        "Pathway 0: home with no new support; 1: home with new support; 2: a short-term "
        "rehabilitation bed; 3: a new care-home place. * = hidden to protect privacy.",
        (1.8, 1, 1, 1, 1, 1.1),
    )


def service_lines(facts: BriefingFacts) -> TableSpec | None:
    """Budget, forecast outturn and variance of each service line, largest overspend first."""
    if facts.money is None:
        return None
    m = facts.money.by_line

    def gbp(col: str) -> pl.Series:
        return _text(m[col], gbp_m)

    frame = m.select(
        pl.col("label").alias("Service line"),
        gbp("budget").alias("Budget"),
        gbp("forecast_outturn").alias("Forecast outturn"),
        gbp("variance").alias("Over (+) / under (-) budget"),
    )
    total = pl.DataFrame(
        {
            "Service line": ["Net position"],
            "Budget": [gbp_m(m["budget"].sum())],
            "Forecast outturn": [gbp_m(m["forecast_outturn"].sum())],
            "Over (+) / under (-) budget": [gbp_m(m["variance"].sum())],
        }
    )
    return TableSpec(
        "service_lines",
        f"Forecast by service line, period {facts.money.period} of {facts.money.financial_year}",
        pl.concat([frame, total]),
        "Income lines (NHS funding, grants, contributions) are negative. Forecast: actual "
        "spend to date, plus the cost of people already in care and of expected new demand "
        "to 31 March.",
        (2, 1, 1.2, 1.4),
    )


def targets(facts: BriefingFacts) -> TableSpec | None:
    """The Director's targets with the current figure and progress."""
    if facts.targets.is_empty():
        return None

    def show(row: dict, col: str) -> str:
        v = row[col]
        if v is None:
            return "" if col == "baseline_value" else privacy.SUPPRESSED
        if row["measure"] == "net_overspend_gbp_m":
            return gbp_m(v * 1e6)
        return f"{v:,.1f}" if row["measure"] == "mean_hours_per_person" else f"{v:,.0f}"

    rows = [
        {
            "Measure": t["label"],
            "Target": show(t, "target_value"),
            "By": "" if t["due_date"] is None else f"{t['due_date']:%d %b %Y}",
            "Started at": show(t, "baseline_value"),
            "Now": show(t, "current"),
            "Progress": (
                ""
                if t["progress_pct"] is None
                else "met"
                if t["progress_pct"] >= 100
                else f"{t['progress_pct']:.0f}%"
            ),
        }
        for t in facts.targets.iter_rows(named=True)
    ]
    return TableSpec(
        "targets",
        "What success looks like: targets",
        pl.DataFrame(rows),
        "Progress: share of the way from the starting figure to the target.",
        (2.4, 0.9, 1.4, 0.9, 0.9, 0.9),
    )


def comparator_table(facts: BriefingFacts) -> TableSpec:
    """The council and its comparators, with the figures' sources noted."""
    councils = facts.comparators.sort("council")
    frame = councils.select(
        (
            pl.col("council")
            + pl.when(pl.col("added")).then(pl.lit(" (added)")).otherwise(pl.lit(""))
        ).alias("Council"),
        *[
            _text(councils[c], lambda v: f"£{v:,.0f}")
            .fill_null("")
            .alias(comparators.SHORT_LABELS[c])
            for c in comparators.LABELS
        ],
    )
    return TableSpec(
        "comparators",
        "How we compare",
        frame,
        f"Source: {comparators.source_note(facts.comparators)}. Net budgets as each council "
        "published them for that source, which may differ from the budget in the Money "
        "section. Rows marked (added) were entered by officers, with their own sources.",
        (1.5, 1, 1.3, 1.3),
    )


def briefing_tables(facts: BriefingFacts) -> list[TableSpec]:
    """All the briefing's tables, in reading order (empty ones left out)."""
    specs = [
        key_figures(facts),
        by_district(facts),
        by_pathway(facts),
        service_lines(facts),
        targets(facts),
        comparator_table(facts),
    ]
    return [s for s in specs if s is not None]
