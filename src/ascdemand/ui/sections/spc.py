"""Making Data Count on the pages: the variation and assurance icons of a measure, and its
XmR chart."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ascdemand.models.spc import Spc, weekly_spc
from ascdemand.ui.charts.spc import spc_figure
from ascdemand.ui.widgets.spc import baseline_start

VARIATION_ICONS = {
    "common": (":material/horizontal_rule:", "gray"),
    "improving_high": (":material/trending_up:", "blue"),
    "improving_low": (":material/trending_down:", "blue"),
    "concerning_high": (":material/trending_up:", "orange"),
    "concerning_low": (":material/trending_down:", "orange"),
    "neither_high": (":material/trending_up:", "violet"),
    "neither_low": (":material/trending_down:", "violet"),
}
ASSURANCE_ICONS = {
    "pass": (":material/verified:", "blue"),
    "fail": (":material/report:", "orange"),
    "hit_and_miss": (":material/swap_vert:", "gray"),
}


def icons(spc: Spc | None) -> None:
    """The variation icon (with the rule that fired on hover) and, where a target is set, the
    assurance icon: Making Data Count's signs in place of a red/amber/green status."""
    if spc is None:
        st.badge("Too little history to judge", icon=":material/help:", color="gray")
        return
    icon, colour = VARIATION_ICONS[spc.variation]
    rule = (
        f"Latest week: {spc.rule}."
        if spc.rule
        else "Latest week: common cause, inside the process limits with no run or trend."
    )
    st.badge(
        spc.variation_label,
        icon=icon,
        color=colour,
        help=f"{rule} Mean {spc.mean:,.1f}, process limits {spc.lower:,.1f} to "
        f"{spc.upper:,.1f}, from {spc.baseline_from:%d %B %Y}.",
    )
    if spc.assurance in ASSURANCE_ICONS:
        icon, colour = ASSURANCE_ICONS[spc.assurance]
        st.badge(
            spc.assurance_label,
            icon=icon,
            color=colour,
            help="Judged from where the target lies against the process limits.",
        )


def chart(spc: Spc | None, *, title: str, unit: str, source: str, key: str) -> None:
    """The XmR chart of one measure with its icons above it."""
    if spc is None:
        st.info("Too little history after the baseline start to draw process limits.")
        return
    icons(spc)
    st.plotly_chart(spc_figure(spc, title=title, unit=unit, source=source), key=key)


def measure_section(
    weekly: pl.DataFrame,
    column: str,
    *,
    title: str,
    unit: str,
    source: str,
    key: str,
    target: float | None = None,
) -> None:
    """A measure's own Making Data Count section: the baseline control, icons and XmR chart
    of its weekly values (`week_start`, `column`)."""
    st.subheader("Is it changing? (statistical process control)")
    data = weekly.select("week_start", column).drop_nulls().sort("week_start")
    if data.height < 3:
        st.info("Too little history for a process-control chart.")
        return
    start = baseline_start(data["week_start"][0], data["week_start"][-1], key=f"{key}_baseline")
    found = weekly_spc(data, column, direction="up_is_bad", baseline_from=start, target=target)
    chart(found, title=title, unit=unit, source=source, key=key)
