"""Loading: validate, pseudonymise and load a generated care-packages CSV of 1 million rows into
a copy of the database, through the same copy-and-swap writer as `ascdemand load`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from ascdemand.store.contract import CLIENT_GROUPS, PACKAGE_SOURCES, SERVICE_TYPES
from ascdemand.store.load import load_path
from ascdemand.store.meta import as_at_date
from benchmarks.harness import Result, timed

FULL_ROWS = 1_000_000
QUICK_ROWS = 20_000
HISTORY_DAYS = 5 * 365


def generate_packages(
    rows: int, as_at: dt.date, districts: list[str], seed: int = 9
) -> pl.DataFrame:
    """`rows` valid care packages, one person each, all dated on or before `as_at`; package ids
    start with `BENCH-` so they never clash with stored ones."""
    rng = np.random.default_rng(seed)
    last = (as_at - dt.date(1970, 1, 1)).days
    start = last - rng.integers(0, HISTORY_DAYS, rows)
    length = rng.integers(7, 3 * 365, rows)
    ended = (rng.random(rows) < 0.6) & (start + length <= last)
    service = rng.choice(SERVICE_TYPES, rows, p=[0.55, 0.1, 0.1, 0.1, 0.1, 0.05])
    frame = pl.DataFrame(
        {
            "package_id": [f"BENCH-{i:08d}" for i in range(rows)],
            "person_id": [f"BENCH-P{i:08d}" for i in range(rows)],
            "service_type": service,
            "district": rng.choice(districts, rows),
            "client_group": rng.choice(CLIENT_GROUPS, rows),
            "start_date": pl.Series(start, dtype=pl.Int32).cast(pl.Date),
            "end_date": pl.Series(start + length, dtype=pl.Int32).cast(pl.Date),
            "hours_per_week": np.round(rng.gamma(3.0, 4.0, rows), 2),
            "weekly_cost": np.round(rng.uniform(50, 2000, rows), 2),
            "provider": [f"Provider {i}" for i in rng.integers(1, 200, rows)],
            "source": rng.choice(PACKAGE_SOURCES, rows),
            "ended": ended,
            "homecare": service == "homecare",
        }
    )
    return frame.with_columns(
        end_date=pl.when("ended").then("end_date"),
        hours_per_week=pl.when("homecare").then("hours_per_week"),
    ).drop("ended", "homecare")


def extract_file(work_dir: Path, rows: int, as_at: dt.date, districts: list[str]) -> Path:
    """The generated CSV for `rows` and `as_at`, written once into `work_dir` and reused."""
    path = work_dir / f"care_packages_{rows}_{as_at:%Y%m%d}.csv"
    if not path.exists():
        partial = path.with_suffix(".partial")
        generate_packages(rows, as_at, districts).write_csv(partial)
        partial.replace(path)
    return path


def measure(db: Path, repeat: int, quick: bool) -> list[Result]:
    """Median time of a full load of the CSV into a fresh copy of `db` (copy not timed)."""
    rows = QUICK_ROWS if quick else FULL_ROWS
    with duckdb.connect(str(db), read_only=True) as con:
        as_at = as_at_date(con)
        districts = [
            r[0] for r in con.execute("SELECT district FROM districts ORDER BY 1").fetchall()
        ]
    csv = extract_file(db.parent, rows, as_at, districts)
    target = db.with_name(f".{db.stem}-load-bench.duckdb")
    runs: list[float] = []
    loaded: list[int] = []
    try:
        for _ in range(repeat):
            shutil.copyfile(db, target)
            _, (run,), result = timed(
                lambda: load_path(target, "care_packages", csv, loaded_by="benchmark"), 1
            )
            if result.status != "loaded":
                raise RuntimeError(f"benchmark load was {result.status}: {result.message}")
            runs.append(run)
            with duckdb.connect(str(target), read_only=True) as con:
                loaded.append(
                    con.execute(
                        "SELECT count(*) FROM care_packages WHERE batch_id = ?", [result.batch_id]
                    ).fetchall()[0][0]
                )
    finally:
        target.unlink(missing_ok=True)
        target.with_name(target.name + ".lock").unlink(missing_ok=True)
    return [
        Result(
            "load",
            f"care_packages CSV, {rows:,} rows",
            float(np.median(runs)),
            runs,
            rows,
            detail={
                "csv_mb": round(csv.stat().st_size / 2**20, 1),
                "database_mb": round(db.stat().st_size / 2**20, 1),
                "rows_stored_per_run": loaded,
                "note": "includes copying the database (copy-and-swap writer)",
            },
        )
    ]
