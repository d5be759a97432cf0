"""What is stored at all: whether any extract is loaded, and the council's profile (and
storing a new one)."""

from __future__ import annotations

from ascdemand import settings
from ascdemand.profile import GENERIC, CouncilProfile
from ascdemand.store import profile as profile_store
from ascdemand.store import queries, writer
from ascdemand.store.profile import current_profile
from ascdemand.ui import auth
from ascdemand.ui.services.cache import cached, cursor


def has_data() -> bool:
    """True when the database exists and holds at least one extract row."""
    try:
        return _has_data()
    except FileNotFoundError:
        return False


@cached
def _has_data() -> bool:
    with cursor() as cur:
        return queries.has_extracts(cur)


def profile() -> CouncilProfile:
    """The council's profile (the generic one before a profile is loaded, or with no database)."""
    try:
        return _profile()
    except FileNotFoundError:
        return GENERIC


@cached
def _profile() -> CouncilProfile:
    with cursor() as cur:
        return current_profile(cur)


def store_profile(text: str, csv: bytes | None, source: str) -> CouncilProfile:
    """Check an uploaded profile (and its comparator CSV) and store it as the signed-in user (a
    new data version: every page shows it at once).

    Raises:
        ProfileError: The profile has problems, or the stored extracts use districts it lacks.
        writer.DatabaseBusy: Another write held the database too long.
    """
    with writer.transaction(settings.db_path()) as con:
        return profile_store.save_profile(con, text, csv, source=source, loaded_by=auth.user_name())
