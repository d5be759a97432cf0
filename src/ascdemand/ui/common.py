"""What every page shares: the read-only store, the sidebar filters, chart styling, downloads."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand import exports, settings
from ascdemand.profile import GENERIC, CouncilProfile
from ascdemand.store import audit, meta, queries, writer
from ascdemand.store.connection import DatabaseUnreadable
from ascdemand.store.contract import CLIENT_GROUPS
from ascdemand.store.profile import current_profile
from ascdemand.store.reader import Reader
from ascdemand.ui import auth

log = logging.getLogger(__name__)

# Okabe-Ito: distinguishable with the common colour-vision deficiencies and in greyscale print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
BAND_FILL = "rgba(0, 114, 178, 0.15)"
BAND_FILL_95 = "rgba(0, 114, 178, 0.07)"
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
        where = "all districts" if not self.districts else ", ".join(self.districts)
        group = CLIENT_GROUP_LABELS.get(self.client_group or "", "all client groups")
        return f"As at {self.as_at:%d %B %Y}; {where}; {group.lower()}."


@st.cache_resource
def _reader(path: str) -> Reader:
    return Reader(path)


def reader() -> Reader:
    """The shared read-only reader of the configured database."""
    return _reader(str(settings.db_path()))


@contextlib.contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh read-only cursor on the current database snapshot."""
    with reader().cursor() as cur:
        yield cur


def data_version() -> str | None:
    """The stored data's version (None with no database): cached results are keyed on it, so a
    load or an edit shows at once while an audit entry (every download writes one) keeps them."""
    if reader().identity is None:
        return None
    with cursor() as cur:
        return meta.data_version(cur)


def database_readable() -> bool:
    """False, with a plain message saying what is wrong and what to do, when the database file
    exists but cannot be opened (damaged, truncated, not readable by this user)."""
    try:
        data_version()
    except DatabaseUnreadable as err:
        st.error(str(err), icon=":material/database:")
        return False
    return True


def refresh_if_changed() -> None:
    """Drop cached query results when a write has changed the data."""
    version = data_version()
    seen = st.session_state.get("_data_version")
    if seen is not None and seen != version:
        st.cache_data.clear()
    st.session_state["_data_version"] = version


def has_data() -> bool:
    """True when the database exists and holds at least one extract row."""
    try:
        return _has_data(data_version())
    except FileNotFoundError:
        return False


@st.cache_data(show_spinner=False)
def _has_data(version: str | None) -> bool:
    if version is None:
        return False
    with cursor() as cur:
        return queries.has_extracts(cur)


def profile() -> CouncilProfile:
    """The council's profile (the generic one before a profile is loaded)."""
    try:
        return _profile(data_version())
    except FileNotFoundError:
        return GENERIC


@st.cache_data(show_spinner=False)
def _profile(version: str | None) -> CouncilProfile:
    if version is None:
        return GENERIC
    with cursor() as cur:
        return current_profile(cur)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: str) -> str:
    """`text` shown literally by an element that renders Markdown (a council's or district's
    name must never become a link, an image or emphasis)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


@st.cache_data(show_spinner=False)
def _filter_options(version: str | None) -> tuple[dt.date, dt.date, list[str]]:
    with cursor() as cur:
        first, as_at = queries.data_period(cur)
        return first, as_at, queries.district_names(cur)


def sidebar_filters() -> Filters:
    """Render the global filters in the sidebar and return them (defaults when no data).

    Each filter is bound to a URL query parameter (`as_at`, `district`, `group`), so a view can
    be shared by link; a value equal to its default stays out of the URL.
    """
    council = profile()
    if council is not GENERIC:
        st.sidebar.markdown(f"**{escape_markdown(council.name)}**")
    if not has_data():
        return Filters(as_at=dt.date.today(), districts=(), client_group=None)
    first, latest, districts = _filter_options(data_version())
    with st.sidebar:
        st.subheader("Filters")
        as_at = st.date_input(
            "As-at date",
            value=latest,
            min_value=first,
            max_value=latest,
            key="as_at",
            bind="query-params",
            format="DD/MM/YYYY",
            help="Show the data as it stood on this date. Forecasts start from here.",
        )
        chosen = st.multiselect(
            "Districts",
            districts,
            key="district",
            bind="query-params",
            placeholder="All districts",
            help=f"Leave empty for the whole of {council.short_name}.",
        )
        group = st.selectbox(
            "Client group",
            [ALL_GROUPS, *CLIENT_GROUPS],
            key="group",
            bind="query-params",
            format_func=lambda g: CLIENT_GROUP_LABELS.get(g, g),
        )
    return Filters(
        as_at=as_at or latest,
        districts=tuple(chosen),
        client_group=None if group == ALL_GROUPS else group,
    )


def require_app() -> None:
    """Make sure this page runs inside `app.py` (sign-in, access check, filters).

    On a freshly started server, a direct link to a page (`/homecare`) makes Streamlit run the
    page file on its own, in its legacy `pages/` folder mode, skipping `app.py`. Switching that
    mode off and rerunning sends the request through `app.py`'s navigation to the same page.
    """
    if "_filters" in st.session_state:
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def current_filters() -> Filters:
    """The filters rendered this run by `app.py` (defaults when the sidebar was not drawn)."""
    filters = st.session_state.get("_filters")
    if isinstance(filters, Filters):
        return filters
    return Filters(as_at=dt.date.today(), districts=(), client_group=None)


def remember_filters(filters: Filters) -> None:
    """Keep this run's filters for the page that `app.py` runs next."""
    st.session_state["_filters"] = filters


def style_figure(
    fig: go.Figure,
    *,
    title: str,
    y_title: str,
    source: str,
    x_title: str = "",
    height: int = 420,
    note_width: int = 110,
    dated: bool = True,
) -> go.Figure:
    """Plain-English title with the unit, labelled axes, readable hover, and a source note;
    note and title wrap to fit `note_width` characters of note (narrower for charts drawn in
    half-width columns). The
    note gives the council data's as-at date unless `dated` is False (charts of NHS data only,
    whose source names its own months)."""
    as_at = _as_at_note() if dated else ""
    note = textwrap.wrap(f"Source: {source}.{as_at}", note_width)
    heading = textwrap.wrap(title, max(40, note_width * 9 // 10))  # 18px type is wider than 11px
    fig.update_layout(
        title={"text": "<br>".join(heading), "x": 0, "xanchor": "left", "font": {"size": 18}},
        colorway=PALETTE,
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 20, "t": 38 + 22 * len(heading), "b": 76 + 14 * len(note)},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hovermode="x unified",
        font={"size": 13},
    )
    fig.update_yaxes(title_text=y_title, rangemode="tozero", separatethousands=True)
    fig.update_xaxes(title_text=x_title)
    fig.add_annotation(
        text="<br>".join(note),
        align="left",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yanchor="top",
        yshift=-62,  # in pixels below the plot, inside the bottom margin at any chart height
        showarrow=False,
        xanchor="left",
        font={"size": 11, "color": "#555555"},
    )
    return fig


def _as_at_note() -> str:
    """' Data as at <date>.' for chart notes, from the filters of this run (if drawn)."""
    filters = st.session_state.get("_filters")
    return f" Data as at {filters.as_at:%d %B %Y}." if isinstance(filters, Filters) else ""


def download_buttons(
    frame: pl.DataFrame,
    name: str,
    *,
    public: bool = False,
    money_columns: tuple[str, ...] = (),
    key: str | None = None,
) -> None:
    """CSV and XLSX download buttons for a table, with spreadsheet formulas neutralised.

    Public exports go through small-number suppression first.
    """
    if public:
        from ascdemand import privacy

        frame = privacy.publishable(frame)
    key = key or name
    left, right = st.columns(2)
    left.download_button(
        "Download CSV",
        exports.to_csv_bytes(frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click=record_export,
        args=(f"{name}.csv", frame.height, public),
    )
    right.download_button(
        "Download Excel",
        exports.to_xlsx_bytes(frame, sheet=name, money_columns=money_columns),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
        on_click=record_export,
        args=(f"{name}.xlsx", frame.height, public),
    )


def record_export(file_name: str, rows: int, public: bool) -> None:
    """Write an export to the audit trail (who, when, what); a busy database only logs it."""
    path = settings.db_path()
    if not path.exists():
        return
    detail = f"{file_name}: {rows:,} rows{' (public, suppressed)' if public else ''}"
    try:
        audit.record_alone(path, user=auth.user_name(), action="export", detail=detail, timeout=5)
    except writer.DatabaseBusy:
        log.warning("Export not audited, database busy: %s", detail)


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


def money(value: float, *, signed: bool = False) -> str:
    """£ in millions to one decimal above £1m, else whole pounds (display only)."""
    sign = "+" if signed and value > 0 else ("-" if value < 0 else "")
    value = abs(value)
    if value >= 1e6:
        return f"{sign}£{value / 1e6:,.1f}m"
    return f"{sign}£{value:,.0f}"


def whole(value: float) -> str:
    """A whole number with thousands separators."""
    return f"{value:,.0f}"
