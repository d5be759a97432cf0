"""The filters' values in the address bar, checked before the widgets read them: a value the
app cannot use is dropped with a notice instead of silently, and a client group may be given
by its key (`group=mental_health`) as well as by its label."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ascdemand.formatting import markdown_literal
from ascdemand.store.contract import CLIENT_GROUPS


def _as_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def checked_query_params(
    first: dt.date, last: dt.date, districts: list[str], group_labels: dict[str, str]
) -> list[str]:
    """Drop the address-bar values the filters cannot take, translate group keys to their
    labels, and return a plain sentence for each value ignored."""
    params = st.query_params
    ignored = []
    if "as_at" in params:
        text = params["as_at"]
        day = _as_date(text)
        if day is None:
            ignored.append(f"as_at={text} is not a date like 2021-10-31")
        elif not first <= day <= last:
            ignored.append(f"as_at={text} is outside the data ({first} to {last})")
        if day is None or not first <= day <= last:
            del params["as_at"]
    if "district" in params:
        asked = params.get_all("district")
        known = [d for d in asked if d in districts]
        for name in asked:
            if name not in districts:
                ignored.append(f"district={name} is not one of the council's districts")
        if known != asked:
            params["district"] = known
    if "group" in params:
        text = params["group"]
        labels = {label.lower(): key for key, label in group_labels.items()}
        if text in CLIENT_GROUPS:
            params["group"] = group_labels[text]
            st.session_state.setdefault("group", text)
        elif text.lower() in labels:
            params["group"] = group_labels[labels[text.lower()]]
            st.session_state.setdefault("group", labels[text.lower()])
        else:
            ignored.append(
                f"group={text} is not a client group (use one of: {', '.join(CLIENT_GROUPS)})"
            )
            del params["group"]
    return ignored


def notice(ignored: list[str]) -> None:
    """A short notice in the sidebar of what the link asked for but the app ignored."""
    if ignored:
        st.sidebar.warning(
            "Ignored in the address: " + "; ".join(markdown_literal(i) for i in ignored) + ".",
            icon=":material/link_off:",
        )
