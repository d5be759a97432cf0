"""Exporting the briefing pack: gather the published facts, render, and audit the export."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from ascdemand.briefing import facts as briefing_facts
from ascdemand.briefing.facts import BriefingFacts
from ascdemand.store import audit, state
from ascdemand.store.connection import connect
from ascdemand.store.meta import as_at_date


def load_facts(
    db_path: str | os.PathLike[str],
    *,
    as_at: dt.date | None = None,
    districts: Sequence[str] = (),
) -> BriefingFacts | None:
    """The published facts from the database at `as_at` (default: the stored as-at date), with
    its app state (mitigations, targets, added comparators)."""
    con = connect(db_path, read_only=True)
    try:
        cur = con.cursor()
        with state.reading(db_path) as app_state:
            return briefing_facts.gather(cur, as_at or as_at_date(cur), districts, state=app_state)
    finally:
        con.close()


def audit_export(db_path: str | os.PathLike[str], *, user: str, kind: str, detail: str) -> None:
    """Record in the audit trail that a briefing pack left the system."""
    audit.record_alone(db_path, user=user, action=f"briefing_export_{kind}", detail=detail)
