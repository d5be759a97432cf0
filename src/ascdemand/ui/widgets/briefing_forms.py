"""The officers' forms of the Committee briefing and Benchmarks pages: actions, the Director's
targets, and comparator councils. Each edit reruns the page so the briefing above shows it."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from ascdemand.briefing import comparators
from ascdemand.briefing.facts import BriefingFacts
from ascdemand.store import briefing as store
from ascdemand.store import writer
from ascdemand.ui.services import briefing


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
            _report("Action", lambda: briefing.add_mitigation(action, owner, status))
    for row in briefing.mitigations().iter_rows(named=True):
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
            _report(
                "Status",
                lambda r=row, c=chosen: briefing.set_mitigation_status(r["mitigation_id"], c),
            )
        if remove.button(
            "Remove", key=f"briefing_remove_{row['mitigation_id']}", icon=":material/delete:"
        ):
            _report("Removal", lambda r=row: briefing.delete_mitigation(r["mitigation_id"]))


def target_editor(facts: BriefingFacts) -> None:
    """Form for the Director to set a target; the starting figure defaults to today's."""
    now = {k: m.now for k, m in facts.measures.items()}
    if facts.money is not None:
        now["net_overspend_gbp_m"] = round(facts.money.net_overspend / 1e6, 1)
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
            _report("Target", lambda: briefing.set_target(measure, target, baseline, due, note))
    stored = briefing.targets()
    if not stored.is_empty():
        remove = st.selectbox(
            "Remove a target",
            [None, *stored["measure"].to_list()],
            format_func=lambda m: "Choose..." if m is None else store.TARGET_MEASURES[m][0],
            key="briefing_target_remove",
        )
        if remove and st.button("Remove target", icon=":material/delete:"):
            _report("Removal", lambda: briefing.delete_target(remove))


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
            _report("Comparator", lambda: briefing.add_comparator(council, values, source))
    added = briefing.comparator_table().filter(pl.col("added"))
    if not added.is_empty():
        remove = st.selectbox(
            "Remove an added comparator",
            [None, *added["council"].to_list()],
            format_func=lambda c: "Choose..." if c is None else c,
            key="benchmarks_remove",
        )
        if remove and st.button("Remove comparator", icon=":material/delete:"):
            _report("Removal", lambda: briefing.delete_comparator(remove))
