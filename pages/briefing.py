"""Committee briefing: a plain-English, non-identifying briefing for councillors, on screen and
as a PDF or HTML pack. Every count has passed small-number suppression."""

import streamlit as st

from ascdemand import privacy
from ascdemand.briefing import charts, narrative, tables
from ascdemand.ui import briefing, common

common.require_app()
st.title("Committee briefing")
st.caption(
    f"For the {common.escape_markdown(common.profile().committee)}: is it getting better, how "
    "do we compare, what is being done, and what does success look like. Counts of 1 to 7 "
    "people are shown as *, other counts rounded to the nearest 5. The briefing covers all "
    "client groups; the as-at date and district filters apply."
)
filters = common.current_filters()
common.stop_if_no_data()
if len(filters.districts) > 1:
    st.info(privacy.PUBLIC_GEOGRAPHY_NOTE, icon=":material/shield_person:")
    st.stop()

facts = None
with common.friendly_errors("the briefing"):
    facts = briefing.current_facts(filters.as_at, filters.districts)
    if facts is None:
        st.info("No weekly figures up to this as-at date. Choose a later date in the sidebar.")
        st.stop()

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

    figures = dict(charts.briefing_charts(facts))
    charts_after = {
        "Demand for care": (
            "homecare_people",
            "homecare_hours",
            "temporary_residential",
            "discharges",
        ),
        "Money": ("overspend",),
        "How we compare": ("comparators",),
    }
    for section in narrative.build_narrative(facts):
        st.subheader(section.title)
        st.markdown(narrative.section_markdown(section))
        for name in charts_after.get(section.title, ()):
            if name in figures:
                st.plotly_chart(figures[name], key=f"briefing_chart_{name}", theme=None)

    st.subheader("Tables")
    for spec in tables.briefing_tables(facts):
        with st.expander(spec.title):
            st.dataframe(spec.frame, hide_index=True)
            if spec.note:
                st.caption(spec.note)
            common.download_buttons(spec.frame, spec.name, public=True, key=f"briefing_{spec.name}")

if facts is not None and briefing.can_edit_actions():
    st.divider()
    st.subheader("For officers: actions and targets")
    with st.expander("What is being done: record and update actions"):
        briefing.action_editor()
    if briefing.can_set_targets():
        with st.expander("What success looks like: the Director's targets"):
            briefing.target_editor(facts)
