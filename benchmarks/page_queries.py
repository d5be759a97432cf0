"""The store queries behind each page, run for one filter change: an earlier as-at date and a
single district, as when a user moves the date slider and picks a district in the sidebar.

Each page's set calls the same store functions its `ui` module caches, on one read-only
connection with a fresh cursor per query, as the app does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb
import polars as pl

from ascdemand.briefing import comparators, facts
from ascdemand.models.budget.periods import last_complete_period, period_of
from ascdemand.models.budget.trajectory import forecasts_through
from ascdemand.store import (
    briefing,
    budget_inputs,
    council_discharges,
    quality,
    queries,
    scenario_inputs,
    scenarios,
    state,
)
from ascdemand.store.meta import as_at_date
from ascdemand.store.sitrep import queries as sitrep_queries
from benchmarks.harness import Result, timed

# How far the filter change moves the as-at date back.
AS_AT_STEP = dt.timedelta(weeks=4)
# Weeks of history the scenario page calibrates on.
CALIBRATION_WEEKS = 26


@dataclass(frozen=True, slots=True)
class Filter:
    """The sidebar state after the change."""

    as_at: dt.date
    districts: tuple[str, ...]
    group: str | None = None


Query = Callable[[duckdb.DuckDBPyConnection, Filter], object]
R = TypeVar("R")


def _budget(cur: duckdb.DuckDBPyConnection, f: Filter) -> object:
    """What the Budget page and the Overview's budget tiles wait for on a cache miss: the
    forecast as at the end of each period of the year up to the last one closed by the as-at
    date, inputs read and model run (the Briefing page's `facts.gather` does the same)."""
    years = budget_inputs.financial_years(cur)
    year, _ = period_of(f.as_at)
    if year not in years:
        year = years[0]
        through = budget_inputs.last_period(cur, year)
    else:
        closed = last_complete_period(year, f.as_at)
        through = max(1, min(closed, budget_inputs.last_period(cur, year)))
    return [forecast.lines for forecast in forecasts_through(cur, year, through)]


def _quality(cur: duckdb.DuckDBPyConnection, f: Filter) -> object:
    return [quality.run_check(cur, name) for name in quality.CHECKS]


def _sitrep(cur: duckdb.DuckDBPyConnection, f: Filter) -> object:
    if not sitrep_queries.has_sitrep(cur):
        return None
    return sitrep_queries.organisations(cur, "icb")


def _demand(fn: Callable[..., pl.DataFrame]) -> Query:
    return lambda cur, f: fn(cur, f.as_at, f.districts, f.group)


def _no_group(fn: Callable[..., pl.DataFrame]) -> Query:
    return lambda cur, f: fn(cur, f.as_at, f.districts)


def _with_state(
    cur: duckdb.DuckDBPyConnection, read: Callable[[duckdb.DuckDBPyConnection], R]
) -> R:
    """`read` on the app state beside the database `cur` reads (`store.state`), opened for the
    read as the app opens it."""
    (path,) = cur.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()[0]
    with state.reading(path) as app_state:
        return read(app_state)


def _all_comparators(cur: duckdb.DuckDBPyConnection, f: Filter) -> pl.DataFrame:
    return _with_state(cur, lambda s: comparators.all_comparators(cur, s))


# page file stem -> (query name, query)
PAGE_QUERIES: dict[str, tuple[tuple[str, Query], ...]] = {
    "overview": (
        ("homecare_weekly", _demand(queries.homecare_weekly)),
        ("temp_residential_weekly", _demand(queries.temp_residential_weekly)),
        ("discharges_weekly", _no_group(queries.discharges_weekly)),
        ("budget_forecasts", _budget),
    ),
    "budget": (("budget_forecasts", _budget),),
    "homecare": (
        ("homecare_weekly", _demand(queries.homecare_weekly)),
        (
            "homecare_by_district",
            lambda cur, f: queries.homecare_weekly(
                cur, f.as_at, f.districts, f.group, by_district=True
            ),
        ),
        ("homecare_size_bands", _demand(queries.homecare_size_bands)),
        ("homecare_providers", _demand(queries.homecare_providers)),
    ),
    "temporary_residential": (
        ("temp_residential_weekly", _demand(queries.temp_residential_weekly)),
        ("temp_length_of_stay", _demand(queries.temp_length_of_stay)),
        ("placement_costs_monthly", _demand(queries.placement_costs_monthly)),
        ("placement_admissions_monthly", _demand(queries.placement_admissions_monthly)),
    ),
    "discharges": (
        ("discharges_weekly", _no_group(queries.discharges_weekly)),
        ("weekly_by_outcome", _no_group(council_discharges.weekly_by_outcome)),
        ("monthly_no_package_share", _no_group(council_discharges.monthly_no_package_share)),
        ("monthly_by_pathway", _no_group(council_discharges.monthly_by_pathway)),
        ("sitrep_organisations", _sitrep),
    ),
    "scenarios": (
        (
            "calibration_inputs",
            lambda cur, f: scenario_inputs.calibration_inputs(cur, CALIBRATION_WEEKS, f.as_at),
        ),
        ("sitrep_organisations", _sitrep),
        ("list_scenarios", lambda cur, f: _with_state(cur, scenarios.list_scenarios)),
    ),
    "briefing": (
        (
            "briefing_facts",
            lambda cur, f: _with_state(
                cur, lambda s: facts.gather(cur, f.as_at, f.districts, state=s)
            ),
        ),
        ("all_comparators", _all_comparators),
        ("mitigations", lambda cur, f: _with_state(cur, briefing.mitigations)),
        ("targets", lambda cur, f: _with_state(cur, briefing.targets)),
    ),
    "benchmarks": (("all_comparators", _all_comparators),),
    "data": (
        ("table_counts", lambda cur, f: quality.table_counts(cur)),
        ("load_log", lambda cur, f: quality.load_log(cur)),
        ("quality_checks", _quality),
        ("weekly_new_packages", lambda cur, f: quality.weekly_new_packages(cur)),
    ),
}


def changed_filter(con: duckdb.DuckDBPyConnection) -> Filter:
    """Four weeks before the stored as-at date, in the alphabetically first district."""
    district = con.execute("SELECT min(district) FROM districts").fetchall()[0][0]
    return Filter(as_at=as_at_date(con) - AS_AT_STEP, districts=(district,))


def run_page(con: duckdb.DuckDBPyConnection, page: str, f: Filter) -> int:
    """Run every query of `page` with a fresh cursor each; the rows they returned."""
    rows = 0
    for _, query in PAGE_QUERIES[page]:
        cur = con.cursor()
        try:
            rows += _rows(query(cur, f))
        finally:
            cur.close()
    return rows


def _rows(value: object) -> int:
    if isinstance(value, pl.DataFrame):
        return value.height
    if isinstance(value, dict):
        return sum(_rows(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_rows(v) for v in value)
    return 0 if value is None else 1


def measure(db: Path, repeat: int, quick: bool) -> list[Result]:
    """Median time of each page's query set after the filter change."""
    results = []
    with duckdb.connect(str(db), read_only=True) as con:
        f = changed_filter(con)
        for page, named in PAGE_QUERIES.items():
            median, runs, rows = timed(lambda p=page: run_page(con, p, f), repeat)
            results.append(
                Result(
                    "page queries",
                    page,
                    median,
                    runs,
                    rows,
                    detail={
                        "queries": [name for name, _ in named],
                        "as_at": f.as_at.isoformat(),
                        "districts": list(f.districts),
                    },
                )
            )
    return results
