"""What is stored at all: whether any extract is loaded, and the council's profile."""

from __future__ import annotations

from ascdemand.profile import GENERIC, CouncilProfile
from ascdemand.store import queries
from ascdemand.store.profile import current_profile
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
