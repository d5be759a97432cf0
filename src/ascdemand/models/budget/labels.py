"""Plain-English names of service lines and bridge components, for pages, tables and the CLI."""

from __future__ import annotations

import calendar

import polars as pl

from ascdemand.models.budget.periods import period_bounds

LINE_LABELS = {
    "homecare": "Homecare",
    "residential_nursing": "Residential and nursing care",
    "supported_living": "Supported living",
    "reablement": "Reablement (HART)",
    "direct_payments": "Direct payments",
    "day_care": "Day care",
    "staffing": "Staffing",
    "other": "Other costs",
    "nhs_discharge_income": "NHS discharge income",
    "nhs_one_off_transfer": "NHS one-off transfer",
    "grants": "Grants",
    "client_contributions": "Client contributions",
}

COMPONENT_LABELS = {
    "volume": "More or fewer people",
    "intensity": "More or fewer hours each",
    "price": "Unit cost",
    "records": "Actual spend against care records",
    "other_spend": "Staffing and other costs",
    "income": "Income",
    "budget": "Budget changes",
}


def line_label(service_line: str) -> str:
    """The plain-English name of a service line (the code itself when unknown)."""
    return LINE_LABELS.get(service_line, service_line.replace("_", " ").capitalize())


def line_label_expr(column: str = "service_line") -> pl.Expr:
    """`line_label` of every value of `column`, as a native polars expression: a Python function
    mapped over a column runs on polars' thread pool and needs the interpreter lock, which can
    stall a server where another session's thread holds that lock while waiting on the pool."""
    code = pl.col(column)
    fallback = code.str.replace_all("_", " ")
    fallback = (
        fallback.str.slice(0, 1).str.to_uppercase() + fallback.str.slice(1).str.to_lowercase()
    )
    return code.replace_strict(LINE_LABELS, default=fallback, return_dtype=pl.String)


def period_label(year: str, period: int) -> str:
    """ "P4 (July 2021)": the period and the month it covers."""
    first, _ = period_bounds(year, period)
    return f"P{period} ({calendar.month_name[first.month]} {first.year})"


def short_period_label(year: str, period: int) -> str:
    """ "P4 Jul": for chart axes."""
    first, _ = period_bounds(year, period)
    return f"P{period} {calendar.month_abbr[first.month]}"
