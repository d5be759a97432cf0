"""The sections of the Committee briefing page: the pack downloads, the narrative with its
charts, the tables, and the officers' forms."""

from __future__ import annotations

import streamlit as st

from ascdemand.briefing import charts, narrative, tables
from ascdemand.briefing.facts import BriefingFacts
from ascdemand.ui import auth
from ascdemand.ui.services import briefing
from ascdemand.ui.widgets import briefing_forms
from ascdemand.ui.widgets.downloads import download_buttons

# narrative section title -> the charts drawn after it
CHARTS_AFTER = {
    "Demand for care": ("homecare_people", "homecare_hours", "temporary_residential", "discharges"),
    "Money": ("overspend",),
    "How we compare": ("comparators",),
}


def pack_downloads(facts: BriefingFacts) -> None:
    """The PDF pack and the self-contained web page, each rendered (and audited) on click."""
    left, right = st.columns(2)
    left.download_button(
        "Download the PDF pack",
        data=briefing.pdf_maker(facts),
        file_name=f"briefing-{facts.as_at}.pdf",
        mime="application/pdf",
        on_click="ignore",
        type="primary",
        icon=":material/picture_as_pdf:",
        key="briefing_pdf",
    )
    right.download_button(
        "Download as a web page (HTML)",
        data=briefing.html_maker(facts),
        file_name=f"briefing-{facts.as_at}.html",
        mime="text/html",
        on_click="ignore",
        icon=":material/html:",
        key="briefing_html",
    )


def story(facts: BriefingFacts) -> None:
    """Each narrative section in plain English, followed by its charts."""
    figures = dict(charts.briefing_charts(facts))
    for section in narrative.build_narrative(facts):
        st.subheader(section.title)
        st.markdown(narrative.section_markdown(section))
        for name in CHARTS_AFTER.get(section.title, ()):
            if name in figures:
                st.plotly_chart(figures[name], key=f"briefing_chart_{name}", theme=None)


def tables_section(facts: BriefingFacts) -> None:
    """The briefing's tables, each with its note and public (suppressed) downloads."""
    st.subheader("Tables")
    for spec in tables.briefing_tables(facts):
        with st.expander(spec.title):
            st.dataframe(spec.frame, hide_index=True)
            if spec.note:
                st.caption(spec.note)
            download_buttons(spec.frame, spec.name, public=True, key=f"briefing_{spec.name}")


def officers(facts: BriefingFacts) -> None:
    """For officers only: record actions, and (the Director) set targets."""
    if not auth.can_edit_actions():
        return
    st.divider()
    st.subheader("For officers: actions and targets")
    with st.expander("What is being done: record and update actions"):
        briefing_forms.action_editor()
    if auth.can_set_targets():
        with st.expander("What success looks like: the Director's targets"):
            briefing_forms.target_editor(facts)
