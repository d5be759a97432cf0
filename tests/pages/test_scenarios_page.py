"""The commissioners' scenarios page on the demo database: baseline and fit, presets, inputs,
the comparison table, chart export, and saved scenarios (save, compare, open, rename, delete).

Most tests run the page script directly with the sidebar filters in session state, so they do
not depend on the other pages; one opens it through `app.py` as a user would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from unittest.mock import patch

import pytest
from streamlit.testing.v1 import AppTest

from ascdemand.store import audit, state
from ascdemand.store.scenarios import list_scenarios, load_scenario
from ascdemand.ui.common import Filters

AS_AT = dt.date(2021, 10, 31)


@pytest.fixture
def open_scenarios(open_page_script) -> Callable[..., AppTest]:
    """Run the page script alone on the database at a path, as at `as_at` for the county."""

    def _open(db: Path, as_at: dt.date = AS_AT) -> AppTest:
        filters = Filters(as_at=as_at, districts=(), client_group=None)
        return open_page_script("scenarios", db=db, session_state={"_filters": filters})

    return _open


def metric(at: AppTest, label: str):
    return next(m for m in at.metric if m.label == label)


def downloads(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


@pytest.fixture
def page(demo_db, open_scenarios):
    return open_scenarios(demo_db)


def test_baseline_charts_table_and_fit(page):
    """The baseline is calibrated on the demo: three band charts, year-end spend, and the fit
    (average error under 5% for homecare and temporary beds) with its chart."""
    assert not page.error
    # the difference from the baseline, three level charts and the fit chart
    assert len(page.get("plotly_chart")) == 5
    assert metric(page, "Spend to 31 March").value.startswith("£")
    assert metric(page, "Spend to 31 March").delta == "same as baseline"
    for label in ("People in homecare", "People in temporary residential care"):
        error = float(metric(page, f"{label}: average error").value.rstrip("%"))
        assert error < 5.0, label
    assert page.dataframe[0].value["Scenario"].unique().tolist() == ["This scenario"]
    assert {
        "Download CSV",
        "Download Excel",
        "Download chart (interactive HTML)",
        "Download its parameters (JSON, for `ascdemand scenario --params`)",
    } <= set(downloads(page))


def test_preset_lowers_temporary_beds_and_spend(page):
    page.selectbox(key="sc_preset_pick").set_value("Discharges back to 90 a week").run()
    page.button(key="sc_preset_apply").click().run()
    assert not page.exception
    temp = metric(page, "People in temporary residential care at week 26")
    assert temp.delta.startswith("-"), temp.delta
    assert metric(page, "Spend to 31 March").delta.startswith("-£")
    page.button(key="sc_reset").click().run()
    assert metric(page, "Spend to 31 March").delta == "same as baseline"


def test_changing_package_size_moves_hours(page):
    """Smaller packages: fewer hours at week 26 and less spend."""
    page.number_input(key="sc_hours_per_person").set_value(10.0).run()
    assert metric(page, "Homecare hours a week at week 26").delta.startswith("-")
    assert metric(page, "Spend to 31 March").delta.startswith("-£")


def test_an_impossible_mix_is_explained(page):
    for i in range(4):
        page.number_input(key=f"sc_share_p{i}").set_value(0.0)
    page.run()
    assert "pathway mix" in page.error[0].value
    assert len(page.get("plotly_chart")) == 0


def test_png_export_and_its_fallback(page):
    with patch("ascdemand.ui.charts.scenarios.chart_png", return_value=b"\x89PNG fake"):
        page.button(key="sc_png_make").click().run()
    assert "Download PNG image" in downloads(page)
    with patch("ascdemand.ui.charts.scenarios.chart_png", side_effect=RuntimeError("no browser")):
        page.button(key="sc_png_make").click().run()
    assert "interactive HTML" in page.warning[0].value
    assert "Download PNG image" not in downloads(page)


@pytest.mark.slow
def test_save_compare_open_rename_and_delete(demo_db_copy, open_scenarios):
    at = open_scenarios(demo_db_copy)
    at.number_input(key="sc_discharges_per_week").set_value(180.0).run()
    at.text_input(key="sc_save_name").input("Winter surge")
    at.text_input(key="sc_save_description").input("180 discharges a week")
    at.button(key="FormSubmitter:sc_save_form-Save").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Saved 'Winter surge'."
    # issue 15: the form starts empty after a save, so a second save needs its own words
    assert at.text_input(key="sc_save_name").value == ""
    assert at.text_input(key="sc_save_description").value == ""
    effect = next(m.value for m in at.markdown if "Effect on the 2021/22 outturn" in m.value)
    assert "full-year effect next year" in effect

    at.button(key="sc_reset").click().run()
    with state.reading(demo_db_copy) as con:
        (scenario_id,) = list_scenarios(con)["scenario_id"]
        saved = load_scenario(con, scenario_id)
    assert saved["changes"] == {"discharges_per_week": 180.0}  # only what the user changed
    at.multiselect(key="sc_compare").select(scenario_id).run()
    table = at.dataframe[0].value
    assert set(table["Scenario"]) == {"This scenario", "Winter surge"}
    surge = table[(table["Scenario"] == "Winter surge") & (table["When"] == "31 March")]
    assert (surge["Difference"] > 0).all()

    at.button(key="sc_open").click().run()
    assert at.number_input(key="sc_discharges_per_week").value == 180.0

    at.text_input(key="sc_new_name").input("Winter peak")
    at.button(key="sc_rename").click().run()
    assert at.selectbox(key="sc_pick").format_func(at.selectbox(key="sc_pick").value) == (
        "Winter peak"
    )
    at.get("download_button")[2].click().run()  # the interactive chart
    trail = audit.trail(demo_db_copy)
    exports = trail.filter(trail["action"] == "scenario_export")["detail"].to_list()
    assert exports == ["chart homecare_hours (HTML): Baseline, This scenario, Winter peak"]

    at.checkbox(key="sc_delete_confirm").check().run()
    at.button(key="sc_delete").click().run()
    assert not at.exception
    assert at.info[-1].value == "No saved scenarios yet."


def test_without_data_the_page_runs_on_built_in_values(tmp_path, open_scenarios):
    at = open_scenarios(tmp_path / "missing.duckdb")
    assert "built-in values" in at.info[0].value
    assert len(at.get("plotly_chart")) == 4


def test_an_as_at_date_after_the_data_falls_back_with_a_reason(demo_db, open_scenarios):
    at = open_scenarios(demo_db, as_at=dt.date(2030, 1, 1))
    assert at.info[0].value.startswith("No discharges are recorded in the 26 weeks to 01 January")


def test_page_opens_from_the_app_and_keeps_the_scenario_across_pages(open_page):
    at = open_page("scenarios")
    assert not at.error
    at.number_input(key="sc_discharges_per_week").set_value(150.0).run()
    at.switch_page("pages/homecare.py").run()
    at.switch_page("pages/scenarios.py").run()
    assert not at.exception
    assert at.number_input(key="sc_discharges_per_week").value == 150.0


def test_discharges_from_the_nhs_sitrep(demo_db_copy, sitrep_dir, open_scenarios):
    """With the real sitrep imported, University Hospitals of Leicester's P1-P3 discharges
    replace the council's and the scenario inputs follow."""
    from ascdemand.store.sitrep.importer import import_files

    import_files(demo_db_copy, sorted(sitrep_dir.glob("*.xlsx"))[-3:], user="test")
    at = open_scenarios(demo_db_copy)
    council = at.number_input(key="sc_discharges_per_week").value
    at.radio(key="sc_source").set_value("The NHS discharge sitrep").run()
    assert not at.exception
    assert at.selectbox(key="sc_sitrep_org").value == "trust:RWE"
    assert any("NHS discharge sitrep" in c.value for c in at.caption)
    assert at.number_input(key="sc_discharges_per_week").value != council


def test_a_short_horizon_shows_the_week_13_checkpoint(page):
    page.slider(key="sc_horizon").set_value(20).run()
    labels = [m.label for m in page.metric]
    assert "People in temporary residential care at week 13" in labels
    assert len(page.get("plotly_chart")) == 5


def test_offering_reablement_to_more_p1_discharges_moves_them_from_homecare(page):
    """At 60% of P1 offered reablement (the demo's baseline is about 38%), the routes table
    shows the new split and homecare hours at week 26 fall."""
    page.number_input(key="sc_p1_reablement").set_value(60.0).run()
    routes = page.dataframe[-1].value
    p1 = routes[routes["From"] == "P1 (home with new support)"].iloc[0]
    support = p1["Reablement (HART) (%)"] + p1["Homecare (%)"]
    assert p1["Reablement (HART) (%)"] == pytest.approx(0.6 * support, abs=0.1)
    assert metric(page, "Homecare hours a week at week 26").delta.startswith("-")


@pytest.mark.slow
def test_chart_png_is_drawn_by_kaleido_and_chromium():
    """The real export path: plotly -> kaleido -> /usr/bin/chromium (several seconds)."""
    from ascdemand.models.scenario.montecarlo import run_many
    from ascdemand.models.scenario.params import ScenarioParams
    from ascdemand.models.scenario.summary import BASELINE
    from ascdemand.ui.charts import scenarios as charts

    if not Path("/usr/bin/chromium").exists():
        pytest.skip("chromium is not installed")
    runs = {BASELINE: run_many(ScenarioParams(), 13, runs=20)}
    image = charts.chart_png(charts.band_figure(runs, "temporary", horizon=13))
    assert image.startswith(b"\x89PNG\r\n\x1a\n") and len(image) > 10_000
