"""The Committee briefing and Benchmarks pages on the demo database: published numbers only,
charts and downloads present, officers' edits stored and shown."""

from __future__ import annotations

import datetime as dt

import duckdb

from ascdemand import privacy
from ascdemand.store import audit, state


def _store(db, sql: str, params=()):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchall()[0]


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_briefing_page_shows_published_store_figures(open_page, demo_db):
    """People in homecare on the last Monday, from the view, rounded to 5 as published."""
    at = open_page("briefing")
    (people,) = _store(
        demo_db,
        "SELECT sum(people) FROM homecare_weekly "
        "WHERE week_start = (SELECT max(week_start) FROM homecare_weekly)",
    )
    text = _markdown(at)
    assert f"People receiving homecare: {privacy.publish_count(people):,}." in text
    assert f"{people:,}" not in text or people % 5 == 0
    assert [s.value for s in at.subheader][:3] == ["At a glance", "Demand for care", "Money"]
    assert len(at.get("plotly_chart")) == 6
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the PDF pack" in labels and "Download as a web page (HTML)" in labels
    assert not at.error


def test_briefing_page_honours_the_district_filter(open_page, demo_db):
    at = open_page("briefing", district="Melton")
    (people,) = _store(
        demo_db,
        "SELECT people FROM homecare_weekly WHERE district = 'Melton' "
        "AND week_start = (SELECT max(week_start) FROM homecare_weekly)",
    )
    text = _markdown(at)
    assert "for Melton." in text
    assert (
        f"People receiving homecare: {privacy.format_count(privacy.publish_count(people))}." in text
    )


def test_benchmarks_page_lists_the_report_comparators(open_page):
    at = open_page("benchmarks")
    assert len(at.get("plotly_chart")) == 1
    table = at.dataframe[0].value
    assert len(table) == 6
    assert "Leicestershire: **£485**, the lowest of 6 councils" in _markdown(at)
    at.radio(key="benchmarks_measure").set_value("net_budget_2021_22_gbp_m").run()
    assert "Leicestershire: **£151m**, the lowest of 6 councils" in _markdown(at)


def test_pages_explain_a_missing_database(open_empty_page):
    at = open_empty_page("briefing")
    assert "No data loaded yet" in at.info[0].value


def test_officer_records_an_action_and_it_appears_in_the_briefing(open_app, demo_db_copy):
    at = open_app("briefing", db=demo_db_copy)
    at.text_input(key="briefing_action").input("Therapists in temporary care homes (D2A)")
    at.text_input(key="briefing_owner").input("Hospital team")
    at.selectbox(key="briefing_status").set_value("in progress")
    next(b for b in at.button if b.label == "Add action").click().run()
    assert not at.exception
    text = _markdown(at)
    assert (
        "Therapists in temporary care homes (Discharge to Assess, D2A) (in progress, "
        "Hospital team)" in text
    )
    with state.reading(demo_db_copy) as app_state:
        (action, user) = app_state.execute("SELECT action, updated_by FROM mitigations").fetchone()
    assert action == "Therapists in temporary care homes (D2A)"
    assert user == "local user"
    assert (audit.trail(demo_db_copy)["action"] == "mitigation_add").sum() == 1


def test_director_sets_a_target_with_progress(open_app, demo_db_copy):
    at = open_app("briefing", db=demo_db_copy)
    at.selectbox(key="briefing_target_measure").set_value("temp_residential_people").run()
    form_inputs = [
        n for n in at.number_input if n.label in ("Target", "Starting figure (today's, published)")
    ]
    form_inputs[0].set_value(300.0)
    form_inputs[1].set_value(700.0)
    next(b for b in at.button if b.label == "Set target").click().run()
    assert not at.exception
    with state.reading(demo_db_copy) as app_state:
        sql = "SELECT target_value, baseline_value FROM targets"
        (target, baseline) = app_state.execute(sql).fetchone()
    assert (target, baseline) == (300.0, 700.0)
    assert "People in temporary residential care: target 300" in _markdown(at)


def test_officer_adds_a_comparator(open_app, demo_db_copy):
    at = open_app("benchmarks", db=demo_db_copy)
    at.text_input[0].input("Staffordshire")
    at.number_input[2].set_value(640.0)
    at.text_input[1].input("ASC-FR 2019/20")
    next(b for b in at.button if b.label == "Add comparator").click().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 7
    assert dt.date.today()  # the page re-ran after the write
    assert "Staffordshire" in at.dataframe[0].value["Council"].to_list()


def test_benchmarks_say_which_net_budget_is_which(open_page):
    """Issue 15: £151m (the report's comparator table) and the loaded budget's net total are
    both shown, each with its source."""
    at = open_page("benchmarks")
    captions = " ".join(c.value for c in at.caption)
    assert "Two figures, two sources" in captions
    assert "loaded budget for 2021/22 nets to £177.8m" in captions
