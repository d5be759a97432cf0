"""The Benchmarks page's comparisons: every NHS care board from the discharge sitrep (a funnel
plot or ranked bars, the council's board's standing, the table), and the spending comparators
with their sources."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ascdemand.briefing import charts, comparators
from ascdemand.models.board_standing import board_standing
from ascdemand.models.funnel import funnel
from ascdemand.store.sitrep.comparators import COMPARATOR_MEASURES
from ascdemand.ui.charts.funnel import funnel_figure, ranked_bars
from ascdemand.ui.common import escape_markdown
from ascdemand.ui.services import boards
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


# Measures drawn as a funnel plot: (numerator, denominator, what the volume counts).
FUNNELS = {
    "p1_share": ("p1", "discharges", "Patients discharged"),
    "p2_share": ("p2", "discharges", "Patients discharged"),
    "p3_share": ("p3", "discharges", "Patients discharged"),
    "same_day_share": ("left_same_day", "ready", "Patient-days ready to leave"),
}


def board_comparison(home: str | None) -> None:
    """Every care board from the NHS sitrep on one measure: a funnel plot for proportions
    (ranked bars otherwise), the council's board's standing in a sentence, and the table."""
    table = boards.boards()
    months = boards.months_label()
    measure = st.radio(
        "Measure",
        list(COMPARATOR_MEASURES),
        format_func=COMPARATOR_MEASURES.get,
        index=2,
        key="boards_measure",
    )
    label = COMPARATOR_MEASURES[measure]
    if measure in FUNNELS:
        numerator, denominator, volume = FUNNELS[measure]
        rate, shown = funnel(
            table.select("org_code", "org_name", numerator, denominator).rename({denominator: "n"}),
            numerator,
            "n",
        )
        st.plotly_chart(
            funnel_figure(shown, rate, home=home, title=label, volume=volume, months=months),
            key="boards_funnel",
        )
        outside = shown.filter(pl.col("position") != "within").height
        st.caption(
            f"{outside} of {shown.height} boards lie outside the 95% limits: a point outside "
            "means a difference chance alone would rarely make, but boards also differ in case "
            "mix and in how they record pathways, so read it as a prompt to ask why."
        )
    else:
        unit = "Patients per 1,000" if measure == "remaining_per_1000" else "Share"
        st.plotly_chart(
            ranked_bars(table, measure, home=home, title=label, unit=unit, months=months),
            key="boards_bars",
        )
    found = board_standing(table, home, measure) if home else None
    if found is not None:
        st.markdown(escape_markdown(found.sentence))
    elif home:
        st.info(f"Care board {home} (from the council profile) is not in the imported months.")
    shown_table = table.select(
        pl.col("org_code").alias("Code"),
        pl.col("org_name").alias("Care board"),
        pl.col("discharges").alias("Patients discharged"),
        *[
            (pl.col(m) * (1 if m == "remaining_per_1000" else 100))
            .round(1)
            .alias(COMPARATOR_MEASURES[m] + ("" if m == "remaining_per_1000" else " (%)"))
            for m in COMPARATOR_MEASURES
        ],
    ).sort("Code")
    st.dataframe(shown_table, hide_index=True)
    download_buttons(shown_table, "care_board_comparators", public=True, key="boards_table")
