"""`ascdemand forecast`: a stored series forecast as text or JSON, on the demo database."""

from __future__ import annotations

import datetime as dt
import json

from ascdemand.cli import main


def test_json_forecast_of_county_people(demo_db, capsys):
    """Four weeks after the demo's as-at date (Sunday 31 Oct 2021, last Monday 25 Oct):
    1, 8, 15 and 22 November, with nested non-negative intervals; the choice, its reason and
    out-of-sample scores for every model and the procedure."""
    args = ["--db", str(demo_db), "forecast", "--series", "homecare_people"]
    assert main([*args, "--horizon", "4", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    models = {s["model"] for s in payload["scores"]}
    assert payload["chosen"] in models and "chosen" in models
    assert payload["reason"]
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


def _csv(path, dates, values, date_col="Date", value_col="Patients"):
    path.write_text(
        f"{date_col},{value_col}\n"
        + "".join(f"{d},{v}\n" for d, v in zip(dates, values, strict=True))
    )
    return path


def _forecast_csv(path, *extra, date_col="Date", value_col="Patients"):
    args = ["forecast", "--csv", str(path), "--date-col", date_col, "--value-col", value_col]
    return main([*args, *extra])


def test_csv_forecast_json_contract(tmp_path, capsys):
    """Sixty weeks ending Monday 16 Jan 2023 as DD/MM/YYYY: {"model", "forecast"} only, with
    the thirteen Mondays after the last date, each with mean and nested 80%/95% bounds."""
    first = dt.date(2021, 11, 22)
    dates = [first + dt.timedelta(weeks=i) for i in range(60)]
    values = [500 + 3 * i + (i % 5) for i in range(60)]
    csv = _csv(tmp_path / "weekly.csv", [f"{d:%d/%m/%Y}" for d in dates], values)
    assert _forecast_csv(csv, "--json") == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload) == {"model", "forecast"}
    assert isinstance(payload["model"], str)
    rows = payload["forecast"]
    assert [r["date"] for r in rows] == [
        (dates[-1] + dt.timedelta(weeks=k)).isoformat() for k in range(1, 14)
    ]
    for row in rows:
        assert set(row) == {"date", "mean", "lo80", "hi80", "lo95", "hi95"}
        assert row["lo95"] <= row["lo80"] <= row["mean"] <= row["hi80"] <= row["hi95"]


def test_csv_forecast_monthly_from_excel_serials(tmp_path, capsys):
    """Twenty month-ends as Excel serial numbers (44681 is 30 Apr 2022), --freq M --horizon
    2: April 2022 to November 2023, so December 2023 and January 2024, dated by their first
    days."""
    months = [dt.date(2022 + (4 + i) // 12, (4 + i) % 12 + 1, 1) for i in range(20)]
    serials = [(m - dt.timedelta(days=1) - dt.date(1899, 12, 30)).days for m in months]
    assert serials[0] == 44681
    csv = _csv(tmp_path / "monthly.csv", serials, [100 + i for i in range(20)])
    assert _forecast_csv(csv, "--freq", "M", "--horizon", "2", "--json") == 0
    payload = json.loads(capsys.readouterr().out)
    assert [r["date"] for r in payload["forecast"]] == ["2023-12-01", "2024-01-01"]


def test_csv_forecast_uses_only_that_file(tmp_path, capsys):
    """No database is needed (none exists at the --db path)."""
    dates = [dt.date(2022, 1, 3) + dt.timedelta(weeks=i) for i in range(30)]
    csv = _csv(tmp_path / "w.csv", dates, [10] * 15 + [12] * 15)
    args = ["--db", str(tmp_path / "none.duckdb")]
    assert (
        main(
            [
                *args,
                "forecast",
                "--csv",
                str(csv),
                "--date-col",
                "Date",
                "--value-col",
                "Patients",
                "--horizon",
                "4",
                "--json",
            ]
        )
        == 0
    )
    assert len(json.loads(capsys.readouterr().out)["forecast"]) == 4


def test_csv_forecast_too_short(tmp_path, capsys):
    dates = [dt.date(2022, 1, 3) + dt.timedelta(weeks=i) for i in range(10)]
    csv = _csv(tmp_path / "w.csv", dates, range(10))
    assert _forecast_csv(csv, "--json") == 2
    assert "needs at least 19 weeks" in capsys.readouterr().err
