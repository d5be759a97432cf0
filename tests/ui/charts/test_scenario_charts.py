"""Figures of the Scenarios page, built from small model runs (no Streamlit, no store)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ascdemand.models.scenario.montecarlo import run_many
from ascdemand.models.scenario.params import ScenarioParams
from ascdemand.models.scenario.summary import BASELINE, THIS_SCENARIO
from ascdemand.ui.charts import scenarios as charts


def test_band_figure_draws_a_band_and_a_mean_per_scenario():
    base = ScenarioParams()
    runs = {
        BASELINE: run_many(base, 8, runs=10, seed=1),
        THIS_SCENARIO: run_many(base.replace(discharges_per_week=150.0), 8, runs=10, seed=1),
    }
    fig = charts.band_figure(runs, "temporary", horizon=8)
    names = [t.name for t in fig.data]
    assert names == [f"{BASELINE} 80% band", BASELINE, f"{THIS_SCENARIO} 80% band", THIS_SCENARIO]
    assert len(fig.data[0].x) == 2 * 8  # there and back around the band
    assert fig.data[1].line.width == 3 and fig.data[3].line.width == 2
    assert fig.layout.title.text.startswith("People in temporary residential care, next 8 weeks")


def test_fit_figure_and_html():
    weeks = [dt.date(2021, 10, 4), dt.date(2021, 10, 11)]
    frame = pl.DataFrame(
        {
            "series": ["homecare", "homecare", "temporary", "temporary"],
            "week_start": weeks * 2,
            "observed": [100.0, 101.0, 20.0, 21.0],
            "modelled": [99.0, 102.0, 19.0, 22.0],
        }
    )
    fig = charts.fit_figure(frame, "temporary")
    assert [t.name for t in fig.data] == ["Recorded", "Model"]
    assert list(fig.data[0].y) == [20.0, 21.0]
    assert fig.layout.height == 340
    page = charts.chart_html(fig)
    assert page.lower().startswith(b"<!doctype html>") and b"plotly" in page
