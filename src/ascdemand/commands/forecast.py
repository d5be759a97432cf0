"""Forecast one stored weekly series for the county or a district.

The models are backtested from several earlier weeks, the one with the lowest MASE is
refitted on all the data, and its 80% and 95% intervals are calibrated on the backtest errors.
Series: homecare_hours, homecare_people, temp_residential_people,
temp_residential_admissions, discharges_to_social_care.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from ascdemand.models.forecast.store_runs import forecast_series
from ascdemand.store.connection import connect
from ascdemand.store.series import MEASURES

HELP = "forecast a stored weekly series (homecare hours, people, temporary beds)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Series, district, horizon, as-at date, output format."""
    parser.add_argument("--series", required=True, choices=sorted(MEASURES), metavar="NAME")
    parser.add_argument("--district", metavar="D", help="one district (default: the county)")
    parser.add_argument("--horizon", type=int, default=13, metavar="H", help="weeks ahead")
    parser.add_argument("--origins", type=int, default=6, metavar="N", help="backtest origins")
    parser.add_argument(
        "--as-at", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="last day of data"
    )
    parser.add_argument(
        "--with-discharges",
        action="store_true",
        help="also try discharges to social care as a leading indicator",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    """Print the forecast table; exit 2 when the database or the series cannot be used."""
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
            horizon=args.horizon,
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
            "forecast": [
                {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}
                for row in table.iter_rows(named=True)
            ],
            "scores": fc.result.scores.select("model", "mase", "smape", "coverage80", "coverage95")
            .fill_nan(None)
            .to_dicts(),
        }
        print(json.dumps(out))
        return 0
    where = args.district or "county"
    print(f"{MEASURES[args.series].label}, {where}: model {fc.result.chosen} (lowest MASE)")
    print(
        f"{'week':<12}{'forecast':>10}{'80% low':>10}{'80% high':>10}{'95% low':>10}{'95% high':>10}"
    )
    for row in table.iter_rows(named=True):
        print(
            f"{row['week_start']!s:<12}{row['mean']:>10,.0f}{row['lo_80']:>10,.0f}"
            f"{row['hi_80']:>10,.0f}{row['lo_95']:>10,.0f}{row['hi_95']:>10,.0f}"
        )
    return 0
