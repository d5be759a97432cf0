"""Every page in a real browser: Playwright drives Debian's chromium over `streamlit run`.

Fails on any exception box, error message or browser console error, and saves a full-page
screenshot of each page under `tests/artifacts/` for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# (url path, heading the page must show)
PAGES = [
    ("", "Overview"),
    ("budget", "Budget and outturn"),
    ("homecare", "Homecare"),
    ("temporary_residential", "Temporary residential care"),
    ("discharges", "Hospital discharges"),
    ("scenarios", "Scenarios"),
    ("briefing", "Committee briefing"),
    ("benchmarks", "Benchmarks"),
    ("data", "Data"),
]


def test_direct_link_on_a_fresh_server_goes_through_the_app(
    demo_db, browser, tmp_path, serve, settle
):
    """A shared link to a page, opened before anyone has visited the home page, still gets the
    app's navigation, access check and filters (not Streamlit's bare page-folder mode)."""
    with serve(demo_db, tmp_path / "server.log") as url:
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.goto(f"{url}/homecare")
        settle(tab, "Homecare")
        sidebar = tab.get_by_test_id("stSidebar")
        assert sidebar.get_by_text("Filters", exact=True).is_visible()
        assert sidebar.get_by_role("link", name="Budget and outturn").is_visible()
        tab.close()


@pytest.mark.parametrize(("path", "heading"), PAGES, ids=[p or "overview" for p, _ in PAGES])
def test_page_opens_without_errors(server, page, settle, assert_clean, path, heading):
    """Each page renders its heading and charts with no exception, error box or console error."""
    page.goto(f"{server}/{path}")
    settle(page, heading)
    assert_clean(page, path)


def test_district_filter_changes_the_homecare_view(server, page, settle, assert_clean):
    """Choosing a district in the sidebar re-runs the page, narrows the figures and is kept
    in the address bar so the view can be shared."""
    page.goto(f"{server}/homecare")
    settle(page, "Homecare")
    county = page.get_by_test_id("stMetricValue").first.inner_text()
    page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name="Melton", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_url("**district=Melton**", timeout=30_000)
    settle(page, "Homecare")
    melton = page.get_by_test_id("stMetricValue").first.inner_text()
    assert int(melton.replace(",", "")) < int(county.replace(",", ""))
    assert_clean(page, "homecare_melton")


def test_csv_download_from_the_homecare_page(server, page, settle):
    """The weekly table downloads as a CSV with a header row."""
    page.goto(f"{server}/homecare")
    settle(page, "Homecare")
    page.get_by_text("Weekly figures").click()
    # The table inside renders after the expander opens and pushes the buttons down: click only
    # once the layout has settled, or a click on a loaded machine can land on the moving table.
    weekly = page.get_by_test_id("stExpander").filter(has_text="Weekly figures")
    weekly.get_by_test_id("stDataFrame").wait_for()
    button = weekly.get_by_role("button", name="Download CSV")
    button.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    with page.expect_download() as info:
        button.click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("week_start,people,hours")
    assert len(text.splitlines()) > 50


def test_scenario_inputs_change_the_results(server, page, settle, assert_clean):
    """More discharges a week moves the scenario's headline numbers away from the baseline,
    and the slider for the weeks ahead re-runs the model without errors."""
    page.goto(f"{server}/scenarios")
    settle(page, "Scenarios")
    before = page.get_by_test_id("stMetric").first.inner_text()
    box = page.get_by_label(
        "Hospital discharges referred to the council, all pathways (people a week)"
    )
    box.fill("200")
    box.press("Enter")
    page.wait_for_timeout(500)
    settle(page, "Scenarios")
    after = page.get_by_test_id("stMetric").first.inner_text()
    assert after != before
    slider = page.get_by_test_id("stSlider").get_by_role("slider").first
    slider.focus()
    for _ in range(5):
        slider.press("ArrowLeft")
    page.wait_for_timeout(500)
    settle(page, "Scenarios")
    assert_clean(page, "scenarios_changed")
