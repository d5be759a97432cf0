"""`ascdemand backtest`: the JSON contract (selection and out-of-sample scores, the procedure
as "chosen"), series as published, and refusals."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import polars as pl

from ascdemand.cli import main


def _weekly_csv(path, n=80, gap_at=None, dates=None):
    """A seeded random walk with drift, one row per Monday from 6 Jan 2020."""
    rng = np.random.default_rng(4)
    weeks = dates or [dt.date(2020, 1, 6) + dt.timedelta(weeks=i) for i in range(n)]
    if gap_at is not None:
        del weeks[gap_at]
    values = (300 + np.cumsum(rng.normal(1, 6, len(weeks)))).round(1)
    pl.DataFrame({"week": weeks, "people": values}).write_csv(path)
    return path


def _backtest(csv, *extra):
    args = ["backtest", "--csv", str(csv), "--date-col", "week", "--value-col", "people"]
    return main([*args, *extra])


def test_json_contract(tmp_path, capsys):
    """One JSON object: the choice and why, and per model the selection scores (what the
    choice was based on) and the out-of-sample scores; the procedure itself is `chosen`."""
    csv = _weekly_csv(tmp_path / "weekly.csv")
    assert _backtest(csv, "--horizon", "6", "--json") == 0
    payload = json.loads(capsys.readouterr().out)
    assert {"chosen", "reason", "models", "warnings", "horizon", "step"} <= set(payload)
    assert payload["step"] == 1 and payload["horizon"] == 6
    models = payload["models"]
    assert {"naive", "seasonal_naive", "ses", "theta", "chosen"} <= set(models)
    measures = {"mase", "smape", "vs_naive", "coverage80", "coverage95", "origins"}
    for name, entry in models.items():
        assert set(entry["out_of_sample"]) == measures, name
        oos = entry["out_of_sample"]
        assert 0 <= oos["coverage80"] <= oos["coverage95"] <= 1, name
        if name != "chosen":
            assert set(entry["selection"]) == {"mase", "vs_naive", "windows"}, name
    procedure = models["chosen"]
    assert procedure["role"] == "procedure"
    # windows train on 6..74 points, one step apart; the first six have none complete before
    assert procedure["out_of_sample"]["origins"] == 80 - 6 - 6 + 1 - 6
    assert sum(procedure["picked"].values()) == 80 - 6 - 6 + 1
    assert payload["chosen"] in models
    assert models["naive"]["out_of_sample"]["vs_naive"] == 1.0


def test_origins_and_step(tmp_path, capsys):
    """Ten origins two weeks apart: ten backtest windows, so ten picks."""
    csv = _weekly_csv(tmp_path / "weekly.csv")
    assert _backtest(csv, "--horizon", "4", "--origins", "10", "--step", "2", "--json") == 0
    payload = json.loads(capsys.readouterr().out)
    assert sum(payload["models"]["chosen"]["picked"].values()) == 10
    assert payload["models"]["naive"]["selection"]["windows"] == 10


def test_monthly_series_told_from_the_dates(tmp_path, capsys):
    """Fifteen months (like the NHS sitrep) with no --freq: monthly, horizon 3 by default."""
    months = [dt.date(2022 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(15)]
    values = [5000 + 40 * i + (-1) ** i * 90 for i in range(15)]
    csv = tmp_path / "monthly.csv"
    pl.DataFrame({"month": months, "patients": values}).write_csv(csv)
    args = ["backtest", "--csv", str(csv), "--date-col", "month", "--value-col", "patients"]
    assert main([*args, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert (payload["freq"], payload["horizon"]) == ("M", 3)
    assert payload["chosen"] in payload["models"]


def test_text_output_separates_out_of_sample_from_selection(tmp_path, capsys):
    csv = _weekly_csv(tmp_path / "weekly.csv")
    assert _backtest(csv, "--horizon", "4") == 0
    out = capsys.readouterr().out
    assert out.index("Out of sample") < out.index("Selection") < out.index("Chosen:")
    assert "seasonal_naive" in out


def test_published_weekly_dates_are_accepted(tmp_path, capsys):
    """Date-times at midnight, Fridays then Mondays (as NHS England's weekly series): the
    weeks are dated by their Monday, and the note says so on standard error."""
    fridays = [dt.datetime(2022, 4, 1) + dt.timedelta(weeks=i) for i in range(12)]
    mondays = [dt.datetime(2022, 6, 20) + dt.timedelta(weeks=i) for i in range(30)]
    csv = tmp_path / "national.csv"
    _weekly_csv(csv, dates=[f"{d:%Y-%m-%d %H:%M:%S}" for d in fridays + mondays])
    assert _backtest(csv, "--horizon", "4", "--json") == 0
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert payload["points"] == 42
    assert "Fridays" in payload["warnings"][0] and "Mondays" in payload["warnings"][0]


def test_refuses_an_unknown_column(tmp_path, capsys):
    csv = _weekly_csv(tmp_path / "weekly.csv")
    args = ["backtest", "--csv", str(csv), "--date-col", "day", "--value-col", "people"]
    assert main([*args, "--json"]) == 2
    assert "Column 'day' not found" in capsys.readouterr().err


def test_a_missing_week_is_filled_and_named(tmp_path, capsys):
    """The 31st Monday (3 Aug 2020) is missing: it is interpolated and the note names it."""
    csv = _weekly_csv(tmp_path / "weekly.csv", gap_at=30)
    assert _backtest(csv, "--horizon", "4", "--json") == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["points"] == 80
    assert "03 Aug 2020" in payload["warnings"][0]


def test_refuses_text_values(tmp_path, capsys):
    csv = tmp_path / "text.csv"
    csv.write_text("week,people\n2020-01-06,5\n2020-01-13,lots\n2020-01-20,7\n")
    assert _backtest(csv) == 2
    assert "'lots' on row 3" in capsys.readouterr().err


def test_too_short_says_how_many_weeks_it_needs(tmp_path, capsys):
    csv = _weekly_csv(tmp_path / "short.csv", n=12)
    assert _backtest(csv) == 2
    assert "12 weeks; 13 weeks ahead needs at least 19 weeks" in capsys.readouterr().err
