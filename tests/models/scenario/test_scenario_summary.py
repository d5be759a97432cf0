"""A scenario in words and tables: headlines, the P1 split, and what a saved scenario holds."""

from __future__ import annotations

import polars as pl
import pytest

from ascdemand.models.scenario import summary
from ascdemand.models.scenario.montecarlo import run_many
from ascdemand.models.scenario.params import ScenarioParams


def test_p1_reablement_split_round_trips():
    """P1 routes 0.1 none, 0.3 reablement, 0.6 homecare: 0.3 / 0.9 = 33.3% to reablement;
    re-split at 50%, each gets 0.45 and the rest of the row is unchanged."""
    routes = ScenarioParams().routes
    row = (0.1, 0.3, 0.6, 0.0, 0.0)
    routes = (routes[0], row, *routes[2:])
    assert summary.p1_reablement_percent(routes) == pytest.approx(100 / 3)
    resplit = summary.with_p1_reablement(routes, 50.0)
    assert resplit[1] == pytest.approx((0.1, 0.45, 0.45, 0.0, 0.0))
    assert resplit[0] == routes[0] and resplit[2:] == routes[2:]


def test_changes_against_keeps_only_real_changes():
    base = ScenarioParams()
    tiny = base.replace(discharges_per_week=base.discharges_per_week * (1 + 1e-9))
    assert summary.changes_against(base, tiny) == {}
    bigger = base.replace(discharges_per_week=180.0)
    assert summary.changes_against(base, bigger) == {"discharges_per_week": 180.0}


def test_headlines_are_quiet_when_nothing_changed_and_signed_when_it_did():
    base = ScenarioParams()
    runs = {
        summary.BASELINE: run_many(base, 26, runs=10, seed=1),
        summary.THIS_SCENARIO: run_many(base, 26, runs=10, seed=1),
    }
    table = summary.comparison_table(runs)
    assert {"Scenario", "Measure", "When", "Difference (%)"} <= set(table.columns)
    same = summary.headlines(table, 26)
    assert [h.label for h in same] == [
        "Spend to 31 March",
        "People in temporary residential care at week 26",
        "Homecare hours a week at week 26",
    ]
    assert all(h.delta == "same as baseline" and h.delta_color == "off" for h in same)
    assert [h.label for h in summary.headlines(table, 20)][1].endswith("week 13")

    runs[summary.THIS_SCENARIO] = run_many(
        base.replace(discharges_per_week=300.0), 26, runs=10, seed=1
    )
    more = summary.headlines(summary.comparison_table(runs), 26)
    assert more[0].delta.startswith("+£") and more[0].delta_color == "inverse"


def test_change_text():
    assert summary.change_text(0.4) == "same as baseline"
    assert summary.change_text(-12.0) == "-12 against baseline"
    assert summary.change_text(1_200_000, as_money=True) == "+£1.2m against baseline"


def test_routes_table_in_percent():
    table = summary.routes_table(ScenarioParams())
    assert table.height == 5 and table.columns[0] == "From"
    totals = table.select(pl.exclude("From")).sum_horizontal()
    assert totals.to_list() == pytest.approx([100.0] * 5, abs=0.3)
