"""The SQL behind the scenario model's calibration: weekly stocks and flows of each service,
discharges by pathway and outcome, what follows reablement and temporary stays, and unit costs
(the NHS sitrep's volumes come from `store.sitrep.queries`). County totals; every value travels
as a parameter.

Stocks are Monday snapshots (people with an interval active on that Monday, as in the weekly
views); the starts of week `m` are the intervals first active on Monday `m`, its ends those last
active on the Monday before, so that stock(m) = stock(m - 7) + starts(m) - ends(m).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

SERVICES = ("homecare", "reablement", "temporary", "permanent")

_SPANS = """
intervals AS (
  SELECT CASE service_type WHEN 'homecare' THEN 'homecare' ELSE 'reablement' END AS service,
         person_id, start_date, end_date, coalesce(hours_per_week, 0.0) AS hours
  FROM care_packages WHERE service_type IN ('homecare', 'reablement')
  UNION ALL
  SELECT placement_type, person_id, start_date, end_date, 0.0 FROM placements
),
spans AS (
  SELECT service, person_id, hours,
         CAST(date_trunc('week', start_date + 6) AS DATE) AS first_week,
         CAST(date_trunc('week', coalesce(end_date, DATE '9999-12-27')) AS DATE) AS last_week
  FROM intervals
),
active AS (SELECT * FROM spans WHERE first_week <= last_week)
"""

# A constant built from constant fragments; dates travel as bound parameters.
WEEKLY_SQL = f"""
WITH {_SPANS},
weeks AS (
  SELECT CAST(unnest(generate_series($first::DATE, $last::DATE, INTERVAL 7 DAY)) AS DATE)
    AS week_start
),
stocks AS (
  SELECT w.week_start, a.service, count(DISTINCT a.person_id) AS people, sum(a.hours) AS hours
  FROM weeks w JOIN active a ON a.first_week <= w.week_start AND a.last_week >= w.week_start
  GROUP BY ALL
),
starts AS (
  SELECT first_week AS week_start, service, count(*) AS n FROM active
  WHERE first_week BETWEEN $first AND $last GROUP BY ALL
),
ends AS (
  SELECT CAST(last_week + 7 AS DATE) AS week_start, service, count(*) AS n FROM active
  WHERE last_week + 7 BETWEEN $first AND $last GROUP BY ALL
)
SELECT w.week_start,
  coalesce(max(s.people) FILTER (WHERE s.service = 'homecare'), 0) AS homecare_people,
  coalesce(max(s.hours) FILTER (WHERE s.service = 'homecare'), 0.0) AS homecare_hours,
  coalesce(max(s.people) FILTER (WHERE s.service = 'reablement'), 0) AS reablement_people,
  coalesce(max(s.people) FILTER (WHERE s.service = 'temporary'), 0) AS temporary_people,
  coalesce(max(s.people) FILTER (WHERE s.service = 'permanent'), 0) AS permanent_people,
  coalesce(max(b.n) FILTER (WHERE b.service = 'homecare'), 0) AS homecare_starts,
  coalesce(max(b.n) FILTER (WHERE b.service = 'reablement'), 0) AS reablement_starts,
  coalesce(max(b.n) FILTER (WHERE b.service = 'temporary'), 0) AS temporary_starts,
  coalesce(max(b.n) FILTER (WHERE b.service = 'permanent'), 0) AS permanent_starts,
  coalesce(max(e.n) FILTER (WHERE e.service = 'homecare'), 0) AS homecare_ends,
  coalesce(max(e.n) FILTER (WHERE e.service = 'reablement'), 0) AS reablement_ends,
  coalesce(max(e.n) FILTER (WHERE e.service = 'temporary'), 0) AS temporary_ends,
  coalesce(max(e.n) FILTER (WHERE e.service = 'permanent'), 0) AS permanent_ends
FROM weeks w
LEFT JOIN stocks s USING (week_start)
LEFT JOIN starts b USING (week_start)
LEFT JOIN ends e USING (week_start)
GROUP BY w.week_start ORDER BY w.week_start
"""  # noqa: S608 (built from module constants only)

DISCHARGES_SQL = """
SELECT CAST(date_trunc('week', discharge_date) AS DATE) AS week_start, pathway, outcome,
       count(*) AS discharges
FROM discharges
WHERE discharge_date >= $first AND discharge_date < $last
GROUP BY ALL ORDER BY ALL
"""

# What follows an ended stay: the same person starting the next service within 14 days.
NEXT_STEP_SQL = """
WITH ended AS (
  SELECT person_id, end_date, $kind AS kind FROM care_packages
  WHERE $kind = 'reablement' AND service_type = 'reablement'
    AND end_date >= $first AND end_date < $last
  UNION ALL
  SELECT person_id, end_date, $kind FROM placements
  WHERE $kind = 'temporary' AND placement_type = 'temporary'
    AND end_date >= $first AND end_date < $last
)
SELECT count(*) AS ended,
  count(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM care_packages c WHERE c.person_id = e.person_id
      AND c.service_type = 'homecare' AND c.start_date BETWEEN e.end_date - 1 AND e.end_date + 14
  )) AS to_homecare,
  count(*) FILTER (WHERE EXISTS (
    SELECT 1 FROM placements p WHERE p.person_id = e.person_id
      AND p.placement_type = 'permanent' AND p.start_date BETWEEN e.end_date - 1 AND e.end_date + 14
  )) AS to_permanent
FROM ended e
"""

UNIT_COSTS_SQL = """
SELECT
  (SELECT sum(weekly_cost) / nullif(sum(hours_per_week), 0) FROM care_packages
   WHERE service_type = 'homecare' AND hours_per_week > 0 AND start_date <= $day
     AND coalesce(end_date, DATE '9999-12-31') >= $day) AS homecare_hourly_rate,
  (SELECT avg(weekly_cost) FROM care_packages
   WHERE service_type = 'reablement' AND start_date <= $day
     AND coalesce(end_date, DATE '9999-12-31') >= $day) AS reablement_weekly_cost,
  avg(standard_rate) AS residential_weekly_rate,
  avg(CASE WHEN additional_payment > 0 THEN 1.0 ELSE 0.0 END) AS additional_payment_share,
  avg(additional_payment) FILTER (WHERE additional_payment > 0) AS additional_payment_weekly
FROM placements
WHERE start_date <= $day AND coalesce(end_date, DATE '9999-12-31') >= $day
"""


def window(cur: duckdb.DuckDBPyConnection, weeks: int, as_at: dt.date) -> tuple[dt.date, dt.date]:
    """First and last Monday of a calibration window of `weeks` weeks ending on or before
    `as_at` (the last Monday is the snapshot the scenario starts from)."""
    last = as_at - dt.timedelta(days=as_at.weekday())
    return last - dt.timedelta(weeks=weeks), last


def weekly_stocks_and_flows(
    cur: duckdb.DuckDBPyConnection, first: dt.date, last: dt.date
) -> pl.DataFrame:
    """Monday snapshots `first`..`last`: people (and homecare hours) in each service, with the
    starts and ends of the week before each snapshot."""
    return cur.sql(WEEKLY_SQL, params={"first": first, "last": last}).pl()


def discharge_counts(cur: duckdb.DuckDBPyConnection, first: dt.date, last: dt.date) -> pl.DataFrame:
    """Discharges in each week beginning `first`..`last - 7`, by pathway and outcome."""
    return cur.sql(DISCHARGES_SQL, params={"first": first, "last": last}).pl()


def next_steps(
    cur: duckdb.DuckDBPyConnection, kind: str, first: dt.date, last: dt.date
) -> dict[str, int]:
    """Stays of `kind` ('reablement' or 'temporary') ended between `first` and `last`, and how
    many were followed within 14 days by homecare or by a permanent placement."""
    if kind not in ("reablement", "temporary"):
        raise ValueError(f"kind must be 'reablement' or 'temporary', not {kind!r}")
    ended, to_homecare, to_permanent = cur.execute(
        NEXT_STEP_SQL, {"kind": kind, "first": first, "last": last}
    ).fetchall()[0]
    return {"ended": ended, "to_homecare": to_homecare, "to_permanent": to_permanent}


def unit_costs(cur: duckdb.DuckDBPyConnection, day: dt.date) -> dict[str, float | None]:
    """Unit costs of what is in place on `day`: homecare £ an hour, reablement £ a week per
    person, the standard placement rate, share of placements with an additional payment and its
    average size (None where nothing is in place)."""
    rows = cur.execute(UNIT_COSTS_SQL, {"day": day}).fetchall()
    names = (
        "homecare_hourly_rate",
        "reablement_weekly_cost",
        "residential_weekly_rate",
        "additional_payment_share",
        "additional_payment_weekly",
    )
    return dict(zip(names, rows[0], strict=True))


def calibration_inputs(
    cur: duckdb.DuckDBPyConnection, weeks: int, as_at: dt.date
) -> dict[str, object]:
    """Everything the calibration needs for the `weeks` weeks to `as_at`, by keyword (the
    fields of `models.scenario.calibrate.CalibrationInputs`)."""
    first, last = window(cur, weeks, as_at)
    return {
        "flows": weekly_stocks_and_flows(cur, first, last),
        "discharges": discharge_counts(cur, first, last),
        "reablement_next": next_steps(cur, "reablement", first, last),
        "temporary_next": next_steps(cur, "temporary", first, last),
        "unit_costs": unit_costs(cur, last),
    }
