"""`ascdemand bench --quick` at scale 1: every measure is reported, and what it reports (rows,
agreement with the SQL, targets checked) is right. Timings are never asserted."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from ascdemand.commands import bench
from benchmarks import page_queries, render, runner, worker
from benchmarks.harness import Result
from benchmarks.load import QUICK_ROWS
from benchmarks.scenario import MONTE_CARLO_RUNS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("bench")]

REPEAT = 2
WEEKLY_VIEWS = ("homecare_weekly", "temp_residential_weekly", "discharges_weekly")


@pytest.fixture(scope="module")
def report(demo_db: Path, build_once: Callable[..., Path]) -> dict:
    """One quick benchmark run on a copy of the session's demo database, made once per test
    session (about three minutes) and read by whichever xdist workers run these tests."""

    def run_bench(path: Path) -> None:
        work = path.with_name("bench-work")
        work.mkdir(exist_ok=True)
        shutil.copyfile(demo_db, work / "demo-scale1.duckdb")
        command = [sys.executable, "-m", "ascdemand", "bench", "--scales", "1", "--quick"]
        command += ["--repeat", str(REPEAT), "--json", "--work-dir", str(work)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        path.write_text(done.stdout)

    return json.loads(build_once("bench-report.json", run_bench).read_text())


def _results(report: dict, measure: str) -> dict[str, Result]:
    return {
        r.item: r for r in (Result.from_dict(d) for d in report["results"]) if r.measure == measure
    }


def test_every_measure_is_reported_once_per_item(report):
    measures = {r["measure"] for r in report["results"]}
    assert measures == {"load", "views", "page queries", "forecasting", "scenario", "page render"}
    assert bench.MEASURES == worker.MEASURES
    for r in map(Result.from_dict, report["results"]):
        assert r.scale == 1
        assert r.peak_rss_mb and r.peak_rss_mb > 50, r.item
        if r.runs_s:
            expected = min(REPEAT, runner.MAX_REPEAT.get(r.measure, REPEAT))
            if r.item.startswith("app start"):
                expected = 1  # only the first start of a process is cold
            assert len(r.runs_s) == expected, r.item
            assert min(r.runs_s) <= r.median_s <= max(r.runs_s), r.item
    assert report["machine"]["cores"] >= 1 and report["machine"]["cpu"]


def test_load_stores_every_generated_row(report):
    (load,) = _results(report, "load").values()
    assert load.rows == QUICK_ROWS
    assert load.detail["rows_stored_per_run"] == [QUICK_ROWS] * len(load.runs_s)


def test_views_count_what_the_database_holds(report, demo_db):
    views = _results(report, "views")
    with duckdb.connect(str(demo_db), read_only=True) as con:
        for view in WEEKLY_VIEWS:
            (count,) = con.execute(f"SELECT count(*) FROM {view}").fetchall()[0]
            assert views[f"{view} (live)"].rows == count
            assert views[f"{view} (materialised)"].rows == count
    total = views["all three views (live)"]
    assert total.rows == sum(views[f"{v} (live)"].rows for v in WEEKLY_VIEWS)
    assert total.median_s == pytest.approx(sum(views[f"{v} (live)"].median_s for v in WEEKLY_VIEWS))


def test_pandas_expansion_agrees_with_sql_and_ratio_is_pandas_over_sql(report):
    views = _results(report, "views")
    pandas = views["pandas weekly expansion"]
    assert pandas.detail["agrees_with_sql"] is True
    sql = views["homecare_weekly (live)"].median_s
    assert pandas.detail["ratio_pandas_to_sql"] == pytest.approx(pandas.median_s / sql)
    assert pandas.rows > pandas.detail["packages"] > 0


def test_page_queries_cover_every_page_and_return_their_rows(report, demo_db):
    pages = _results(report, "page queries")
    assert set(pages) == set(render.page_names()) == set(page_queries.PAGE_QUERIES)
    with duckdb.connect(str(demo_db), read_only=True) as con:
        change = page_queries.changed_filter(con)
        for page, result in pages.items():
            assert result.rows == page_queries.run_page(con, page, change), page
            assert result.detail["as_at"] == change.as_at.isoformat()
            assert result.detail["districts"] == list(change.districts)


def test_forecasting_fits_each_county_series(report):
    (fc,) = _results(report, "forecasting").values()
    assert fc.item == "county series"
    assert fc.rows == fc.detail["series"] == len(fc.detail["measures"])
    assert fc.detail["not_forecast"] == 0


def test_scenario_runs_52_weeks_deterministic_and_monte_carlo(report):
    runs = _results(report, "scenario")
    assert runs["deterministic run"].rows == 52
    assert runs[f"{MONTE_CARLO_RUNS} Monte Carlo runs"].rows == MONTE_CARLO_RUNS * 52


def test_every_page_renders_without_errors(report):
    rendered = _results(report, "page render")
    start = rendered.pop("app start (default page, cold caches)")
    assert start.detail["errors"] == [] and start.rows > 0
    assert set(rendered) == set(render.page_names())
    for page, result in rendered.items():
        assert result.detail["errors"] == [], page
        assert result.detail["first_open_s"] > 0


def test_scale_one_targets_are_checked_and_tabled(report):
    checked = {(v["scale"], v["target"]) for v in report["targets"]}
    expected = {(t.scale, t.label) for t in runner.TARGETS if t.scale == 1}
    assert checked == expected
    text = runner.table(report)
    for r in report["results"]:
        assert r["item"] in text
