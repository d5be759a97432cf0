"""Forecasting: backtest, choose and fit models for every stored series (each demand measure,
for the county and every district), as `ascdemand forecast` does."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ascdemand.models.forecast.store_runs import DEFAULT_MEASURES, forecast_all
from benchmarks.harness import Result, timed

# --quick fits one measure (still the county and every district).
QUICK_MEASURES = ("homecare_people",)


def measure(db: Path, repeat: int, quick: bool) -> list[Result]:
    """Median time to forecast every series; rows are the series fitted."""
    measures = QUICK_MEASURES if quick else DEFAULT_MEASURES
    with duckdb.connect(str(db), read_only=True) as con:
        median, runs, table = timed(lambda: forecast_all(con, measures=measures), repeat)
        weeks = con.execute("SELECT count(*) FROM calendar_weeks").fetchall()[0][0]
    fitted = table.filter(table["problem"].is_null())
    return [
        Result(
            "forecasting",
            "every series",
            median,
            runs,
            fitted.height,
            detail={
                "measures": list(measures),
                "series": table.height,
                "not_forecast": table.height - fitted.height,
                "weeks_of_history": weeks,
                "chosen_models": sorted(set(fitted["chosen"].to_list())),
            },
        )
    ]
