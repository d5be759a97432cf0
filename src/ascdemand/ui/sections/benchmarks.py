"""The Benchmarks page's comparison: a chart of one measure, the home council's standing in a
sentence, and the table with its sources."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ascdemand.briefing import charts, comparators
from ascdemand.ui.common import escape_markdown
from ascdemand.ui.widgets.downloads import download_buttons


def comparison(table: pl.DataFrame, home: str) -> None:
    """Choose a measure; show every council on it, where `home` stands, and the table."""
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
            f"{escape_markdown(home)}: **{show(found.value)}**, {place} of "
            f"{found.councils} councils; the comparators' median is "
            f"{show(found.others_median)}."
        )
    st.caption(f"Source: {escape_markdown(comparators.source_note(table))}.")
    shown = table.select(
        pl.col("council").alias("Council"),
        *[pl.col(c).alias(comparators.SHORT_LABELS[c]) for c in comparators.LABELS],
        pl.col("source").alias("Source"),
        pl.col("added").alias("Added by an officer"),
    )
    st.dataframe(shown, hide_index=True)
    download_buttons(shown, "comparators", public=True, key="benchmarks_table")
