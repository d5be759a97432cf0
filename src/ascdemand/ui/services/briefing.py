"""Reads, edits and exports of the Committee briefing and Benchmarks pages.

Everything shown goes through `briefing.facts`, which applies disclosure control once, so the
page, the PDF and the HTML agree. Edits (actions, targets, comparators) are app state: each is
one short transaction on the state file (`store.state`), which gives the state a new version,
and the reads that show them are keyed on it: they show at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import duckdb
import polars as pl

from ascdemand import settings
from ascdemand.briefing import comparators
from ascdemand.briefing import facts as briefing_facts
from ascdemand.briefing.export import audit_export
from ascdemand.briefing.facts import BriefingFacts
from ascdemand.briefing.html import build_html
from ascdemand.briefing.pdf import render
from ascdemand.store import briefing as store
from ascdemand.store import state, writer
from ascdemand.ui import auth
from ascdemand.ui.services import budget
from ascdemand.ui.services.cache import cached, cursor, state_cursor

log = logging.getLogger(__name__)


@cached(show_spinner="Preparing the briefing...", state=True)
def facts(as_at: dt.date, districts: tuple[str, ...]) -> BriefingFacts | None:
    """The published briefing content at `as_at` for `districts` (all when empty), with the
    Budget page's cached period-by-period forecasts."""
    with cursor() as cur, state_cursor() as app_state:
        return briefing_facts.gather(
            cur, as_at, districts, forecasts_by_period=budget.forecasts, state=app_state
        )


@cached(state=True)
def comparator_table() -> pl.DataFrame:
    """Reference and user-added comparators (`added` marks users' rows)."""
    with cursor() as cur, state_cursor() as app_state:
        return comparators.all_comparators(cur, app_state)


@cached(state=True)
def mitigations() -> pl.DataFrame:
    """Every recorded action with its id (for the edit form)."""
    with state_cursor() as app_state:
        return store.mitigations(app_state)


@cached(state=True)
def targets() -> pl.DataFrame:
    """Every target as stored (for the edit form)."""
    with state_cursor() as app_state:
        return store.targets(app_state)


def _write(change: Callable[[duckdb.DuckDBPyConnection, str], object]) -> None:
    """Apply one edit to the app state as the current user (a new state version)."""
    with state.transaction(settings.db_path()) as con:
        change(con, auth.user_name())


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


def pdf_maker(facts_: BriefingFacts) -> Callable[[], bytes]:
    """A no-argument function for `st.download_button` that renders the PDF when clicked and
    audits the export (it runs outside the script, so the user is captured now)."""
    user = auth.user_name()

    def make() -> bytes:
        data = render(facts_)
        _audited("pdf", facts_, user)
        return data

    return make


def html_maker(facts_: BriefingFacts) -> Callable[[], str]:
    """As `pdf_maker`, for the self-contained HTML version."""
    user = auth.user_name()

    def make() -> str:
        text = build_html(facts_)
        _audited("html", facts_, user)
        return text

    return make
