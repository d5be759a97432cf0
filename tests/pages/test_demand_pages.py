"""The Overview, Homecare and Temporary residential care pages against the demo database:
the numbers shown equal those computed directly from the store."""

from __future__ import annotations

import duckdb
import pytest

from ascdemand import privacy
from ascdemand.models.measures import MEASURES
from ascdemand.store import audit


def _store(demo_db, sql: str, params=()):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        return con.execute(sql, params).fetchone()


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_homecare_page_shows_the_latest_week(open_page, demo_db):
    """People and hours on the last Monday, straight from the homecare_weekly view."""
    at = open_page("homecare")
    people, hours = _store(
        demo_db,
        "SELECT sum(people), sum(hours) FROM homecare_weekly "
        "WHERE week_start = (SELECT max(week_start) FROM homecare_weekly)",
    )
    assert _metric(at, "People receiving homecare") == f"{people:,.0f}"
    assert _metric(at, "Homecare hours commissioned per week") == f"{hours:,.0f}"
    assert len(at.get("plotly_chart")) >= 4
    assert not at.error


def test_homecare_page_honours_the_district_filter(open_page, demo_db):
    """With ?district=Melton only Melton's people are counted."""
    at = open_page("homecare", district="Melton")
    (people,) = _store(
        demo_db,
        "SELECT people FROM homecare_weekly WHERE district = 'Melton' "
        "AND week_start = (SELECT max(week_start) FROM homecare_weekly)",
    )
    assert _metric(at, "People receiving homecare") == f"{people:,.0f}"


def test_homecare_page_honours_the_as_at_date(open_page, demo_db):
    """As at 2 March 2020 the page shows that Monday's count."""
    at = open_page("homecare", as_at="2020-03-02")
    (people,) = _store(
        demo_db, "SELECT sum(people) FROM homecare_weekly WHERE week_start = DATE '2020-03-02'"
    )
    assert _metric(at, "People receiving homecare") == f"{people:,.0f}"


def test_temporary_residential_page(open_page, demo_db):
    at = open_page("temporary_residential")
    (people,) = _store(
        demo_db,
        "SELECT sum(people) FROM temp_residential_weekly "
        "WHERE week_start = (SELECT max(week_start) FROM temp_residential_weekly)",
    )
    assert _metric(at, "People in temporary residential care") == f"{people:,.0f}"
    assert len(at.get("plotly_chart")) >= 4
    assert not at.error


def _tile(at, key: str):
    return next(m for m in at.metric if m.label == MEASURES[key].name)


@pytest.mark.parametrize("district", [None, "Melton"])
def test_each_measure_shows_one_value_and_one_colour_on_every_page(open_page, demo_db, district):
    """Issue 15: Overview, Homecare, Temporary residential care and Hospital discharges show
    each measure under its one name, with the same value, the same four-week change and the
    same colour rule for the same filters; the briefing shows the published (rounded) value."""
    query = {"district": district} if district else {}
    overview = open_page("overview", **query)
    pages = {
        "homecare_people": open_page("homecare", **query),
        "temp_residential_people": open_page("temporary_residential", **query),
        "discharges_to_social_care": open_page("discharges", **query),
    }
    pages["homecare_hours"] = pages["homecare_people"]
    where = "AND district = 'Melton'" if district else ""
    people, hours = _store(
        demo_db,
        f"SELECT sum(people), sum(hours) FROM homecare_weekly WHERE week_start = "  # noqa: S608
        f"(SELECT max(week_start) FROM homecare_weekly) {where}",
    )
    assert _tile(overview, "homecare_people").value == f"{people:,.0f}"
    assert _tile(overview, "homecare_hours").value == f"{hours:,.0f}"
    for key, page in pages.items():
        tile, shown = _tile(overview, key), _tile(page, key)
        assert shown.value == tile.value, key
        assert tile.delta.startswith(shown.delta), key
        assert (shown.proto.color, shown.proto.direction) == (
            tile.proto.color,
            tile.proto.direction,
        ), key
    briefing = open_page("briefing", **query)
    text = "\n".join(m.value for m in briefing.markdown)
    published = privacy.format_count(privacy.publish_count(people))
    assert f"{MEASURES['homecare_people'].name}: {published}." in text
    assert not overview.error


@pytest.mark.parametrize("name", ["overview", "homecare", "temporary_residential", "data"])
def test_pages_explain_an_empty_database(open_empty_page, name):
    """With nothing loaded, each page says what to load instead of failing."""
    at = open_empty_page(name)
    assert any("No data loaded yet" in i.value for i in at.info)


def test_a_download_is_recorded_in_the_audit_trail(open_app, demo_db_copy):
    """Clicking a download button writes an `export` row with the user and the file name, to
    the app state: the extracts database is not touched."""
    at = open_app("data", db=demo_db_copy)
    before = (demo_db_copy.read_bytes(), demo_db_copy.stat().st_mtime_ns)
    at.get("download_button")[0].click().run()
    assert not at.exception
    assert (demo_db_copy.read_bytes(), demo_db_copy.stat().st_mtime_ns) == before
    trail = audit.trail(demo_db_copy)
    rows = trail.filter(trail["action"] == "export").select("user_name", "action", "detail").rows()
    assert len(rows) == 1
    user, action, detail = rows[0]
    assert (user, action) == ("local user", "export")
    assert detail.startswith("load_log.csv: ")


def test_the_scenario_baseline_is_scored_beside_the_statistical_models(open_page):
    """Issue 15: the flow model's baseline is judged like the forecasts, on the same page."""
    at = open_page("temporary_residential")
    text = "\n".join(m.value for m in at.markdown)
    assert "The Scenarios page's baseline" in text
    assert "× those of repeating the last week" in text


def test_overview_money_card_gives_its_range_and_says_it_ignores_the_district(open_page):
    """Issue 15: the money card is for the whole council even with Melton chosen, and says
    so; it carries the 80% range from the forecast's track record and a status judged on the
    recurrent position too."""
    at = open_page("overview", district="Melton")
    card = next(m for m in at.metric if m.label.startswith("Forecast net overspend"))
    assert card.label == "Forecast net overspend 2021/22 (whole of Leicestershire)"
    assert any(c.value.startswith("80% range ") for c in at.caption)
    badge = " ".join(m.value for m in at.markdown if "badge" in m.value)
    assert "Off track" in badge


def test_scenario_inputs_are_not_named_like_other_measures():
    """Issue 15: 141 'referred to social care' on Scenarios beside 100 'to social care' on the
    Overview, and a '£714 standard residential rate' beside the report's £615: the scenario's
    inputs now say what they count."""
    from dataclasses import fields

    from ascdemand.models.scenario.params import ScenarioParams

    labels = {f.name: f.metadata.get("label", "") for f in fields(ScenarioParams)}
    assert (
        labels["discharges_per_week"] == "Hospital discharges referred to the council, all pathways"
    )
    assert labels["residential_weekly_rate"] == "Average standard rate of placements in place"
    assert MEASURES["discharges_to_social_care"].name.startswith("Hospital discharges needing")
