"""Scenarios: what happens to homecare, temporary beds and spend if discharges, reablement or
homecare capacity change, against a baseline estimated from the council's own data."""

import streamlit as st

from ascdemand.ui import common, routing
from ascdemand.ui.sections import scenarios

routing.require_app()
st.title("Scenarios")
st.caption(
    "What if hospital discharges run at a different level, or reablement or homecare capacity "
    "changes? The model follows people from discharge into reablement, homecare and care homes "
    "week by week; when homecare cannot be found, people go to temporary residential care "
    "instead. Scenarios cover the whole council area: the district and client group filters do not "
    "apply here."
)
filters = common.current_filters()

calibration, baseline, weeks = scenarios.baseline(filters.as_at)
scenarios.scenario(calibration, baseline, weeks, filters.as_at)
