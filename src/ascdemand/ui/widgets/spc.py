"""The one control of the Making Data Count charts: where their baseline starts."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ascdemand.ui.services import council

KEY = "spc_baseline_from"


def baseline_start(first: dt.date, last: dt.date, *, key: str = KEY) -> dt.date:
    """The first Monday of the charts' baseline (shared by every page through the session):
    by default the profile's pandemic start, the known change the limits restart from."""
    latest_allowed = max(first, last - dt.timedelta(weeks=2))
    default = min(max(council.profile().pandemic_start, first), latest_allowed)
    if key in st.session_state and not first <= st.session_state[key] <= latest_allowed:
        del st.session_state[key]
    return st.date_input(
        "Process limits from",
        value=default,
        min_value=first,
        max_value=latest_allowed,
        key=key,
        format="DD/MM/YYYY",
        help="The mean and process limits are worked out from this week to the as-at date. "
        "Restart them at a known change (a new service model, the start of the pandemic).",
    )
