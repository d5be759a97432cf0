"""The global filters in the sidebar: as-at date, districts and client group, each kept in the
address bar so a view can be shared by link."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ascdemand.profile import GENERIC
from ascdemand.store.contract import CLIENT_GROUPS
from ascdemand.ui.common import ALL_GROUPS, CLIENT_GROUP_LABELS, Filters, escape_markdown
from ascdemand.ui.services import council, demand
from ascdemand.ui.widgets import address_bar


def sidebar_filters() -> Filters:
    """Render the global filters in the sidebar and return them (defaults when no data).

    Each filter is bound to a URL query parameter (`as_at`, `district`, `group`); a value equal
    to its default stays out of the URL.
    """
    profile = council.profile()
    if profile is not GENERIC:
        st.sidebar.markdown(f"**{escape_markdown(profile.name)}**")
    if not council.has_data():
        return Filters(as_at=dt.date.today(), districts=(), client_group=None)
    first, latest, districts = demand.filter_options()
    ignored = address_bar.checked_query_params(
        first, latest, districts, {g: CLIENT_GROUP_LABELS.get(g, g) for g in CLIENT_GROUPS}
    )
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
            help=f"Leave empty for the whole of {profile.short_name}.",
        )
        group = st.selectbox(
            "Client group",
            [ALL_GROUPS, *CLIENT_GROUPS],
            key="group",
            bind="query-params",
            format_func=lambda g: CLIENT_GROUP_LABELS.get(g, g),
        )
    address_bar.notice(ignored)
    return Filters(
        as_at=as_at or latest,
        districts=tuple(chosen),
        client_group=None if group == ALL_GROUPS else group,
    )
