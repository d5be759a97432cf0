"""Plotly figure builders: a frame (or model result) in, a figure out. No Streamlit and no
store here, so each is unit-tested on a small frame; a section passes the as-at date."""
