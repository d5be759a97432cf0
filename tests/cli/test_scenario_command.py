"""`ascdemand scenario`: weekly outputs and year-end totals for a parameter file."""

from __future__ import annotations

import json

import pytest

from ascdemand.cli import main
from ascdemand.models.scenario.engine import simulate
from ascdemand.models.scenario.params import ScenarioParams


@pytest.fixture
def params_file(tmp_path):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps({"hours_per_person": 12, "discharges_per_week": 90}))
    return path


def test_json_output_has_weekly_rows_and_year_end_against_baseline(tmp_path, params_file, capsys):
    code = main(
        ["--db", str(tmp_path / "none.duckdb"), "scenario", "--params", str(params_file)]
        + ["--horizon", "26", "--json"]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["baseline"].startswith("defaults")
    assert len(out["weekly"]) == 26 and out["weekly"][0]["week"] == 1
    expected = simulate(ScenarioParams(hours_per_person=12.0, discharges_per_week=90.0), 26)
    total = out["year_end"]["spend_total"]
    assert total["scenario"] == pytest.approx(float(expected.year_end_totals()["spend_total"][0]))
    assert total["difference"] == pytest.approx(total["scenario"] - total["baseline"])
    assert total["difference"] < 0


def test_table_output_and_bands(tmp_path, params_file, capsys):
    args = ["--db", str(tmp_path / "none.duckdb"), "scenario", "--params", str(params_file)]
    assert main([*args, "--horizon", "4", "--runs", "50", "--json"]) == 0
    bands = json.loads(capsys.readouterr().out)["year_end_80"]["spend_total"]
    assert bands[0] <= bands[1]
    assert main([*args, "--horizon", "4"]) == 0
    text = capsys.readouterr().out
    assert "Total spend to 31 March" in text and "end of horizon" in text


def test_bad_parameters_exit_2_with_the_parameter_named(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"reablement_weeks": 0}))
    assert main(["--db", str(tmp_path / "x.duckdb"), "scenario", "--params", str(bad)]) == 2
    assert "'reablement_weeks'" in capsys.readouterr().err
    bad.write_text("[1, 2]")
    assert main(["--db", str(tmp_path / "x.duckdb"), "scenario", "--params", str(bad)]) == 2
    assert "JSON object" in capsys.readouterr().err


def test_baseline_is_calibrated_on_the_database(demo_db, params_file, capsys):
    """On the demo database the baseline starts on the last Monday before the as-at date."""
    args = ["--db", str(demo_db), "scenario", "--params", str(params_file), "--horizon", "13"]
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["baseline"] == "calibrated on 26 weeks to 2021-10-31"
    assert out["weekly"][0]["week_start"] == "2021-10-25"
    assert out["params"]["hours_per_person"] == 12.0


def test_json_carries_the_effect_on_the_outturn(tmp_path, params_file, capsys):
    """Deterministic: the effect this year is the year-end spend difference; with runs, the
    80% range brackets the mean and the full-year effect has the same sign."""
    db = str(tmp_path / "none.duckdb")
    assert main(["--db", db, "scenario", "--params", str(params_file), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    effect = out["outturn_effect"]
    assert set(effect) == {"this_year", "range80", "full_year_next"}
    difference = out["year_end"]["spend_total"]["difference"]
    assert effect["this_year"] == pytest.approx(difference, abs=0.01)
    assert (
        main(["--db", db, "scenario", "--params", str(params_file), "--json", "--runs", "50"]) == 0
    )
    ranged = json.loads(capsys.readouterr().out)["outturn_effect"]
    low, high = ranged["range80"]
    assert low <= ranged["this_year"] <= high
    assert (ranged["full_year_next"] < 0) == (effect["full_year_next"] < 0)
