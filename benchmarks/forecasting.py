"""Forecasting: backtest, choose and fit models for every stored series (each demand measure,
for the county and every district), as `forecast_all` does; `--quick` fits the county only."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from ascdemand.models.forecast.store_runs import DEFAULT_MEASURES, forecast_all, forecast_series
from benchmarks.harness import Result, timed


def _county(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The county series of every measure: `measure`, `chosen`, `problem` as in `forecast_all`."""
    rows = []
    for measure in DEFAULT_MEASURES:
        fc = forecast_series(con, measure)
        rows.append({"measure": measure, "chosen": fc.result.chosen, "problem": None})
    return pl.DataFrame(rows, schema_overrides={"problem": pl.String})


def measure(db: Path, repeat: int, quick: bool) -> list[Result]:
    """Median time to forecast every series (county series only when `quick`)."""
    with duckdb.connect(str(db), read_only=True) as con:
        fit = (lambda: _county(con)) if quick else (lambda: forecast_all(con))
        median, runs, table = timed(fit, repeat)
        weeks = con.execute("SELECT count(*) FROM calendar_weeks").fetchall()[0][0]
    fitted = table.filter(pl.col("problem").is_null())
    return [
        Result(
            "forecasting",
            "county series" if quick else "every series",
            median,
            runs,
            fitted.height,
            detail={
                "measures": list(DEFAULT_MEASURES),
                "series": table.height,
                "not_forecast": table.height - fitted.height,
                "weeks_of_history": weeks,
                "chosen_models": sorted(set(fitted["chosen"].to_list())),
            },
        )
    ]
