"""The load test, small: four concurrent app sessions of three steps each on the demo database
finish every step without an error, and the latency summary counts what was run."""

from __future__ import annotations

import pytest

from benchmarks import load_test
from benchmarks.render import page_names

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("bench")]

DISTRICTS = ("Blaby", "Melton")


def test_plans_are_seeded_and_start_on_a_page():
    first = load_test.plan(3, 12, seed=7, districts=DISTRICTS)
    assert first == load_test.plan(3, 12, seed=7, districts=DISTRICTS)
    assert first != load_test.plan(4, 12, seed=7, districts=DISTRICTS)
    assert len(first) == 12 and first[0].kind == "page"
    for step in first:
        assert step.kind in load_test.KINDS
        assert step.page in page_names()
        if step.kind == "scenario":
            assert step.page == load_test.SCENARIO_PAGE


def test_percentiles_of_five_latencies():
    """Inclusive percentiles of 1..5 s: median 3; p90 = 1 + 0.9 x 4 = 4.6; max 5."""
    summary = load_test._percentiles([5.0, 1.0, 4.0, 2.0, 3.0])
    assert summary["count"] == 5
    assert summary["p50"] == pytest.approx(3.0)
    assert summary["p90"] == pytest.approx(4.6)
    assert summary["max"] == 5.0


def test_four_sessions_run_every_step_without_errors(demo_db, monkeypatch):
    monkeypatch.setenv("ASCDEMAND_DB", str(demo_db))
    report = load_test.run_load_test(demo_db, sessions=4, steps=3, seed=2)
    assert [s for s in report.steps if s.errors] == []
    done = sorted((s.session, s.index) for s in report.steps)
    assert done == [(session, i) for session in range(4) for i in range(3)]
    summary = report.to_dict()
    assert summary["steps_done"] == 12 and summary["errors"] == []
    latency = summary["latency_s"]
    assert latency["all"]["count"] == 12
    assert sum(v["count"] for k, v in latency.items() if k != "all") == 12
    assert 0 < latency["all"]["p50"] <= latency["all"]["max"]
