"""Cached reads for the demand pages (homecare, temporary residential care, the overview) and
the sidebar filters. Each takes the filters as scalars: as-at date, districts, client group."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ascdemand.store import queries
from ascdemand.ui.services.cache import cached, cursor

Districts = tuple[str, ...]


@cached
def filter_options() -> tuple[dt.date, dt.date, list[str]]:
    """The first and latest dates with data, and the districts, for the sidebar."""
    with cursor() as cur:
        first, as_at = queries.data_period(cur)
        return first, as_at, queries.district_names(cur)


@cached
def homecare_weekly(as_at: dt.date, districts: Districts, group: str | None) -> pl.DataFrame:
    """People, hours and mean hours per person in homecare each Monday."""
    with cursor() as cur:
        return queries.homecare_weekly(cur, as_at, districts, group)


@cached
def homecare_by_district(as_at: dt.date, districts: Districts, group: str | None) -> pl.DataFrame:
    """Homecare people and hours each Monday, by district."""
    with cursor() as cur:
        return queries.homecare_weekly(cur, as_at, districts, group, by_district=True)


@cached
def size_bands(as_at: dt.date, districts: Districts, group: str | None) -> pl.DataFrame:
    """Open homecare packages by weekly-hours band on the as-at date."""
    with cursor() as cur:
        return queries.homecare_size_bands(cur, as_at, districts, group)


@cached
def providers(as_at: dt.date, districts: Districts, group: str | None) -> pl.DataFrame:
    """Homecare hours by provider on the as-at date."""
    with cursor() as cur:
        return queries.homecare_providers(cur, as_at, districts, group)


@cached
def temp_weekly(as_at: dt.date, districts: Districts, group: str | None) -> pl.DataFrame:
    """People in temporary residential care each Monday and admissions that week."""
    with cursor() as cur:
        return queries.temp_residential_weekly(cur, as_at, districts, group)


@cached
def temp_stays(as_at: dt.date, districts: Districts, group: str | None) -> pl.DataFrame:
    """Temporary stays that ended in the year to the as-at date, with length and conversion."""
    with cursor() as cur:
        return queries.temp_length_of_stay(cur, as_at, districts, group)


@cached
def placement_costs(as_at: dt.date, districts: Districts, group: str | None) -> pl.DataFrame:
    """Residential placements by start month: mean cost, standard rate, additional payments."""
    with cursor() as cur:
        return queries.placement_costs_monthly(cur, as_at, districts, group)


@cached
def placement_admissions(as_at: dt.date, districts: Districts, group: str | None) -> pl.DataFrame:
    """Care-home admissions per month, temporary and permanent."""
    with cursor() as cur:
        return queries.placement_admissions_monthly(cur, as_at, districts, group)


@cached
def discharges_weekly(as_at: dt.date, districts: Districts) -> pl.DataFrame:
    """Discharges per week by pathway, and those needing social care."""
    with cursor() as cur:
        return queries.discharges_weekly(cur, as_at, districts)
