"""Evaluate the forecast models, and the way one is chosen, on a weekly or monthly CSV series.

Every candidate forecasts the series from every past origin (one step apart by default, as
many as the history allows) and is scored on what happened next. At each origin the choice is
replayed with only the data before it, so the scores of the selection procedure ("chosen") and
of every model are out of sample: forecasts of data the choice never saw. The scores the final
choice was made on ("selection") are printed separately; they flatter the winner.

Scores: MASE (mean absolute error over the typical one-step change; below 1 beats it), its
ratio to naive's on the same origins, sMAPE in percent, and the share of outcomes inside the
calibrated 80% and 95% intervals. With --json the output is one object:
{"chosen": NAME, "reason": TEXT, "freq", "points", "horizon", "step", "warnings": [...],
 "models": {NAME: {"role", "selection": {"mase", "vs_naive", "windows"},
                   "out_of_sample": {"mase", "smape", "vs_naive", "coverage80", "coverage95",
                                     "origins"}},
            "chosen": {"role": "procedure", "out_of_sample": {...}, "picked": {NAME: N}}}}.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import sys

import polars as pl

from ascdemand.models.forecast import DEFAULT_CANDIDATES, MODELS, forecast
from ascdemand.models.forecast.regular import (
    DEFAULT_HORIZON,
    PERIOD,
    SEASON_LENGTH,
    check_length,
    regular_series,
)

HELP = "evaluate the forecast models out of sample on a weekly or monthly series from a CSV file"

OUT_OF_SAMPLE = ("mase", "smape", "vs_naive", "coverage80", "coverage95")


def add_series_arguments(parser: argparse.ArgumentParser) -> None:
    """The CSV file, its two columns, the frequency and the horizon (shared with forecast)."""
    parser.add_argument("--date-col", metavar="COL", help="column of dates")
    parser.add_argument("--value-col", metavar="COL", help="column of values")
    parser.add_argument(
        "--freq",
        choices=sorted(SEASON_LENGTH),
        help="W weekly, M monthly (default: told from the dates)",
    )
    parser.add_argument(
        "--horizon", type=int, metavar="H", help="steps ahead (default 13 weekly, 3 monthly)"
    )
    parser.add_argument(
        "--origins",
        type=int,
        metavar="N",
        help="most backtest origins (default: as many as the history allows)",
    )
    parser.add_argument(
        "--step", type=int, default=1, metavar="S", help="steps between origins (default 1)"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The CSV file and series options, the models to compare, output format."""
    parser.add_argument("--csv", required=True, metavar="FILE", help="CSV file with a header row")
    add_series_arguments(parser)
    parser.add_argument(
        "--models",
        metavar="A,B",
        help=f"models to compare (default {','.join(DEFAULT_CANDIDATES)}; also "
        f"{','.join(m for m in MODELS if m not in DEFAULT_CANDIDATES)})",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _number(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 6)


def read_series(args: argparse.Namespace):
    """The CSV's series, made regular, and the horizon; raises ValueError with the reason."""
    if not args.date_col or not args.value_col:
        raise ValueError("Give --date-col and --value-col with --csv.")
    frame = pl.read_csv(args.csv, infer_schema_length=0)
    series = regular_series(frame, date_col=args.date_col, value_col=args.value_col, freq=args.freq)
    horizon = args.horizon or DEFAULT_HORIZON[series.freq]
    check_length(series.frame.height, horizon, series.freq)
    return series, horizon


def run(args: argparse.Namespace) -> int:
    """Print the out-of-sample and selection scores and the choice; exit 2 on unusable input."""
    candidates = DEFAULT_CANDIDATES if not args.models else tuple(args.models.split(","))
    try:
        series, horizon = read_series(args)
        values = series.values
        result = forecast(
            values,
            horizon,
            season_length=SEASON_LENGTH[series.freq],
            origins=args.origins,
            step=args.step,
            candidates=candidates,
            nonnegative=bool((values >= 0).all()),
        )
    except (OSError, pl.exceptions.PolarsError, ValueError) as err:
        print(f"Cannot backtest {args.csv}: {err}", file=sys.stderr)
        return 2
    scores = result.scores
    procedure = result.backtest.filter(model="chosen")
    picked = collections.Counter(
        procedure.unique("origin", keep="first", maintain_order=True)["picked"].to_list()
    )
    if args.json:
        models = {}
        for row in scores.iter_rows(named=True):
            entry = {
                "role": row["role"],
                "out_of_sample": {
                    **{key: _number(row[key]) for key in OUT_OF_SAMPLE},
                    "origins": row["origins"],
                },
            }
            if row["model"] == "chosen":
                entry["picked"] = dict(picked)
            else:
                entry["selection"] = {
                    "mase": _number(row["selection_mase"]),
                    "vs_naive": _number(row["selection_vs_naive"]),
                    "windows": row["selection_windows"],
                }
            models[row["model"]] = entry
        payload = {
            "chosen": result.chosen,
            "reason": result.reason,
            "freq": series.freq,
            "points": series.frame.height,
            "horizon": horizon,
            "step": args.step,
            "warnings": list(series.warnings),
            "models": models,
        }
        print(json.dumps(payload))
        return 0
    for warning in series.warnings:
        print(f"Note: {warning}", file=sys.stderr)
    period = PERIOD[series.freq]
    chosen_row = scores.filter(model="chosen").row(0, named=True)
    print(
        f"{series.frame.height} {period}s, {horizon} {period}s ahead, origins {args.step} "
        f"{period}(s) apart; {chosen_row['origins']} scored out of sample."
    )
    print("\nOut of sample: forecasts of data the choice never saw.")
    print(
        f"{'model':<18}{'role':<11}{'MASE':>7}{'vs naive':>10}{'sMAPE %':>9}"
        f"{'cover 80%':>11}{'cover 95%':>11}"
    )
    order = pl.col("model") != "chosen"
    for row in scores.sort(order, "vs_naive", nulls_last=True).iter_rows(named=True):
        print(
            f"{row['model']:<18}{row['role']:<11}{row['mase']:>7.3f}{row['vs_naive']:>10.3f}"
            f"{row['smape']:>9.2f}{row['coverage80']:>11.0%}{row['coverage95']:>11.0%}"
        )
    shown = ", ".join(f"{name} at {n}" for name, n in picked.most_common())
    print(f"The selection picked {shown} of its origins.")
    print("\nSelection: the windows the final choice was made on (they flatter the winner).")
    print(f"{'model':<18}{'MASE':>7}{'vs naive':>10}{'windows':>9}")
    for row in scores.filter(pl.col("model") != "chosen").iter_rows(named=True):
        print(
            f"{row['model']:<18}{row['selection_mase']:>7.3f}"
            f"{row['selection_vs_naive']:>10.3f}{row['selection_windows']:>9}"
        )
    print(f"\nChosen: {result.chosen}. {result.reason}")
    return 0
