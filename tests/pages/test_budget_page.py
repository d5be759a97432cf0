"""The Budget and outturn page against the demo database: its numbers equal the model's."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from ascdemand.models.budget import tables as budget_tables
from ascdemand.models.budget.outturn import BudgetInputs, forecast_outturn, position
from ascdemand.store import budget_inputs
from ascdemand.store.connection import connect
from ascdemand.ui.common import money

YEAR = "2021/22"


def _net(demo_db, period: int) -> float:
    con = connect(demo_db, read_only=True)
    try:
        frames = budget_inputs.budget_inputs(con, YEAR, period)
    finally:
        con.close()
    return position(forecast_outturn(BudgetInputs(YEAR, period, **frames)).lines).net_overspend


def _metric(at, label: str):
    return next(m for m in at.metric if m.label == label)


@pytest.mark.slow
def test_budget_page_shows_the_latest_forecast_and_its_change(open_page, demo_db):
    """At P7 the big number is the model's net overspend; the change is against P6."""
    at = open_page("budget")
    net7, net6 = _net(demo_db, 7), _net(demo_db, 6)
    shown = _metric(at, "Forecast net overspend")
    assert shown.value == money(net7)
    assert shown.delta == money(net7 - net6, signed=True)
    assert len(at.get("plotly_chart")) == 4  # with the track record
    assert not at.error
    text = "\n".join(m.value for m in at.markdown)
    assert "80% range for the year-end net position" in text
    assert "At period 7 the forecast has been within ±" in text
    assert "in the 2 complete year(s) before 2021/22" in text


@pytest.mark.slow
def test_choosing_period_4_reforecasts_with_what_was_known_then(open_page, demo_db):
    at = open_page("budget")
    at.select_slider(key="budget_period").set_value(4).run()
    assert not at.exception
    assert _metric(at, "Forecast net overspend").value == money(_net(demo_db, 4))
    assert any("P4 (July 2021)" in m.value for m in at.markdown)
    assert not at.error


def test_empty_database_explains_what_to_load(open_empty_page):
    at = open_empty_page("budget")
    assert at.info[0].value.startswith("No data loaded yet")
    assert len(at.get("plotly_chart")) == 0


def test_lines_table_downloads_as_excel_with_pound_formats(demo_db):
    """The XLSX holds unrounded pounds with a £ number format on the money columns."""
    from ascdemand import exports

    con = connect(demo_db, read_only=True)
    try:
        frames = budget_inputs.budget_inputs(con, YEAR, 4)
    finally:
        con.close()
    table = budget_tables.lines_table(forecast_outturn(BudgetInputs(YEAR, 4, **frames)))
    data = exports.to_xlsx_bytes(table, sheet="outturn", money_columns=budget_tables.MONEY_COLUMNS)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    variance = sheet.cell(row=2, column=header.index("Variance") + 1)
    assert variance.value == pytest.approx(table["Variance"][0])
    assert "£" in variance.number_format
    assert sheet.cell(row=2, column=1).value == "Homecare"


def test_sidebar_as_at_date_sets_the_forecast_period(open_page, demo_db):
    """As at 15 September 2021 the last closed period is P5 (August)."""
    at = open_page("budget", as_at="2021-09-15")
    assert at.select_slider(key="budget_period").value == 5
    assert _metric(at, "Forecast net overspend").value == money(_net(demo_db, 5))


def test_directors_workbook_has_four_formatted_sheets(demo_db):
    """Forecast, trajectory, drivers and bridge sheets; the P5 net overspend cell equals the
    model's to the penny and is formatted in pounds."""
    con = connect(demo_db, read_only=True)
    try:
        history = [
            forecast_outturn(BudgetInputs(YEAR, p, **budget_inputs.budget_inputs(con, YEAR, p)))
            for p in (4, 5)
        ]
    finally:
        con.close()
    book = openpyxl.load_workbook(io.BytesIO(budget_tables.director_workbook(history)))
    assert book.sheetnames == ["Forecast by line", "Trajectory", "Drivers", "Bridge"]
    trajectory = book["Trajectory"]
    header = [c.value for c in trajectory[1]]
    cell = trajectory.cell(row=3, column=header.index("Net overspend") + 1)
    assert trajectory.cell(row=3, column=1).value == "P5 (August 2021)"
    assert cell.value == pytest.approx(position(history[1].lines).net_overspend, abs=0.01)
    assert "£" in cell.number_format
    drivers = book["Drivers"]
    header = [c.value for c in drivers[1]]
    homecare = next(r for r in drivers.iter_rows(min_row=2) if r[0].value == "Homecare")
    hours = homecare[header.index("Hours per person a week, year to date")]
    assert hours.number_format == "0.0"
    assert 10 < hours.value < 16


def test_a_saved_scenario_shows_as_an_alternative_outcome(demo_db_copy, open_app):
    """Issue 15: a saved scenario with 150 discharges a week shown on the Budget page: the net
    overspend if it happens is the forecast plus its effect this year, marked on the chart."""
    from ascdemand.store import state
    from ascdemand.store.scenarios import list_scenarios, save_scenario

    save_scenario(demo_db_copy, "Winter surge", {"discharges_per_week": 150.0}, user="test")
    with state.reading(demo_db_copy) as con:
        (scenario_id,) = list_scenarios(con)["scenario_id"]
    at = open_app("budget", db=demo_db_copy)
    at.selectbox(key="budget_scenario").set_value(scenario_id).run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "If **Winter surge** happens: net overspend" in text
    assert "full-year effect next year +£" in text
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("-budget_trajectory"))
    names = [trace["name"] for trace in json.loads(chart.proto.spec)["data"]]
    assert "If 'Winter surge' happens" in names
