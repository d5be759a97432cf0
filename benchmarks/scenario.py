"""The scenario engine: one deterministic run and 500 Monte Carlo runs over 52 weeks, from the
baseline calibrated on the database (the Scenarios page's starting point)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ascdemand.models.scenario.calibrate import CalibrationInputs, calibrate
from ascdemand.models.scenario.engine import MAX_HORIZON, run_scenario
from ascdemand.models.scenario.montecarlo import bands, run_many
from ascdemand.models.scenario.params import ScenarioParams
from ascdemand.store import scenario_inputs
from ascdemand.store.meta import as_at_date
from benchmarks.harness import Result, timed
from benchmarks.page_queries import CALIBRATION_WEEKS

MONTE_CARLO_RUNS = 500


def baseline(db: Path) -> ScenarioParams:
    """The baseline calibrated on the database's last `CALIBRATION_WEEKS` weeks."""
    with duckdb.connect(str(db), read_only=True) as con:
        inputs = scenario_inputs.calibration_inputs(con, CALIBRATION_WEEKS, as_at_date(con))
    return calibrate(CalibrationInputs(**inputs)).params


def measure(db: Path, repeat: int, quick: bool) -> list[Result]:
    """Deterministic run and the Monte Carlo runs with their bands, over 52 weeks."""
    params = baseline(db)
    weeks = MAX_HORIZON
    median, runs, frame = timed(lambda: run_scenario(params, weeks), repeat)
    deterministic = Result("scenario", "deterministic run", median, runs, frame.height)

    def monte_carlo() -> int:
        trajectory = run_many(params, weeks, runs=MONTE_CARLO_RUNS)
        bands(trajectory)
        return trajectory.runs * len(trajectory.week_start)

    median, runs, rows = timed(monte_carlo, repeat)
    many = Result(
        "scenario",
        f"{MONTE_CARLO_RUNS} Monte Carlo runs",
        median,
        runs,
        rows,
        detail={"runs": MONTE_CARLO_RUNS, "weeks": weeks, "note": "rows are run-weeks"},
    )
    return [deterministic, many]
