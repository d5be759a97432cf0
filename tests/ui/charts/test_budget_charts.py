"""Figures of the Budget page from forecasts of the demo database's ledger and budget."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from ascdemand.models.budget.trajectory import forecasts_through
from ascdemand.ui.charts import budget as charts


@pytest.fixture(scope="module")
def history(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        return forecasts_through(con, "2021/22", 3)


def test_trajectory_has_net_bars_and_gross_line(history):
    fig = charts.trajectory_figure(history)
    assert [t.name for t in fig.data] == ["Net overspend", "Gross overspends"]
    assert list(fig.data[0].x) == ["P1 Apr", "P2 May", "P3 Jun"]


def test_waterfall_from_a_small_frame():
    """Budget £10m, +£2m, -£0.5m: the total is £11.5m; the axis is zoomed around 10 to 12."""
    steps = pl.DataFrame(
        {
            "label": ["Budget", "Homecare", "Income", "Outturn"],
            "amount": [10e6, 2e6, -0.5e6, 11.5e6],
            "measure": ["absolute", "relative", "relative", "total"],
        }
    )
    fig = charts.waterfall_figure(steps, "From budget to outturn")
    assert list(fig.data[0].text) == ["£10.0m", "+2.0", "-0.5", "£11.5m"]
    low, high = fig.layout.xaxis.range
    assert low < 10 and high > 12


def test_budget_and_bridge_waterfalls(history):
    fig = charts.budget_waterfall_figure(history[-1])
    assert fig.data[0].type == "waterfall"
    bridge = charts.bridge_figure(history[-2], history[-1])
    assert bridge.data[0].y[0] == "Net overspend at P2"
    assert bridge.data[0].y[-1] == "Net overspend at P3"
