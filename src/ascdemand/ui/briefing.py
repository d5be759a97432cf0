"""Cached reads, role checks, edits and exports for the Committee briefing and Benchmarks pages.

Everything shown goes through `briefing.facts`, which applies disclosure control once, so the
page, the PDF and the HTML agree. Edits (actions, targets, comparators) go through the writer
and clear the cache so the page shows them at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import duckdb
import polars as pl
import streamlit as st

from ascdemand import access, settings
from ascdemand.briefing import comparators
from ascdemand.briefing import facts as briefing_facts
from ascdemand.briefing.export import audit_export
from ascdemand.briefing.facts import BriefingFacts
from ascdemand.briefing.html import build_html
from ascdemand.briefing.pdf import render
from ascdemand.store import briefing as store
from ascdemand.store import writer
from ascdemand.ui import auth, budget, common

log = logging.getLogger(__name__)


@st.cache_data(show_spinner="Preparing the briefing...")
def facts(
    as_at: dt.date, districts: tuple[str, ...], version: str | None = None
) -> BriefingFacts | None:
    """The published briefing content at `as_at` for `districts` (all when empty); the
    data version keys the cache, so a load or an edit shows at once."""
    with common.cursor() as cur:
        return briefing_facts.gather(cur, as_at, districts, forecasts_by_period=budget.forecasts)


def current_facts(as_at: dt.date, districts: tuple[str, ...]) -> BriefingFacts | None:
    """`facts` for the database snapshot on disk now."""
    return facts(as_at, districts, common.data_version())


@st.cache_data(show_spinner=False)
def comparator_table(version: str | None = None) -> pl.DataFrame:
    """Reference and user-added comparators (`added` marks users' rows)."""
    with common.cursor() as cur:
        return comparators.all_comparators(cur)


def current_comparators() -> pl.DataFrame:
    """`comparator_table` for the database snapshot on disk now."""
    return comparator_table(common.data_version())


def role() -> str | None:
    """The current user's role (director, commissioner, committee), as the app decides it."""
    try:
        return auth.current_role(access.load_config())
    except (FileNotFoundError, ValueError):
        return None


def can_edit_actions() -> bool:
    """Officers (directors and commissioners) record mitigating actions and comparators."""
    return role() in ("director", "commissioner")


def can_set_targets() -> bool:
    """Only the Director sets targets."""
    return role() == "director"


def _write(change: Callable[[duckdb.DuckDBPyConnection, str], object]) -> None:
    """Apply one edit through the writer as the current user, then drop cached reads."""
    with writer.transaction(settings.db_path()) as con:
        change(con, auth.user_name())
    st.cache_data.clear()


def add_mitigation(action: str, owner: str, status: str) -> None:
    """Record a mitigating action (raises ValueError on bad text or status)."""
    _write(
        lambda con, user: store.add_mitigation(
            con, action=action, owner=owner, status=status, user=user
        )
    )


def set_mitigation_status(mitigation_id: int, status: str) -> None:
    """Move an action to planned, in progress or done."""
    _write(lambda con, user: store.set_mitigation_status(con, mitigation_id, status, user=user))


def delete_mitigation(mitigation_id: int) -> None:
    """Remove an action from the briefing."""
    _write(lambda con, user: store.delete_mitigation(con, mitigation_id, user=user))


def mitigations() -> pl.DataFrame:
    """Every recorded action with its id (for the edit form)."""
    with common.cursor() as cur:
        return store.mitigations(cur)


def targets() -> pl.DataFrame:
    """Every target as stored (for the edit form)."""
    with common.cursor() as cur:
        return store.targets(cur)


def set_target(
    measure: str, target: float, baseline: float | None, due: dt.date | None, note: str
) -> None:
    """Set the Director's target on one measure."""
    _write(
        lambda con, user: store.set_target(
            con,
            measure=measure,
            target_value=target,
            baseline_value=baseline,
            due_date=due,
            note=note,
            user=user,
        )
    )


def delete_target(measure: str) -> None:
    """Remove the target on one measure."""
    _write(lambda con, user: store.delete_target(con, measure, user=user))


def add_comparator(council: str, values: dict[str, float | None], source: str) -> None:
    """Add a comparator council with the source of its figures."""
    _write(
        lambda con, user: store.add_comparator(
            con, council=council, values=values, source=source, user=user
        )
    )


def delete_comparator(council: str) -> None:
    """Remove a user-added comparator."""
    _write(lambda con, user: store.delete_comparator(con, council, user=user))


def _audited(kind: str, facts_: BriefingFacts, user: str) -> None:
    try:
        audit_export(
            settings.db_path(),
            user=user,
            kind=kind,
            detail=f"as at {facts_.as_at}; {facts_.area}; from the app",
        )
    except writer.DatabaseBusy:
        log.warning("Briefing %s export by %s could not be audited: database busy", kind, user)


def pdf_maker(facts_: BriefingFacts):
    """A no-argument function for `st.download_button` that renders the PDF when clicked and
    audits the export (it runs outside the script, so the user is captured now)."""
    user = auth.user_name()

    def make() -> bytes:
        data = render(facts_)
        _audited("pdf", facts_, user)
        return data

    return make


def html_maker(facts_: BriefingFacts):
    """As `pdf_maker`, for the self-contained HTML version."""
    user = auth.user_name()

    def make() -> str:
        text = build_html(facts_)
        _audited("html", facts_, user)
        return text

    return make


def _report(what: str, change: Callable[[], None]) -> None:
    """Run one edit, then rerun so the briefing above shows it; show a friendly message
    instead of a traceback when it is refused."""
    try:
        change()
    except ValueError as err:
        st.error(str(err), icon=":material/error:")
    except writer.DatabaseBusy:
        st.warning("The database is busy with a load; try again in a moment.")
    else:
        st.toast(f"{what} saved.", icon=":material/check:")
        st.rerun()


def action_editor() -> None:
    """Form to record a mitigating action, and the list of actions with status and removal."""
    with st.form("briefing_add_action", clear_on_submit=True):
        st.markdown("**Record an action** (one short sentence a councillor will understand)")
        action = st.text_input("Action", max_chars=store.MAX_TEXT, key="briefing_action")
        owner = st.text_input("Lead officer or team (optional)", key="briefing_owner")
        status = st.selectbox("Status", store.MITIGATION_STATUSES, key="briefing_status")
        if st.form_submit_button("Add action", icon=":material/add:"):
            _report("Action", lambda: add_mitigation(action, owner, status))
    for row in mitigations().iter_rows(named=True):
        text, state, remove = st.columns([6, 2, 1], vertical_alignment="center")
        text.write(f"{row['action']}" + (f" ({row['owner']})" if row["owner"] else ""))
        chosen = state.selectbox(
            "Status",
            store.MITIGATION_STATUSES,
            index=store.MITIGATION_STATUSES.index(row["status"]),
            key=f"briefing_status_{row['mitigation_id']}",
            label_visibility="collapsed",
        )
        if chosen != row["status"]:
            _report("Status", lambda r=row, c=chosen: set_mitigation_status(r["mitigation_id"], c))
        if remove.button(
            "Remove", key=f"briefing_remove_{row['mitigation_id']}", icon=":material/delete:"
        ):
            _report("Removal", lambda r=row: delete_mitigation(r["mitigation_id"]))


def target_editor(facts_: BriefingFacts) -> None:
    """Form for the Director to set a target; the starting figure defaults to today's."""
    now = {k: m.now for k, m in facts_.measures.items()}
    if facts_.money is not None:
        now["net_overspend_gbp_m"] = round(facts_.money.net_overspend / 1e6, 1)
    measure = st.selectbox(
        "Measure",
        list(store.TARGET_MEASURES),
        format_func=lambda m: f"{store.TARGET_MEASURES[m][0]} ({store.TARGET_MEASURES[m][1]})",
        key="briefing_target_measure",
    )
    with st.form("briefing_set_target"):
        left, mid, right = st.columns(3)
        target = left.number_input("Target", min_value=-1e6, value=float(now.get(measure) or 0))
        baseline = mid.number_input(
            "Starting figure (today's, published)", value=float(now.get(measure) or 0)
        )
        due = right.date_input("By", value=None, format="DD/MM/YYYY")
        note = st.text_input("Note (optional)", max_chars=store.MAX_TEXT)
        if st.form_submit_button("Set target", icon=":material/flag:"):
            _report("Target", lambda: set_target(measure, target, baseline, due, note))
    stored = targets()
    if not stored.is_empty():
        remove = st.selectbox(
            "Remove a target",
            [None, *stored["measure"].to_list()],
            format_func=lambda m: "Choose..." if m is None else store.TARGET_MEASURES[m][0],
            key="briefing_target_remove",
        )
        if remove and st.button("Remove target", icon=":material/delete:"):
            _report("Removal", lambda: delete_target(remove))


def comparator_editor() -> None:
    """Form to add a comparator council (with the source of its figures) or remove one."""
    with st.form("benchmarks_add", clear_on_submit=True):
        st.markdown("**Add a comparator council**: give the source of every figure.")
        council = st.text_input("Council", max_chars=100)
        cols = st.columns(3)
        values = {
            column: cols[i].number_input(
                comparators.SHORT_LABELS[column], min_value=0.0, value=None, step=1.0
            )
            for i, column in enumerate(store.COMPARATOR_COLUMNS)
        }
        source = st.text_input("Source of the figures", max_chars=store.MAX_TEXT)
        if st.form_submit_button("Add comparator", icon=":material/add:"):
            _report("Comparator", lambda: add_comparator(council, values, source))
    added = current_comparators().filter(pl.col("added"))
    if not added.is_empty():
        remove = st.selectbox(
            "Remove an added comparator",
            [None, *added["council"].to_list()],
            format_func=lambda c: "Choose..." if c is None else c,
            key="benchmarks_remove",
        )
        if remove and st.button("Remove comparator", icon=":material/delete:"):
            _report("Removal", lambda: delete_comparator(remove))
