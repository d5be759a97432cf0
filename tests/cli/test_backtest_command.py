"""`ascdemand backtest`: the JSON contract on any weekly or monthly CSV, and refusals."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import polars as pl
import pytest

from ascdemand.cli import main


def _weekly_csv(path, n=80, gap_at=None):
    """A seeded random walk with drift, one row per Monday from 6 Jan 2020."""
    rng = np.random.default_rng(4)
    weeks = [dt.date(2020, 1, 6) + dt.timedelta(weeks=i) for i in range(n)]
    if gap_at is not None:
        del weeks[gap_at]
    values = (300 + np.cumsum(rng.normal(1, 6, len(weeks)))).round(1)
    pl.DataFrame({"week": weeks, "people": values}).write_csv(path)
    return path


def test_json_contract(tmp_path, capsys):
    """One JSON object: `chosen` and `models`, each model with the four measures; the
    chosen model has the lowest MASE and the baselines are always scored."""
    csv = _weekly_csv(tmp_path / "weekly.csv")
    args = ["backtest", "--csv", str(csv), "--date-col", "week", "--value-col", "people"]
    assert main([*args, "--horizon", "6", "--origins", "4", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"chosen", "models"}
    assert {"naive", "seasonal_naive"} <= set(payload["models"])
    for name, scores in payload["models"].items():
        assert set(scores) == {"mase", "smape", "coverage80", "coverage95"}, name
        assert 0 <= scores["coverage80"] <= scores["coverage95"] + 0.25 <= 1.25
    best = min(payload["models"], key=lambda m: payload["models"][m]["mase"])
    assert payload["chosen"] == best


def test_monthly_series(tmp_path, capsys):
    """Fifteen months (like the NHS sitrep), horizon 2, 3 origins: monthly steps accepted."""
    months = [dt.date(2022 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(15)]
    values = [5000 + 40 * i + (-1) ** i * 90 for i in range(15)]
    csv = tmp_path / "monthly.csv"
    pl.DataFrame({"month": months, "patients": values}).write_csv(csv)
    args = ["backtest", "--csv", str(csv), "--date-col", "month", "--value-col", "patients"]
    assert main([*args, "--freq", "M", "--horizon", "2", "--origins", "3", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["chosen"] in payload["models"]


def test_text_output_names_the_choice(tmp_path, capsys):
    csv = _weekly_csv(tmp_path / "weekly.csv")
    args = ["backtest", "--csv", str(csv), "--date-col", "week", "--value-col", "people"]
    assert main([*args, "--horizon", "4", "--origins", "2"]) == 0
    out = capsys.readouterr().out
    assert "Chosen:" in out
    assert "seasonal_naive" in out


@pytest.mark.parametrize(
    ("gap_at", "date_col", "message"),
    [(30, "week", "gap or uneven step after 2020-07-27"), (None, "day", "Column 'day' not found")],
)
def test_refuses_irregular_or_unknown_input(tmp_path, capsys, gap_at, date_col, message):
    """A missing Monday (the 31st, 3 Aug 2020, so the gap follows 27 Jul) or a wrong column name: exit 2, explained."""
    csv = _weekly_csv(tmp_path / "weekly.csv", gap_at=gap_at)
    args = ["backtest", "--csv", str(csv), "--date-col", date_col, "--value-col", "people"]
    assert main([*args, "--json"]) == 2
    assert message in capsys.readouterr().err


def test_refuses_blank_values(tmp_path, capsys):
    csv = tmp_path / "blank.csv"
    csv.write_text("week,people\n2020-01-06,5\n2020-01-13,\n2020-01-20,7\n")
    args = ["backtest", "--csv", str(csv), "--date-col", "week", "--value-col", "people"]
    assert main(args) == 2
    assert "blank or non-numeric" in capsys.readouterr().err
