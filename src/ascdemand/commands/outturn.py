"""Forecast the year-end outturn of each service line against budget, as at a period.

Actuals to the period come from the ledger; the rest of the year from the people in care at the
period end (committed cost, with exits at observed rates), recent demand, and income run on at
its recent rate. Money is in pounds; income lines are negative; a positive variance is an
overspend.

Example: ascdemand outturn --year 2021/22 --period 5 --json
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from ascdemand.briefing.money import outturn_track_record
from ascdemand.models.budget.labels import line_label
from ascdemand.models.budget.outturn import BudgetInputs, forecast_outturn, position
from ascdemand.models.budget.track_record import outturn_range, range_coverage
from ascdemand.store import budget_inputs
from ascdemand.store.connection import connect

HELP = "forecast year-end outturn against budget by service line, as at a financial period"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """[--year 2021/22] [--period P] [--json]."""
    parser.add_argument("--year", help="financial year like 2021/22 (default: the latest)")
    parser.add_argument(
        "--period",
        type=int,
        help="as-at period, 1 (April) to 12 (default: the latest period in the ledger)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _money(value: float) -> str:
    return f"-£{-value:,.0f}" if value < 0 else f"£{value:,.0f}"


def run(args: argparse.Namespace) -> int:
    """Print the forecast by service line and the net position; 2 on a bad year or period."""
    try:
        con = connect(args.db, read_only=True)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        years = budget_inputs.financial_years(con)
        year = args.year or (years[0] if years else None)
        if year is None or year not in years:
            print(f"No budget or ledger for {year or 'any year'}; have: {years}", file=sys.stderr)
            return 2
        latest = budget_inputs.last_period(con, year)
        period = latest if args.period is None else args.period
        if not 1 <= period <= max(latest, 1) or latest == 0:
            print(
                f"Period must be 1 to {latest}, the last period with actuals in {year}.",
                file=sys.stderr,
            )
            return 2
        frames = budget_inputs.budget_inputs(con, year, period)
        record = outturn_track_record(con, before=year)
    finally:
        con.close()
    forecast = forecast_outturn(BudgetInputs(year, period, **frames))
    summary = position(forecast.lines)
    found = outturn_range(summary.net_overspend, period, record)
    if args.json:
        payload = {
            "year": year,
            "period": period,
            "lines": [
                {"label": line_label(r["service_line"]), **r}
                for r in forecast.lines.iter_rows(named=True)
            ],
            "position": dataclasses.asdict(summary),
            "range80": None if found is None else [round(found.low, 2), round(found.high, 2)],
            "range_coverage": range_coverage(record),
            "track_record": [
                {k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}
                for row in record.iter_rows(named=True)
            ],
        }
        print(json.dumps(payload, indent=2))
        return 0
    print(f"Forecast outturn {year}, as at period {period} (pounds; income negative)")
    print(f"{'Service line':32}{'Budget':>16}{'Forecast':>16}{'Variance':>16}  Recurrent")
    for row in forecast.lines.iter_rows(named=True):
        print(
            f"{line_label(row['service_line']):32}{_money(row['budget']):>16}"
            f"{_money(row['outturn']):>16}{_money(row['variance']):>16}  "
            f"{'yes' if row['recurrent'] else 'no'}"
        )
    print(f"{'Total':32}{_money(summary.budget):>16}{_money(summary.outturn):>16}")
    print(f"Gross overspend:       {_money(summary.gross_overspend)}")
    print(f"Offsets:               {_money(summary.offsets)}")
    print(f"Net overspend:         {_money(summary.net_overspend)}")
    if found is None:
        print("80% range: not enough complete years in the data to judge the forecast by.")
    else:
        print(
            f"80% range:             {_money(found.low)} to {_money(found.high)} (from the "
            f"forecast's errors at this point of {len(found.years)} complete year(s))"
        )
    print(f"Full-year effect (next year's MTFS pressure): {_money(summary.full_year_effect)}")
    return 0
