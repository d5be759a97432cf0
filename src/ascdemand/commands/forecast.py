"""Forecast one stored weekly series for the county or a district, or any series in a CSV file.

Every candidate forecasts the series from every past origin; at each origin the choice is
replayed with only the data before it, which gives the out-of-sample scores. The rule keeps
naive (the last value) unless another model beat it clearly over many origins; the model it
picks is refitted on all the data, and its 80% and 95% intervals are calibrated on the
selection procedure's out-of-sample errors.

Stored series (--series): homecare_hours, homecare_people, temp_residential_people,
temp_residential_admissions, discharges_to_social_care.

A CSV file (--csv FILE --date-col C --value-col V [--freq W|M] [--horizon H]) is forecast from
that file alone, for the periods after its last date; dates may be ISO, DD/MM/YYYY, date-times
or Excel serial numbers, and weeks are dated by their Monday. With --json it prints
{"model": NAME, "forecast": [{"date", "mean", "lo80", "hi80", "lo95", "hi95"}]}; notes about
the dates (relabelled weeks, filled gaps) go to standard error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

import polars as pl

from ascdemand.commands.backtest import add_series_arguments, read_series
from ascdemand.models.forecast import forecast
from ascdemand.models.forecast.regular import PERIOD, SEASON_LENGTH
from ascdemand.models.forecast.store_runs import forecast_series
from ascdemand.store.connection import connect
from ascdemand.store.series import MEASURES

HELP = "forecast a stored weekly series, or any weekly or monthly series in a CSV file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Series or CSV file, district, horizon, as-at date, output format."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--series", choices=sorted(MEASURES), metavar="NAME")
    source.add_argument("--csv", metavar="FILE", help="forecast a series from a CSV file")
    add_series_arguments(parser)
    parser.add_argument("--district", metavar="D", help="one district (default: the county)")
    parser.add_argument(
        "--as-at", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="last day of data"
    )
    parser.add_argument(
        "--with-discharges",
        action="store_true",
        help="also try discharges to social care as a leading indicator",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _next_periods(last: dt.date, freq: str, horizon: int) -> list[dt.date]:
    if freq == "W":
        return [last + dt.timedelta(weeks=k) for k in range(1, horizon + 1)]
    index = last.year * 12 + last.month - 1
    return [dt.date((index + k) // 12, (index + k) % 12 + 1, 1) for k in range(1, horizon + 1)]


def _run_csv(args: argparse.Namespace) -> int:
    try:
        series, horizon = read_series(args)
        values = series.values
        result = forecast(
            values,
            horizon,
            season_length=SEASON_LENGTH[series.freq],
            origins=args.origins,
            step=args.step,
            nonnegative=bool((values >= 0).all()),
        )
    except (OSError, pl.exceptions.PolarsError, ValueError) as err:
        print(f"Cannot forecast {args.csv}: {err}", file=sys.stderr)
        return 2
    for warning in series.warnings:
        print(f"Note: {warning}", file=sys.stderr)
    dates = _next_periods(series.frame["date"][-1], series.freq, horizon)
    rows = [
        {
            "date": date.isoformat(),
            "mean": round(row["mean"], 6),
            "lo80": round(row["lo_80"], 6),
            "hi80": round(row["hi_80"], 6),
            "lo95": round(row["lo_95"], 6),
            "hi95": round(row["hi_95"], 6),
        }
        for date, row in zip(dates, result.forecast.iter_rows(named=True), strict=True)
    ]
    if args.json:
        print(json.dumps({"model": result.chosen, "forecast": rows}))
        return 0
    period = PERIOD[series.freq]
    print(f"{args.csv}: model {result.chosen}. {result.reason}")
    print(
        f"{period:<12}{'forecast':>12}{'80% low':>12}{'80% high':>12}{'95% low':>12}{'95% high':>12}"
    )
    for row in rows:
        print(
            f"{row['date']:<12}{row['mean']:>12,.1f}{row['lo80']:>12,.1f}{row['hi80']:>12,.1f}"
            f"{row['lo95']:>12,.1f}{row['hi95']:>12,.1f}"
        )
    return 0


def run(args: argparse.Namespace) -> int:
    """Print the forecast table; exit 2 when the data or the series cannot be used."""
    if args.csv:
        return _run_csv(args)
    try:
        con = connect(args.db, read_only=True)
    except FileNotFoundError as err:
        print(str(err), file=sys.stderr)
        return 2
    try:
        fc = forecast_series(
            con,
            args.series,
            district=args.district,
            as_at=args.as_at,
            horizon=args.horizon or 13,
            origins=args.origins,
            with_discharges=args.with_discharges,
        )
    except ValueError as err:
        print(f"Cannot forecast {args.series}: {err}", file=sys.stderr)
        return 2
    finally:
        con.close()
    table = fc.forecast.drop("sd")
    if args.json:
        out = {
            "series": args.series,
            "district": args.district,
            "chosen": fc.result.chosen,
            "reason": fc.result.reason,
            "forecast": [
                {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}
                for row in table.iter_rows(named=True)
            ],
            "scores": fc.result.scores.select(
                "model", "role", "mase", "smape", "vs_naive", "coverage80", "coverage95"
            )
            .fill_nan(None)
            .to_dicts(),
        }
        print(json.dumps(out))
        return 0
    where = args.district or "county"
    print(f"{MEASURES[args.series].label}, {where}: model {fc.result.chosen}. {fc.result.reason}")
    print(
        f"{'week':<12}{'forecast':>10}{'80% low':>10}{'80% high':>10}{'95% low':>10}{'95% high':>10}"
    )
    for row in table.iter_rows(named=True):
        print(
            f"{row['week_start']!s:<12}{row['mean']:>10,.0f}{row['lo_80']:>10,.0f}"
            f"{row['hi_80']:>10,.0f}{row['lo_95']:>10,.0f}{row['hi_95']:>10,.0f}"
        )
    return 0
