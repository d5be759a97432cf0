"""Data: load extracts through the browser, see what is loaded, and check its quality."""

import streamlit as st

from ascdemand.ui import common, routing
from ascdemand.ui.sections import data
from ascdemand.ui.widgets import council, data_forms

routing.require_app()
st.title("Data")
st.caption(
    "Load your council's extracts (care packages, hospital discharges, placements, budget and "
    "ledger). Every file is checked in full first; a file with problems changes nothing."
)

council.profile_section()
data_forms.extract_upload()
data_forms.sitrep_import()
data_forms.cld_import()

common.stop_if_no_data()

data.loaded()
data_forms.as_at_form(common.current_filters().as_at)
data.quality(common.chart_as_at())
