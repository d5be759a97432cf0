"""Benchmarks: the council against the comparator councils of its profile, with room for
officers to add their own comparators and sources."""

import polars as pl
import streamlit as st

from ascdemand.briefing import charts, comparators
from ascdemand.ui import briefing, common

common.require_app()
council = common.profile()
home = council.home_comparator
st.title("Benchmarks")
st.caption(
    f"Money measures for {common.escape_markdown(home)} (solid black) and the comparator "
    "councils of the council profile. Rows marked as added were entered by officers, with "
    "their sources."
)

with common.friendly_errors("the comparators"):
    table = briefing.current_comparators()
    if table.is_empty():
        st.info(
            "No comparator councils yet: add a comparator CSV to the council profile (see the "
            "Data page) or add comparators below.",
            icon=":material/leaderboard:",
        )
    else:
        measure = st.radio(
            "Measure",
            list(comparators.LABELS),
            index=2,
            format_func=lambda c: comparators.SHORT_LABELS[c],
            horizontal=True,
            key="benchmarks_measure",
        )
        figure = charts.comparator_chart(table, measure, home)
        if figure is None:
            st.info("No council has a figure for this measure yet.")
        else:
            st.plotly_chart(figure, key="benchmarks_chart", theme=None)
        found = comparators.standing(table, measure, home)
        if found is not None:
            place = "the lowest" if found.rank == 1 else f"number {found.rank} from the lowest"
            show = charts.BAR_TEXT[measure].format
            st.markdown(
                f"{common.escape_markdown(home)}: **{show(found.value)}**, {place} of "
                f"{found.councils} councils; the comparators' median is "
                f"{show(found.others_median)}."
            )
        st.caption(f"Source: {common.escape_markdown(comparators.source_note(table))}.")
        shown = table.select(
            pl.col("council").alias("Council"),
            *[pl.col(c).alias(comparators.SHORT_LABELS[c]) for c in comparators.LABELS],
            pl.col("source").alias("Source"),
            pl.col("added").alias("Added by an officer"),
        )
        st.dataframe(shown, hide_index=True)
        common.download_buttons(shown, "comparators", public=True, key="benchmarks_table")

if briefing.can_edit_actions():
    with st.expander("Add or remove a comparator"):
        briefing.comparator_editor()
