"""Hospital discharges: the council's own discharges by pathway and outcome, the share needing
no ongoing package, and NHS England's discharge sitrep for the local ICB or trust: discharges by
pathway, and delays in leaving hospital with their reasons."""

import streamlit as st

from ascdemand.ui import common, routing
from ascdemand.ui.charts.discharges import PATHWAY_LABELS
from ascdemand.ui.sections import delays, discharges

routing.require_app()
st.title("Hospital discharges")
st.caption(
    "Discharge pathways: " + "; ".join(PATHWAY_LABELS.values()) + ". "
    "P1 to P3 usually need support that the council arranges or funds."
)
filters = common.current_filters()

council_monthly = discharges.council(filters)
organisation = discharges.sitrep(council_monthly, filters)
delays.delays(organisation)
