"""The Data page's view of what is stored: the tables and the load log, and the data-quality
checks with the weeks whose new packages jump."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ascdemand.ui.charts.data import new_packages_figure
from ascdemand.ui.services import data
from ascdemand.ui.widgets.downloads import download_buttons


def loaded() -> None:
    """Rows held in each table, and the log of accepted loads with its downloads."""
    st.subheader("What is loaded")
    cols = st.columns([1, 2])
    cols[0].dataframe(data.table_counts(), hide_index=True)
    with cols[1]:
        log = data.load_log()
        st.dataframe(log, hide_index=True, height=240)
        download_buttons(log, "load_log")


def quality(as_at: dt.date | None) -> None:
    """New homecare packages per week with sudden jumps marked, then each check's failing rows."""
    st.subheader("Data-quality checks")
    weekly, jumps = data.new_client_jumps()
    st.plotly_chart(new_packages_figure(weekly, jumps, as_at=as_at), key="quality_new_packages")
    if jumps.is_empty():
        st.caption(
            "No week's new homecare packages jumped by more than half from the recent normal."
        )
    else:
        st.caption(
            f"{jumps.height} week{'s' if jumps.height > 1 else ''} jumped by more than half from "
            "the previous eight weeks' average (marked): check for a change in recording, a bulk "
            "load or a review programme before trusting the trend."
        )
    for name, (label, _) in data.CHECKS.items():
        rows = data.check_rows(name)
        icon = ":material/check_circle:" if rows.is_empty() else ":material/warning:"
        shown = f"{label}: {rows.height:,}{'+' if rows.height == 200 else ''}"
        with st.expander(shown, icon=icon):
            if rows.is_empty():
                st.write("None found.")
            else:
                st.dataframe(rows, hide_index=True)
