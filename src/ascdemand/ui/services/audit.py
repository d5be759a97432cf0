"""Exports in the audit trail: who downloaded what, and when. A busy database never stops a
download; the entry is logged instead."""

from __future__ import annotations

import logging

from ascdemand import settings
from ascdemand.store import audit, writer
from ascdemand.ui import auth

log = logging.getLogger(__name__)


def record_export(file_name: str, rows: int, public: bool) -> None:
    """Download callback: write a table export to the audit trail (who, when, what)."""
    detail = f"{file_name}: {rows:,} rows{' (public, suppressed)' if public else ''}"
    _record("export", detail, timeout=5)


def record_scenario_export(kind: str, scenario_names: tuple[str, ...]) -> None:
    """Download callback: note that a scenario comparison (chart or parameters) left the
    system."""
    _record("scenario_export", f"{kind}: {', '.join(scenario_names)}")


def _record(action: str, detail: str, **kwargs: float) -> None:
    path = settings.db_path()
    if not path.exists():
        return
    try:
        audit.record_alone(path, user=auth.user_name(), action=action, detail=detail, **kwargs)
    except writer.DatabaseBusy:
        log.warning("%s not audited, database busy: %s", action, detail)
