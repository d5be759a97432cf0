"""Run a discharge what-if scenario from a JSON file of parameter changes and print the weekly
results and the spend to 31 March against the baseline.

The baseline is calibrated on the database's extracts (the last `--window` weeks to the as-at
date); with no database or no discharges it is the built-in default. The file holds an object of
parameter names and values, e.g. {"discharges_per_week": 90, "hours_per_person": 12}.

Example:
  ascdemand scenario --params reviews.json --horizon 26 --json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import polars as pl

from ascdemand.models.scenario.calibrate import CalibrationInputs, calibrate
from ascdemand.models.scenario.compare import YEAR_END_LINES
from ascdemand.models.scenario.engine import MAX_HORIZON, financial_year_end, simulate
from ascdemand.models.scenario.montecarlo import run_many, year_end_bands
from ascdemand.models.scenario.outturn_effect import outturn_effect
from ascdemand.models.scenario.params import ScenarioParams
from ascdemand.store import connection, meta, scenario_inputs

HELP = "run a discharge what-if scenario from a JSON parameter file"
WEEKLY_COLUMNS = (
    "week",
    "week_start",
    "discharges",
    "homecare",
    "homecare_hours",
    "reablement",
    "waiting",
    "unmet_hours",
    "temporary",
    "permanent",
    "spend_homecare",
    "spend_reablement",
    "spend_temporary",
    "spend_permanent",
    "spend_total",
    "cumulative_spend",
)

# the printed table: the columns a reader scans; --json carries every column
TABLE_COLUMNS = (
    "week",
    "week_start",
    "homecare",
    "homecare_hours",
    "waiting",
    "temporary",
    "permanent",
    "spend_total",
    "cumulative_spend",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--params", required=True, type=Path, help="JSON file of changes")
    parser.add_argument("--horizon", type=int, default=MAX_HORIZON, help="weeks, 1-52")
    parser.add_argument("--window", type=int, default=26, help="calibration weeks (default 26)")
    parser.add_argument("--runs", type=int, default=0, help="Monte Carlo runs for 80%% bands")
    parser.add_argument("--seed", type=int, default=2021, help="random seed for --runs")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def baseline(db: Path, window: int) -> tuple[ScenarioParams, str]:
    """The calibrated baseline when the database has discharges, else the defaults."""
    if not db.exists():
        return ScenarioParams(), f"defaults (no database at {db})"
    with connection.connect(db, read_only=True) as con:
        as_at = meta.as_at_date(con)
        inputs = scenario_inputs.calibration_inputs(con, window, as_at)
    if inputs["discharges"].is_empty():
        return ScenarioParams(), "defaults (no discharges loaded)"
    return calibrate(CalibrationInputs(**inputs)).params, f"calibrated on {window} weeks to {as_at}"


def run(args: argparse.Namespace) -> int:
    try:
        changes = json.loads(args.params.read_text())
        if not isinstance(changes, dict):
            raise ValueError("the file must hold a JSON object of parameter names and values")
        base, source = baseline(args.db, args.window)
        scenario = ScenarioParams.from_dict(changes, base)
        scenario_run = simulate(scenario, args.horizon)
    except (OSError, ValueError) as error:
        print(f"ascdemand scenario: {error}", file=sys.stderr)
        return 2
    weekly = (
        scenario_run.frame()
        .with_columns(discharges=pl.lit(scenario.discharges_per_week))
        .select(WEEKLY_COLUMNS)
    )
    base_year = {k: float(v[0]) for k, v in simulate(base, args.horizon).year_end_totals().items()}
    year = {k: float(v[0]) for k, v in scenario_run.year_end_totals().items()}
    result = {
        "baseline": source,
        "params": scenario.to_dict(),
        "weekly": weekly.with_columns(pl.col("week_start").cast(pl.String)).to_dicts(),
        "year_end": {
            key: {
                "scenario": year[key],
                "baseline": base_year[key],
                "difference": year[key] - base_year[key],
            }
            for key in YEAR_END_LINES
        },
    }
    if args.runs > 0:
        runs = run_many(scenario, args.horizon, runs=args.runs, seed=args.seed)
        base_runs = run_many(base, args.horizon, runs=args.runs, seed=args.seed)
        bands = year_end_bands(runs)
        result["year_end_80"] = {
            row["series"]: [row["lo_80"], row["hi_80"]] for row in bands.to_dicts()
        }
        effect = outturn_effect(base_runs, runs)
    else:
        effect = outturn_effect(simulate(base, args.horizon), scenario_run)
    result["outturn_effect"] = {
        "this_year": round(effect.this_year, 2),
        "range80": [round(v, 2) for v in effect.range80],
        "full_year_next": round(effect.full_year_next, 2),
    }
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return 0
    print(f"Baseline: {source}. Scenario from {scenario.start_date:%d %B %Y}.")
    table = weekly.select(TABLE_COLUMNS).with_columns(pl.col(pl.Float64).round(0).cast(pl.Int64))
    with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_width_chars=160, tbl_hide_column_data_types=True):
        print(table)
    ends = scenario_run.week_start[-1] + dt.timedelta(days=6)
    cover = (
        "" if ends >= financial_year_end(scenario.start_date) else f" (to {ends}, end of horizon)"
    )
    spread = (
        f" (80% range {effect.range80[0]:+,.0f} to {effect.range80[1]:+,.0f})"
        if args.runs > 0
        else " (add --runs 500 for an 80% range)"
    )
    print(
        f"\nEffect on this year's outturn: {effect.this_year:+,.0f}{spread}; "
        f"full-year effect next year: {effect.full_year_next:+,.0f}"
    )
    print(f"\nSpend to 31 March (£){cover}:")
    for key, label in YEAR_END_LINES.items():
        line = result["year_end"][key]
        print(
            f"  {label.removesuffix(' (£)'):<45} {line['scenario']:>16,.0f} "
            f"(baseline {line['baseline']:,.0f}; difference {line['difference']:+,.0f})"
        )
    return 0
