"""The budget forecast in words and tables, from the demo's forecasts."""

from __future__ import annotations

import duckdb
import pytest

from ascdemand.models.budget import summary, tables
from ascdemand.models.budget.labels import period_label, short_period_label
from ascdemand.models.budget.outturn import position
from ascdemand.models.budget.trajectory import forecasts_through


@pytest.fixture(scope="module")
def history(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        return forecasts_through(con, "2021/22", 4)


def test_period_labels():
    assert period_label("2021/22", 4) == "P4 (July 2021)"
    assert short_period_label("2021/22", 10) == "P10 Jan"


def test_summary_sentence_says_where_and_how_it_moved(history):
    text = summary.summary_sentence(history[-1], history[-2])
    assert text.startswith("At P4 (July 2021) the department is forecast to end 2021/22 ")
    change = position(history[-1].lines).net_overspend - position(history[-2].lines).net_overspend
    assert f"{'up' if change > 0 else 'down'} " in text
    assert "since the previous period" not in summary.summary_sentence(history[0], None)


def test_largest_overspends_leave_out_income_and_small_lines(history):
    spend = summary.largest_overspends(history[-1])
    assert spend.height <= 4
    assert (spend["variance"] >= summary.GROSS_SHOWN_FROM).all()
    assert spend["variance"].is_sorted(descending=True)
    assert not set(spend["service_line"]) & {"grants", "nhs_discharge_income"}


def test_bridge_frame_runs_from_one_net_overspend_to_the_next(history):
    steps = tables.bridge_frame(history[-2], history[-1])
    assert steps["measure"][0] == "absolute" and steps["measure"][-1] == "total"
    start, end = steps["amount"][0], steps["amount"][-1]
    assert start + steps["amount"][1:-1].sum() == pytest.approx(end, abs=1.0 * steps.height)
    assert tables.lines_table(history[-1]).columns[0] == "Service line"
