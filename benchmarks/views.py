"""The weekly views in full, and the same homecare expansion written plainly in pandas.

The SQL views never expand a package into its weeks: each package is two events and a running
sum gives every Monday. Each view is timed twice: computed live from the extracts (what every
load pays once, when the writer refreshes the materialised copies) and read from those copies
(what a page pays). The pandas version does what a spreadsheet analyst would: one row per
package per week, then a group-by. Its result is compared with the SQL's, so the ratio compares
like with like.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from ascdemand.store import schema
from benchmarks.harness import Result, timed

# Above this many package-weeks the pandas version needs several GB (about 180 bytes each) and
# would dominate the peak memory of the measure: it is not run (the ratio target is at scale 10).
PANDAS_ROW_LIMIT = 10_000_000

_PACKAGES = """
SELECT person_id, district, client_group, start_date, end_date,
       coalesce(hours_per_week, 0.0) AS hours
FROM care_packages WHERE service_type = 'homecare'
"""


def _body(ddl: str) -> str:
    """The SELECT of a `CREATE OR REPLACE VIEW name AS ...` statement."""
    return ddl.split(" AS\n", 1)[1]


def _live(view_ddl: str, *dependencies: tuple[str, str]) -> str:
    """A query computing `view_ddl` from the extracts: each dependency (name, DDL) becomes a
    CTE of that name, which shadows the materialised view inside the query."""
    ctes = ",\n".join(f"{name} AS ({_body(ddl)})" for name, ddl in dependencies)
    return f"WITH {ctes}\nSELECT * FROM ({_body(view_ddl)})"


_CALENDAR = ("calendar_weeks", schema.CALENDAR_VIEW)
_DISTRICTS = ("districts", schema.DISTRICTS_VIEW)
# view -> the query computing it from the extracts alone
LIVE = {
    "homecare_weekly": _live(
        schema.HOMECARE_WEEKLY_VIEW,
        _CALENDAR,
        ("homecare_weekly_by_group", schema.HOMECARE_BY_GROUP_VIEW),
    ),
    "temp_residential_weekly": _live(
        schema.TEMP_RESIDENTIAL_WEEKLY_VIEW,
        _CALENDAR,
        ("temp_residential_stock_by_group", schema._TEMP_STOCK_VIEW),
        ("temp_residential_weekly_by_group", schema.TEMP_RESIDENTIAL_BY_GROUP_VIEW),
    ),
    "discharges_weekly": _live(schema.DISCHARGES_WEEKLY_VIEW, _CALENDAR, _DISTRICTS),
}


def rows_of(con: duckdb.DuckDBPyConnection, query: str) -> int:
    """Compute every row of `query` into memory (Arrow) and return the row count."""
    return con.sql(query).to_arrow_table().num_rows


def pandas_weekly(packages: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Homecare people and hours per Monday and district, by expanding packages into weeks.

    A package counts from the first Monday on or after its start to the last Monday on or
    before its end (open ends run to `last`); people are distinct within each client group and
    then summed over groups, as the SQL view counts them.
    """
    start = packages["start_date"]
    first_week = start + pd.to_timedelta((7 - start.dt.weekday) % 7, unit="D")
    end = packages["end_date"].fillna(last)
    last_week = end - pd.to_timedelta(end.dt.weekday, unit="D")
    first_week = first_week.clip(lower=first)
    last_week = last_week.clip(upper=last)
    keep = first_week <= last_week
    spans = packages.loc[keep].assign(first_week=first_week[keep], last_week=last_week[keep])
    weeks = ((spans["last_week"] - spans["first_week"]).dt.days // 7 + 1).to_numpy()
    rows = spans.loc[spans.index.repeat(weeks)]
    offset = rows.groupby(level=0).cumcount().to_numpy()
    rows = rows.assign(week_start=rows["first_week"] + pd.to_timedelta(offset * 7, unit="D"))
    by_group = rows.groupby(["week_start", "district", "client_group"]).agg(
        people=("person_id", "nunique"), hours=("hours", "sum")
    )
    return by_group.groupby(level=["week_start", "district"]).sum().reset_index()


def expanded_rows(packages: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> int:
    """How many package-weeks the pandas version would create."""
    start = packages["start_date"]
    first_week = (start + pd.to_timedelta((7 - start.dt.weekday) % 7, unit="D")).clip(lower=first)
    end = packages["end_date"].fillna(last)
    last_week = (end - pd.to_timedelta(end.dt.weekday, unit="D")).clip(upper=last)
    weeks = (last_week - first_week).dt.days // 7 + 1
    return int(weeks[weeks > 0].sum())


def _agrees(pandas_result: pd.DataFrame, sql_result: pd.DataFrame) -> bool:
    """Same non-empty (week, district) cells with the same people and hours."""
    keys = ["week_start", "district"]
    left = pandas_result[pandas_result["people"] > 0].sort_values(keys).reset_index(drop=True)
    right = sql_result[sql_result["people"] > 0].sort_values(keys).reset_index(drop=True)
    if len(left) != len(right):
        return False
    same_keys = (left[keys].astype(str).to_numpy() == right[keys].astype(str).to_numpy()).all()
    same_people = (left["people"].to_numpy() == right["people"].to_numpy()).all()
    same_hours = np.allclose(left["hours"].to_numpy(), right["hours"].to_numpy(), atol=1e-3)
    return bool(same_keys and same_people and same_hours)


def measure(db: Path, repeat: int, quick: bool) -> list[Result]:
    """Each weekly view live and materialised, the live total, and the pandas expansion."""
    results: list[Result] = []
    with duckdb.connect(str(db), read_only=True) as con:
        for view, query in LIVE.items():
            median, runs, rows = timed(lambda q=query: rows_of(con, q), repeat)
            results.append(Result("views", f"{view} (live)", median, runs, rows))
        results.append(
            Result(
                "views",
                "all three views (live)",
                sum(r.median_s or 0.0 for r in results),
                [],
                sum(r.rows for r in results),
                detail={"note": "sum of the three medians"},
            )
        )
        for view in LIVE:
            median, runs, rows = timed(lambda v=view: rows_of(con, f"FROM {v}"), repeat)
            results.append(Result("views", f"{view} (materialised)", median, runs, rows))
        packages = con.sql(_PACKAGES).df()
        first, last = con.execute(
            "SELECT min(week_start), max(week_start) FROM calendar_weeks"
        ).fetchall()[0]
        sql_weekly = con.sql(LIVE["homecare_weekly"]).df()
    for column in ("start_date", "end_date"):
        packages[column] = pd.to_datetime(packages[column])
    first, last = pd.Timestamp(first), pd.Timestamp(last)
    sql_weekly["week_start"] = pd.to_datetime(sql_weekly["week_start"])
    expanded = expanded_rows(packages, first, last)
    sql_s = results[0].median_s
    if expanded > PANDAS_ROW_LIMIT:
        results.append(
            Result(
                "views",
                "pandas weekly expansion",
                None,
                [],
                expanded,
                detail={"note": f"not run: {expanded:,} package-weeks exceed {PANDAS_ROW_LIMIT:,}"},
            )
        )
        return results
    median, runs, frame = timed(lambda: pandas_weekly(packages, first, last), repeat)
    results.append(
        Result(
            "views",
            "pandas weekly expansion",
            median,
            runs,
            expanded,
            detail={
                "packages": len(packages),
                "sql_live_homecare_weekly_s": sql_s,
                "ratio_pandas_to_sql": median / sql_s if sql_s else None,
                "agrees_with_sql": _agrees(frame, sql_weekly),
            },
        )
    )
    return results
