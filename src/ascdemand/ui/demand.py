"""Names of the old layout still used by `ui/forecasting.py`: the weekly reads are in
`ui.services.demand`, the figures in `ui.charts.demand`."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from ascdemand.ui.charts import demand as charts
from ascdemand.ui.common import chart_as_at
from ascdemand.ui.services.demand import homecare_weekly, temp_weekly

__all__ = ["homecare_weekly", "temp_weekly", "weekly_lines"]


def weekly_lines(frame: pl.DataFrame, columns: dict[str, str], **kwargs: object) -> go.Figure:
    """`charts.demand.weekly_lines` with this run's as-at date in the note."""
    return charts.weekly_lines(frame, columns, as_at=chart_as_at(), **kwargs)
