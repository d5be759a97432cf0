"""Benchmarks: Leicestershire against comparable county councils (the 2021 report's table),
with room for officers to add their own comparators and sources."""

import polars as pl
import streamlit as st

from ascdemand.briefing import charts, comparators
from ascdemand.ui import briefing, common

common.require_app()
st.title("Benchmarks")
st.caption(
    "Money measures from the committee report of 1 November 2021 (paragraph 28). Leicestershire "
    "is shown in solid black. Rows marked as added were entered by officers, with their sources."
)

with common.friendly_errors("the comparators"):
    table = briefing.current_comparators()
    measure = st.radio(
        "Measure",
        list(comparators.LABELS),
        index=2,
        format_func=lambda c: comparators.SHORT_LABELS[c],
        horizontal=True,
        key="benchmarks_measure",
    )
    figure = charts.comparator_chart(table, measure)
    if figure is None:
        st.info("No council has a figure for this measure yet.")
    else:
        st.plotly_chart(figure, key="benchmarks_chart", theme=None)

    home = table.filter(pl.col("council") == comparators.HOME_COUNCIL)
    others = table.filter(pl.col("council") != comparators.HOME_COUNCIL).drop_nulls(measure)
    if not home.is_empty() and home[measure][0] is not None and others.height:
        value = home[measure][0]
        rank = table.drop_nulls(measure).sort(measure)["council"].to_list().index("Leicestershire")
        place = "the lowest" if rank == 0 else f"number {rank + 1} from the lowest"
        st.markdown(
            f"Leicestershire: **{charts.BAR_TEXT[measure].format(value)}**, {place} of "
            f"{others.height + 1} councils; the comparators' median is "
            f"{charts.BAR_TEXT[measure].format(others[measure].median())}."
        )

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
