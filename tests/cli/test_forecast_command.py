"""`ascdemand forecast`: a stored series forecast as text or JSON, on the demo database."""

from __future__ import annotations

import datetime as dt
import json

from ascdemand.cli import main


def test_json_forecast_of_county_people(demo_db, capsys):
    """Four weeks after the demo's as-at date (Sunday 31 Oct 2021, last Monday 25 Oct):
    1, 8, 15 and 22 November, with nested non-negative intervals."""
    args = ["--db", str(demo_db), "forecast", "--series", "homecare_people"]
    assert main([*args, "--horizon", "4", "--origins", "2", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["chosen"] in {s["model"] for s in payload["scores"]}
    weeks = [dt.date.fromisoformat(r["week_start"]) for r in payload["forecast"]]
    assert weeks == [dt.date(2021, 11, 1) + dt.timedelta(weeks=k) for k in range(4)]
    for row in payload["forecast"]:
        assert 0 <= row["lo_95"] <= row["lo_80"] <= row["mean"] <= row["hi_80"] <= row["hi_95"]


def test_text_forecast_for_a_district(demo_db, capsys):
    args = ["--db", str(demo_db), "forecast", "--series", "temp_residential_people"]
    assert main([*args, "--district", "Melton", "--horizon", "3", "--origins", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("People in temporary residential care, Melton: model ")
    assert len(out.strip().splitlines()) == 2 + 3


def test_missing_database(tmp_path, capsys):
    args = ["--db", str(tmp_path / "none.duckdb"), "forecast", "--series", "homecare_hours"]
    assert main(args) == 2
    assert "No database" in capsys.readouterr().err
