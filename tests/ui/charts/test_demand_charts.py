"""Figures of the demand pages, each built from a small frame (no Streamlit, no store)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ascdemand.models.demand import admissions_by_type, length_of_stay_counts
from ascdemand.ui.charts import demand as charts

MONDAYS = [dt.date(2021, 10, 4), dt.date(2021, 10, 11)]


def test_weekly_lines_one_trace_per_column():
    frame = pl.DataFrame({"week_start": MONDAYS, "people": [10, 12], "hours": [50.0, 60.0]})
    fig = charts.weekly_lines(
        frame, {"people": "People", "hours": "Hours"}, title="T", y_title="Y", source="S"
    )
    assert [t.name for t in fig.data] == ["People", "Hours"]
    assert list(fig.data[1].y) == [50.0, 60.0]
    assert fig.layout.title.text == "T"


def test_stacked_weekly_bars():
    frame = pl.DataFrame({"week_start": MONDAYS, "a": [1, 2]})
    fig = charts.weekly_lines(frame, {"a": "A"}, title="T", y_title="Y", source="S", kind="bar")
    assert fig.data[0].type == "bar" and fig.layout.barmode == "stack"


def test_by_district_lines_in_order_of_first_appearance():
    frame = pl.DataFrame(
        {
            "week_start": MONDAYS * 2,
            "district": ["Melton", "Melton", "Blaby", "Blaby"],
            "people": [1, 2, 3, 4],
        }
    )
    fig = charts.by_district_lines(frame, "people", title="T", y_title="Y", source="S")
    assert [t.name for t in fig.data] == ["Melton", "Blaby"]
    assert list(fig.data[1].y) == [3, 4]


def test_bars_label_values_and_percentages():
    frame = pl.DataFrame({"provider": ["A", "B"], "share": [0.5, 0.25]})
    fig = charts.bars(
        frame, "provider", "share", title="T", value_title="V", source="S", percent=True
    )
    assert list(fig.data[0].text) == ["50%", "25%"]
    assert fig.layout.height == 340
    assert fig.layout.xaxis.tickformat == ".0%"


def test_admissions_side_by_side():
    admissions = pl.DataFrame(
        {
            "month": [dt.date(2021, 9, 1), dt.date(2021, 9, 1), dt.date(2021, 10, 1)],
            "placement_type": ["temporary", "permanent", "temporary"],
            "admissions": [5, 2, 7],
        }
    )
    fig = charts.admissions_figure(admissions_by_type(admissions), as_at=dt.date(2021, 10, 31))
    assert [t.name for t in fig.data] == ["Temporary admissions", "Permanent admissions"]
    assert list(fig.data[1].y) == [2, 0]
    assert fig.layout.barmode == "group"
    assert "Data as at 31 October 2021" in fig.layout.annotations[0].text


def test_length_of_stay_and_costs():
    stays = pl.DataFrame({"weeks": [1, 1, 40]})
    fig = charts.length_of_stay_figure(length_of_stay_counts(stays))
    assert list(fig.data[0].x) == [1, 26] and list(fig.data[0].y) == [2, 1]
    costs = pl.DataFrame(
        {
            "month": MONDAYS,
            "mean_weekly_cost": [800.0, 820.0],
            "mean_standard_rate": [750.0, 750.0],
            "share_additional_payment": [0.1, 0.2],
        }
    )
    fig = charts.placement_costs_figure(costs)
    assert [t.name for t in fig.data] == ["Actual average cost", "Standard rate"]
    assert fig.data[1].line.dash == "dash"
    assert charts.topups_figure(costs).layout.yaxis.tickformat == ".0%"
