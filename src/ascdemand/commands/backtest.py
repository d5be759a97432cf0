"""Backtest the forecast models on any regular weekly or monthly series in a CSV file.

Each candidate forecasts the series from several earlier origins (rolling origin) and is
scored against what happened next: MASE (mean absolute error over the typical one-step
change; below 1 beats it), sMAPE in percent, and the share of outcomes inside the calibrated
80% and 95% intervals. The model with the lowest MASE is chosen. With --json the output is
one object: {"chosen": NAME, "models": {NAME: {"mase", "smape", "coverage80", "coverage95"}}}.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import polars as pl

from ascdemand.models.forecast import DEFAULT_CANDIDATES, forecast
from ascdemand.models.forecast.regular import DEFAULT_HORIZON, SEASON_LENGTH, regular_series

HELP = "backtest the forecast models on a weekly or monthly series from a CSV file"

PUBLISHED = ("mase", "smape", "coverage80", "coverage95")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The CSV file, its two columns, the frequency, horizon and number of origins."""
    parser.add_argument("--csv", required=True, metavar="FILE", help="CSV file with a header row")
    parser.add_argument("--date-col", required=True, metavar="COL", help="column of dates")
    parser.add_argument("--value-col", required=True, metavar="COL", help="column of values")
    parser.add_argument(
        "--freq", choices=sorted(SEASON_LENGTH), default="W", help="W weekly (default), M monthly"
    )
    parser.add_argument(
        "--horizon", type=int, metavar="H", help="steps ahead (default 13 weekly, 3 monthly)"
    )
    parser.add_argument("--origins", type=int, default=6, metavar="N", help="backtest origins")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 6)


def run(args: argparse.Namespace) -> int:
    """Print the score table and the chosen model; exit 2 on unreadable or irregular input."""
    horizon = args.horizon or DEFAULT_HORIZON[args.freq]
    try:
        frame = pl.read_csv(args.csv, infer_schema_length=0)
        series = regular_series(
            frame, date_col=args.date_col, value_col=args.value_col, freq=args.freq
        )
        values = series["value"].to_numpy()
        result = forecast(
            values,
            horizon,
            season_length=SEASON_LENGTH[args.freq],
            origins=args.origins,
            candidates=DEFAULT_CANDIDATES,
            nonnegative=bool((values >= 0).all()),
        )
    except (OSError, pl.exceptions.PolarsError, ValueError) as err:
        print(f"Cannot backtest {args.csv}: {err}", file=sys.stderr)
        return 2
    if args.json:
        models = {
            row["model"]: {key: _number(row[key]) for key in PUBLISHED}
            for row in result.scores.iter_rows(named=True)
        }
        print(json.dumps({"chosen": result.chosen, "models": models}))
        return 0
    origins = result.backtest["origin"].n_unique()
    print(f"{series.height} points, horizon {horizon}, {origins} origins.")
    print(f"{'model':<16}{'MASE':>8}{'sMAPE %':>9}{'cover 80%':>11}{'cover 95%':>11}")
    for row in result.scores.sort("mase", nulls_last=True).iter_rows(named=True):
        print(
            f"{row['model']:<16}{row['mase']:>8.3f}{row['smape']:>9.2f}"
            f"{row['coverage80']:>11.0%}{row['coverage95']:>11.0%}"
        )
    print(f"Chosen: {result.chosen} (lowest MASE)")
    return 0
