"""The SQL behind the overview, homecare and temporary residential pages.

Every function takes a cursor and the global filters as plain values and returns a polars frame;
filters travel as bound parameters, never as SQL text. An empty `districts` means the county.
Rows are read with `fetchall`: in DuckDB 2.0 `fetchone` leaves the result open on the cursor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import polars as pl

from ascdemand.store import profile as profile_store
from ascdemand.store.sql import DISTRICTS_PREDICATE

# The global filters as one predicate: an empty district list means all districts, a NULL
# group all client groups. Every page query uses it, with the values bound as parameters.
_IN_FILTERS = (
    f"{DISTRICTS_PREDICATE} AND ($group::VARCHAR IS NULL OR client_group = $group::VARCHAR)"
)
_WHERE = f"week_start <= $as_at AND {_IN_FILTERS}"


def _params(as_at: dt.date, districts: Sequence[str], group: str | None) -> dict[str, object]:
    return {"as_at": as_at, "districts": list(districts), "group": group}


def _frame(
    cur: duckdb.DuckDBPyConnection,
    sql: str,
    as_at: dt.date,
    districts: Sequence[str],
    group: str | None,
) -> pl.DataFrame:
    """Run one page query with the filters bound as parameters."""
    return cur.sql(sql, params=_params(as_at, districts, group)).pl()


def has_extracts(cur: duckdb.DuckDBPyConnection) -> bool:
    """True when any care package, placement or discharge is stored."""
    (rows,) = cur.execute(
        "SELECT (SELECT count(*) FROM care_packages) + (SELECT count(*) FROM placements)"
        " + (SELECT count(*) FROM discharges)"
    ).fetchall()[0]
    return bool(rows)


def data_period(cur: duckdb.DuckDBPyConnection) -> tuple[dt.date, dt.date]:
    """First Monday of history and the as-at date of the data."""
    first, last = cur.execute(
        "SELECT min(week_start), "
        "coalesce((SELECT try_cast(value AS DATE) FROM settings WHERE key = 'as_at_date'), "
        "current_date) FROM calendar_weeks"
    ).fetchall()[0]
    last = last or dt.date.today()
    return first or last, last


def district_names(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """The council profile's districts in its order; without a profile, the districts present
    in any extract, alphabetically."""
    listed = profile_store.district_names(cur)
    if listed is not None:
        return list(listed)
    return [r[0] for r in cur.execute("SELECT district FROM districts ORDER BY 1").fetchall()]


def _weekly(
    cur: duckdb.DuckDBPyConnection,
    view: str,
    measures: str,
    filters: tuple[dt.date, Sequence[str], str | None],
    *,
    by_district: bool,
) -> pl.DataFrame:
    """`measures` of a by-group weekly view, summed per Monday (and district), filtered."""
    keys = "week_start, district" if by_district else "week_start"
    order = "district, week_start" if by_district else "week_start"
    sql = f"SELECT {keys}, {measures} FROM {view} WHERE {_WHERE} GROUP BY {keys} ORDER BY {order}"  # noqa: S608 (module constants; values are bound parameters)
    return _frame(cur, sql, *filters)


def homecare_weekly(
    cur: duckdb.DuckDBPyConnection,
    as_at: dt.date,
    districts: Sequence[str] = (),
    group: str | None = None,
    *,
    by_district: bool = False,
) -> pl.DataFrame:
    """People in homecare, hours per week and mean hours per person, each Monday to `as_at`
    (one row per Monday, or per district and Monday)."""
    return _weekly(
        cur,
        "homecare_weekly_by_group",
        "CAST(sum(people) AS BIGINT) AS people, sum(hours) AS hours, "
        "sum(hours) / nullif(sum(people), 0) AS mean_hours",
        (as_at, districts, group),
        by_district=by_district,
    )


def temp_residential_weekly(
    cur: duckdb.DuckDBPyConnection,
    as_at: dt.date,
    districts: Sequence[str] = (),
    group: str | None = None,
) -> pl.DataFrame:
    """People in temporary residential care each Monday, and admissions in that week."""
    return _weekly(
        cur,
        "temp_residential_weekly_by_group",
        "CAST(sum(people) AS BIGINT) AS people, CAST(sum(admissions) AS BIGINT) AS admissions",
        (as_at, districts, group),
        by_district=False,
    )


def discharges_weekly(
    cur: duckdb.DuckDBPyConnection, as_at: dt.date, districts: Sequence[str] = ()
) -> pl.DataFrame:
    """Discharges and discharges needing social care per week, by pathway (no client group)."""
    return _frame(
        cur,
        f"""
        SELECT week_start, pathway, CAST(sum(discharges) AS BIGINT) AS discharges,
               CAST(sum(to_social_care) AS BIGINT) AS to_social_care
        FROM (SELECT *, NULL AS client_group FROM discharges_weekly) WHERE {_WHERE}
        GROUP BY week_start, pathway ORDER BY week_start, pathway
        """,  # noqa: S608 (constant predicate; values are bound parameters)
        as_at,
        districts,
        None,
    )


_ACTIVE_HOMECARE = (
    """
  FROM care_packages
  WHERE service_type = 'homecare' AND start_date <= $as_at
    AND (end_date IS NULL OR end_date >= $as_at) AND
"""
    + _IN_FILTERS
)

HOURS_BANDS = (
    ("Under 5 hours", 0.0, 5.0),
    ("5 to 10 hours", 5.0, 10.0),
    ("10 to 15 hours", 10.0, 15.0),
    ("15 to 20 hours", 15.0, 20.0),
    ("20 to 30 hours", 20.0, 30.0),
    ("30 hours or more", 30.0, 1e9),
)


def homecare_size_bands(
    cur: duckdb.DuckDBPyConnection,
    as_at: dt.date,
    districts: Sequence[str] = (),
    group: str | None = None,
) -> pl.DataFrame:
    """Open homecare packages on `as_at` by weekly-hours band: packages, hours, share of hours.

    The smallest and largest bands are where package reviews look first (report, para 23).
    """
    bands = pl.DataFrame(
        {
            "band": [b[0] for b in HOURS_BANDS],
            "low": [b[1] for b in HOURS_BANDS],
            "high": [b[2] for b in HOURS_BANDS],
            "order": list(range(len(HOURS_BANDS))),
        }
    )
    cur.register("hour_bands", bands.to_arrow())
    try:
        return _frame(
            cur,
            f"""
            WITH open AS (SELECT coalesce(hours_per_week, 0) AS hours {_ACTIVE_HOMECARE})
            SELECT b.band, count(o.hours) AS packages, coalesce(sum(o.hours), 0) AS hours,
                   coalesce(sum(o.hours), 0) / nullif((SELECT sum(hours) FROM open), 0)
                     AS share_of_hours
            FROM hour_bands b LEFT JOIN open o ON o.hours >= b.low AND o.hours < b.high
            GROUP BY b.band, b."order" ORDER BY b."order"
            """,  # noqa: S608 (constant fragments; values are bound parameters)
            as_at,
            districts,
            group,
        )
    finally:
        cur.unregister("hour_bands")


def homecare_providers(
    cur: duckdb.DuckDBPyConnection,
    as_at: dt.date,
    districts: Sequence[str] = (),
    group: str | None = None,
) -> pl.DataFrame:
    """Hours commissioned from each provider on `as_at`, largest first, with share of hours."""
    return _frame(
        cur,
        f"""
        SELECT coalesce(provider, 'Not recorded') AS provider, count(*) AS packages,
               sum(coalesce(hours_per_week, 0)) AS hours,
               sum(coalesce(hours_per_week, 0)) / sum(sum(coalesce(hours_per_week, 0))) OVER ()
                 AS share_of_hours
        {_ACTIVE_HOMECARE}
        GROUP BY 1 ORDER BY hours DESC, provider
        """,  # noqa: S608 (constant fragments; values are bound parameters)
        as_at,
        districts,
        group,
    )


_PLACEMENT_FILTER = f"AND start_date <= $as_at AND {_IN_FILTERS}"


# Monthly placement series start with the weekly calendar, not with the oldest open placement.
_IN_HISTORY = "AND start_date >= (SELECT min(week_start) FROM calendar_weeks)"


def temp_length_of_stay(
    cur: duckdb.DuckDBPyConnection,
    as_at: dt.date,
    districts: Sequence[str] = (),
    group: str | None = None,
) -> pl.DataFrame:
    """Completed temporary stays that ended in the year to `as_at`, in whole weeks, with
    whether the person went on to a permanent placement within a week of leaving."""
    return _frame(
        cur,
        f"""
        SELECT t.placement_id,
               CAST(floor(datediff('day', t.start_date, t.end_date) / 7) AS INTEGER) AS weeks,
               EXISTS (
                 SELECT 1 FROM placements p
                 WHERE p.person_id = t.person_id AND p.placement_type = 'permanent'
                   AND p.start_date BETWEEN t.start_date AND t.end_date + 7
               ) AS converted
        FROM placements t
        WHERE t.placement_type = 'temporary' AND t.end_date IS NOT NULL
          AND t.end_date <= $as_at AND t.end_date > $as_at - INTERVAL 365 DAY
          {_PLACEMENT_FILTER}
        """,  # noqa: S608 (constant fragments; values are bound parameters)
        as_at,
        districts,
        group,
    )


def placement_costs_monthly(
    cur: duckdb.DuckDBPyConnection,
    as_at: dt.date,
    districts: Sequence[str] = (),
    group: str | None = None,
) -> pl.DataFrame:
    """Residential placements (temporary and permanent) starting each month: mean actual
    weekly cost, mean standard rate, and the share with an additional payment."""
    return _frame(
        cur,
        f"""
        SELECT CAST(date_trunc('month', start_date) AS DATE) AS month, count(*) AS placements,
               avg(weekly_cost) AS mean_weekly_cost, avg(standard_rate) AS mean_standard_rate,
               avg(CASE WHEN additional_payment > 0 THEN 1.0 ELSE 0.0 END)
                 AS share_additional_payment
        FROM placements
        WHERE setting = 'residential' {_PLACEMENT_FILTER} {_IN_HISTORY}
        GROUP BY 1 ORDER BY 1
        """,  # noqa: S608 (constant fragments; values are bound parameters)
        as_at,
        districts,
        group,
    )


def placement_admissions_monthly(
    cur: duckdb.DuckDBPyConnection,
    as_at: dt.date,
    districts: Sequence[str] = (),
    group: str | None = None,
) -> pl.DataFrame:
    """Admissions to care homes per month, temporary and permanent."""
    return _frame(
        cur,
        f"""
        SELECT CAST(date_trunc('month', start_date) AS DATE) AS month, placement_type,
               count(*) AS admissions
        FROM placements WHERE TRUE {_PLACEMENT_FILTER} {_IN_HISTORY}
        GROUP BY 1, 2 ORDER BY 1, 2
        """,  # noqa: S608 (constant fragments; values are bound parameters)
        as_at,
        districts,
        group,
    )
