"""Scenario against baseline: the differences commissioners read at 13, 26 and 52 weeks and at
the financial year end."""

from __future__ import annotations

import polars as pl

from ascdemand.models.scenario.engine import Trajectory

CHECKPOINT_WEEKS = (13, 26, 52)
MEASURES = {
    "homecare_hours": "Homecare hours a week",
    "homecare": "People in homecare",
    "waiting": "People waiting for homecare",
    "unmet_hours": "Homecare hours needed but not delivered",
    "reablement": "People in reablement",
    "temporary": "People in temporary residential care",
    "permanent": "People in permanent residential care",
    "spend_total": "Weekly spend (£)",
    "cumulative_spend": "Spend since the start (£)",
}
YEAR_END_LINES = {
    "spend_homecare": "Homecare spend to 31 March (£)",
    "spend_reablement": "Reablement spend to 31 March (£)",
    "spend_temporary": "Temporary residential spend to 31 March (£)",
    "spend_permanent": "Permanent residential spend to 31 March (£)",
    "spend_total": "Total spend to 31 March (£)",
}


def differences(baseline: Trajectory, scenarios: dict[str, Trajectory]) -> pl.DataFrame:
    """Each scenario minus the baseline, on the mean over runs.

    Args:
        baseline: The baseline run(s).
        scenarios: Named scenario runs over the same weeks as the baseline.

    Returns:
        One row per scenario and measure: `scenario`, `measure`, `at` ("week 13", ...,
        "31 March"), `baseline`, `value`, `difference`, `percent`. Checkpoints beyond the
        horizon are left out.
    """
    weeks = len(baseline.week_start)
    rows = []
    base_year = {k: float(v.mean()) for k, v in baseline.year_end_totals().items()}
    for name, run in scenarios.items():
        if len(run.week_start) != weeks:
            raise ValueError(f"Scenario {name!r} covers {len(run.week_start)} weeks, not {weeks}.")
        for key, label in MEASURES.items():
            for week in (w for w in CHECKPOINT_WEEKS if w <= weeks):
                base = float(baseline.series[key][:, week - 1].mean())
                value = float(run.series[key][:, week - 1].mean())
                rows.append((name, label, f"week {week}", base, value))
        year = run.year_end_totals()
        for key, label in YEAR_END_LINES.items():
            rows.append((name, label, "31 March", base_year[key], float(year[key].mean())))
    frame = pl.DataFrame(
        rows,
        schema={
            "scenario": pl.String,
            "measure": pl.String,
            "at": pl.String,
            "baseline": pl.Float64,
            "value": pl.Float64,
        },
        orient="row",
    )
    return frame.with_columns(difference=pl.col("value") - pl.col("baseline")).with_columns(
        percent=pl.when(pl.col("baseline") != 0)
        .then(100 * pl.col("difference") / pl.col("baseline"))
        .otherwise(None)
    )
