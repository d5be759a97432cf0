"""Small controls that choose what a page shows: the homecare measure, the budget's year and
period, and the NHS organisation of the sitrep sections."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from ascdemand.models.discharges import display_name
from ascdemand.ui.charts.discharges import ORG_LEVELS
from ascdemand.ui.services import budget, discharges

# What the homecare page can show: label -> (column, axis title, forecast measure or None)
HOMECARE_MEASURES = {
    "Hours per week": ("hours", "Hours per week", "homecare_hours"),
    "People": ("people", "People", "homecare_people"),
    "Average hours per person": ("mean_hours", "Hours per person per week", None),
}


@dataclass(frozen=True, slots=True)
class Measure:
    """A measure chosen on a page: its label, column, axis title and forecast series."""

    label: str
    column: str
    unit: str
    forecast: str | None


def homecare_measure() -> Measure:
    """The homecare measure the page's charts show."""
    label = st.radio("Show", list(HOMECARE_MEASURES), horizontal=True, key="homecare_measure")
    return Measure(label, *HOMECARE_MEASURES[label])


def budget_year_and_period(as_at: dt.date, years: list[str]) -> tuple[str, int] | None:
    """The financial year and the period the forecast is made at (the last closed at the
    sidebar's as-at date by default); None, with a note, when the year has no actuals."""
    default_year, default_period = budget.default_choice(as_at, years)
    left, right = st.columns([1, 3])
    year = left.selectbox(
        "Financial year", years, index=years.index(default_year), key="budget_year"
    )
    last = budget.last_period(year)
    if last == 0:
        st.info(f"The ledger has no actuals for {year} yet, so there is nothing to forecast from.")
        return None
    period = right.select_slider(
        "Forecast as at the end of",
        options=list(range(1, last + 1)),
        value=default_period if year == default_year and default_period <= last else last,
        format_func=lambda p: budget.period_label(year, p),
        key="budget_period",
    )
    return year, period


@dataclass(frozen=True, slots=True)
class Organisation:
    """An NHS organisation of the imported sitrep: level (`icb` or `trust`), code and name."""

    level: str
    code: str
    name: str

    @property
    def shown(self) -> str:
        """Its name as people write it: title case, "Integrated Care Board" shortened to ICB."""
        return display_name(self.name)


def sitrep_organisation() -> Organisation:
    """Choose a care board or trust of the imported sitrep (the council's own first)."""
    left, right = st.columns([1, 2])
    level = left.radio(
        "Organisation level",
        list(ORG_LEVELS),
        format_func=ORG_LEVELS.get,
        horizontal=True,
        key="sitrep_org_type",
    )
    orgs = discharges.organisations(level)
    codes = orgs["org_code"].to_list()
    names = dict(zip(codes, orgs["org_name"], strict=True))
    default = discharges.default_org(level)
    code = right.selectbox(
        ORG_LEVELS[level],
        codes,
        index=codes.index(default) if default in codes else 0,
        format_func=lambda c: f"{display_name(names[c])} ({c})",
        key=f"sitrep_org_{level}",
    )
    return Organisation(level, code, names[code])
