"""ascdemand: the entry point only routes. Filters in the sidebar frame every page."""

import streamlit as st

from ascdemand import access
from ascdemand.ui import auth, common, routing
from ascdemand.ui.widgets import filters

st.set_page_config(
    page_title="Adult social care demand",
    page_icon="📊",
    layout="wide",
)

config = access.load_config()
role = auth.current_role(config)
if role is None:
    auth.sign_in_or_refuse()
    st.stop()

page = routing.navigation(role, config)
if not common.database_readable():
    st.stop()
common.remember_filters(filters.sidebar_filters())
auth.signed_in_as(role)
page.run()
