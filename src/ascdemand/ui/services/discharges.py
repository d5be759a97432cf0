"""Cached reads for the Hospital discharges page: the council's own discharges, and NHS
England's discharge sitrep (pathways, and delays in leaving hospital) for one ICB or trust."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ascdemand.store import council_discharges
from ascdemand.store.sitrep import queries as sitrep_queries
from ascdemand.ui.services.cache import cached, cursor
from ascdemand.ui.services.council import profile


@cached
def outcomes_weekly(as_at: dt.date, districts: tuple[str, ...]) -> pl.DataFrame:
    """Council discharges per week by outcome."""
    with cursor() as cur:
        return council_discharges.weekly_by_outcome(cur, as_at, districts)


@cached
def no_package_share(as_at: dt.date, districts: tuple[str, ...]) -> pl.DataFrame:
    """Council discharges per whole month and the share needing no ongoing package."""
    with cursor() as cur:
        return council_discharges.monthly_no_package_share(cur, as_at, districts)


@cached
def council_monthly(as_at: dt.date, districts: tuple[str, ...]) -> pl.DataFrame:
    """Council discharges per whole month by pathway, with weekly equivalents."""
    with cursor() as cur:
        return council_discharges.monthly_by_pathway(cur, as_at, districts)


def has_sitrep() -> bool:
    """True when the database exists and holds at least one imported sitrep month."""
    try:
        return _has_sitrep()
    except FileNotFoundError:
        return False


@cached
def _has_sitrep() -> bool:
    with cursor() as cur:
        return sitrep_queries.has_sitrep(cur)


@cached
def organisations(org_type: str) -> pl.DataFrame:
    """ICBs or trusts in the imported sitrep, by name."""
    with cursor() as cur:
        return sitrep_queries.organisations(cur, org_type)


def default_org(org_type: str) -> str | None:
    """The organisation shown first at a sitrep level: the council's care board or its main
    trust, from the council profile."""
    council = profile()
    return {"icb": council.icb or None, "trust": council.default_trust}.get(org_type)


@cached
def sitrep_monthly(org_type: str, org_code: str) -> pl.DataFrame:
    """One organisation's discharges per month by pathway, with weekly equivalents."""
    with cursor() as cur:
        return sitrep_queries.monthly_by_pathway(cur, org_type, org_code)


@cached
def sitrep_months() -> pl.DataFrame:
    """Imported sitrep months and their source files."""
    with cursor() as cur:
        return sitrep_queries.imported_months(cur)


@cached
def criteria_monthly(org_type: str, org_code: str) -> pl.DataFrame:
    """Patients no longer meeting the criteria to reside, daily averages per month (Table 2)."""
    with cursor() as cur:
        return sitrep_queries.criteria_to_reside_monthly(cur, org_type, org_code)


@cached
def delay_bed_days(org_type: str, org_code: str) -> pl.DataFrame:
    """Bed days after being ready to leave, by length of stay, per month (Table 3)."""
    with cursor() as cur:
        return sitrep_queries.delay_bed_days_by_stay(cur, org_type, org_code)


@cached
def delay_reasons(org_type: str, org_code: str) -> pl.DataFrame:
    """Reasons for delays of patients in hospital 14 days or more, per month (Table 5)."""
    with cursor() as cur:
        return sitrep_queries.delay_reasons(cur, org_type, org_code)


@cached
def delay_reason_groups(org_type: str, org_code: str) -> pl.DataFrame:
    """Delayed people per day by group of reason, per month (Table 5)."""
    with cursor() as cur:
        return sitrep_queries.delay_reason_groups(cur, org_type, org_code)
