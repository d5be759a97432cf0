"""What every page shares: the global filters, the empty and error states, and safe text.

The store, the cache scheme and the council profile are in `ui.services`, chart styling in
`ui.charts.style`; their names are also importable from here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from ascdemand.formatting import markdown_literal, money, whole
from ascdemand.store.connection import DatabaseUnreadable
from ascdemand.ui.charts import style
from ascdemand.ui.charts.style import BAND_FILL, BAND_FILL_95, PALETTE
from ascdemand.ui.services.cache import cursor, data_version, reader
from ascdemand.ui.services.council import has_data, profile

__all__ = [
    "ALL_GROUPS",
    "BAND_FILL",
    "BAND_FILL_95",
    "CLIENT_GROUP_LABELS",
    "PALETTE",
    "Filters",
    "chart_as_at",
    "current_filters",
    "cursor",
    "data_version",
    "database_readable",
    "escape_markdown",
    "friendly_errors",
    "has_data",
    "money",
    "no_data_message",
    "profile",
    "reader",
    "remember_filters",
    "stop_if_no_data",
    "style_figure",
    "whole",
]

log = logging.getLogger(__name__)

ALL_GROUPS = "All client groups"
CLIENT_GROUP_LABELS = {
    "older_adults": "Older adults (65+)",
    "learning_disability": "Learning disability",
    "mental_health": "Mental health",
    "physical_disability": "Physical disability",
    "other": "Other",
}


@dataclass(frozen=True, slots=True)
class Filters:
    """The global filters: data up to `as_at`, for `districts`, and one client group or all."""

    as_at: dt.date
    districts: tuple[str, ...]
    client_group: str | None

    @property
    def caption(self) -> str:
        """A one-line description of the filters, for chart and table notes."""
        where = (
            "all districts"
            if not self.districts
            else ", ".join(markdown_literal(d) for d in self.districts)
        )
        group = CLIENT_GROUP_LABELS.get(self.client_group or "", "all client groups")
        return f"As at {self.as_at:%d %B %Y}; {where}; {group.lower()}."

    @property
    def args(self) -> tuple[dt.date, tuple[str, ...], str | None]:
        """(as_at, districts, client_group): the arguments of the filtered reads."""
        return self.as_at, self.districts, self.client_group


def database_readable() -> bool:
    """False, with a plain message saying what is wrong and what to do, when the database file
    exists but cannot be opened (damaged, truncated, not readable by this user)."""
    try:
        data_version()
    except DatabaseUnreadable as err:
        st.error(str(err), icon=":material/database:")
        return False
    return True


def escape_markdown(text: str) -> str:
    """`text` shown literally by an element that renders Markdown (`formatting.markdown_literal`)."""
    return markdown_literal(text)


def current_filters() -> Filters:
    """The filters rendered this run by `app.py` (defaults when the sidebar was not drawn)."""
    filters = st.session_state.get("_filters")
    if isinstance(filters, Filters):
        return filters
    return Filters(as_at=dt.date.today(), districts=(), client_group=None)


def remember_filters(filters: Filters) -> None:
    """Keep this run's filters for the page that `app.py` runs next."""
    st.session_state["_filters"] = filters


def chart_as_at() -> dt.date | None:
    """The as-at date for chart notes: the filters' of this run, None if they were not drawn."""
    filters = st.session_state.get("_filters")
    return filters.as_at if isinstance(filters, Filters) else None


def style_figure(fig: go.Figure, *, dated: bool = True, **kwargs: object) -> go.Figure:
    """`charts.style.style_figure` with this run's as-at date in the note (unless `dated` is
    False), for code that draws its own figures inside a page."""
    return style.style_figure(fig, as_at=chart_as_at() if dated else None, **kwargs)


def no_data_message() -> None:
    """The empty state shared by every data page: what to load and where."""
    st.info(
        "No data loaded yet. Build the demonstration database with `ascdemand demo` "
        "(or `make run`), or load your council's extracts on the **Data** page.",
        icon=":material/database:",
    )


def stop_if_no_data() -> None:
    """End the page with the empty-state message when nothing is loaded yet."""
    if not has_data():
        no_data_message()
        st.stop()


@contextlib.contextmanager
def friendly_errors(what: str) -> Iterator[None]:
    """Show a plain message instead of a traceback if `what` fails; the detail goes to the log."""
    try:
        yield
    except Exception as err:  # noqa: BLE001 - the page must stay usable whatever failed
        log.exception("%s failed", what)
        st.error(
            f"Sorry, {what} could not be shown: {type(err).__name__}. "
            "The details are in the server log; try another filter or reload the page.",
            icon=":material/error:",
        )
