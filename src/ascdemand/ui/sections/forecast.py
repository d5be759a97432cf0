"""The forecast panel of a weekly measure, drawn as a fragment: moving its horizon reruns the
panel alone, not the page around it."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ascdemand.ui.common import Filters
from ascdemand.ui.sections import forecasting


@st.fragment
def forecast_panel(
    measure: str,
    history: pl.DataFrame,
    column: str,
    filters: Filters,
    *,
    title: str,
    y_title: str,
    source: str,
    enabled: bool = True,
) -> None:
    """`forecasting.forecast_panel` (the history, the forecast with its bands, and how the model
    was chosen) in a fragment of its own."""
    forecasting.forecast_panel(
        measure,
        history,
        column,
        filters,
        title=title,
        y_title=y_title,
        source=source,
        enabled=enabled,
    )
