"""Committee briefing: a plain-English, non-identifying briefing for councillors, on screen and
as a PDF or HTML pack. Every count has passed small-number suppression."""

import streamlit as st

from ascdemand import privacy
from ascdemand.ui import common, routing
from ascdemand.ui.sections import briefing
from ascdemand.ui.services import briefing as facts_service

routing.require_app()
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
    facts = facts_service.facts(filters.as_at, filters.districts)
    if facts is None:
        st.info("No weekly figures up to this as-at date. Choose a later date in the sidebar.")
        st.stop()
    briefing.pack_downloads(facts)
    briefing.story(facts)
    briefing.tables_section(facts)

if facts is not None:
    briefing.officers(facts)
