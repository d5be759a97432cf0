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

# Only intervals that touch the window matter (active on one of its snapshots, or last active
# the Monday before it): the date test is a cheap superset that lets DuckDB skip row groups, the
# week test the exact one. `f` and `l` are an interval's first and last active Mondays in days
# after $first (counted from Monday 0001-01-01 so that `//`, which truncates, floors); snapshot
# k is $first + 7k, k = 0..n, and an interval covers snapshots k0..k1.
#
# Stocks as in the weekly views (`store.schema`): each interval is a +1/-1 event at the first
# and after the last snapshot it covers, and a running sum over the snapshots gives the stock.
# A person's overlapping intervals of one service are merged (gaps and islands) so that `people`
# counts distinct people while `hours` adds every interval: each island adds 1 at its first
# snapshot, and its first row takes 1 off after the previous island (the largest k1 before it)
# or, for the first island, after the person's last covered snapshot. Starts and ends travel in
# the same events, so one pass makes the whole table. A constant; dates are bound parameters.
WEEKLY_SQL = """
WITH intervals AS (
  SELECT CASE service_type WHEN 'homecare' THEN 'homecare' ELSE 'reablement' END AS service,
         person_id, start_date, end_date, coalesce(hours_per_week, 0.0) AS hours
  FROM care_packages WHERE service_type IN ('homecare', 'reablement')
    AND start_date <= $last AND (end_date IS NULL OR end_date >= $first - 7)
  UNION ALL
  SELECT placement_type, person_id, start_date, end_date, 0.0 FROM placements
  WHERE start_date <= $last AND (end_date IS NULL OR end_date >= $first - 7)
),
origin AS (SELECT $first::DATE - DATE '0001-01-01' AS o, $last::DATE - $first::DATE AS span),
spans AS (
  SELECT service, person_id, hours,
         (start_date - DATE '0001-01-01' + 6) // 7 * 7 - o AS f,
         (coalesce(end_date, DATE '9999-12-27') - DATE '0001-01-01') // 7 * 7 - o AS l
  FROM intervals, origin
),
active AS MATERIALIZED (
  SELECT service, person_id, hours, f, l, greatest(f + 6, 0) // 7 AS k0, least(l, span) // 7 AS k1
  FROM spans, origin WHERE f <= l AND f <= span AND l >= -7
),
held AS (
  SELECT service, person_id, hours, k0, k1, hash(service, person_id) AS who
  FROM active WHERE l >= 0 AND k0 <= k1
),
multi AS (SELECT who FROM held GROUP BY who HAVING count(*) > 1),
ordered AS (
  SELECT service, k0, k1, hours,
    max(k1) OVER (PARTITION BY service, person_id ORDER BY k0, k1
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_k1,
    max(k1) OVER (PARTITION BY service, person_id ORDER BY k0, k1
                  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_k1
  FROM held SEMI JOIN multi USING (who)
),
singles AS (SELECT service, k0, k1, hours FROM held ANTI JOIN multi USING (who)),
events AS (
  SELECT service, k0 AS k, 1 AS d_people, hours AS d_hours, 0 AS n_starts, 0 AS n_ends
  FROM singles
  UNION ALL SELECT service, k1 + 1, -1, -hours, 0, 0 FROM singles
  UNION ALL SELECT service, k0, CASE WHEN prev_k1 IS NULL OR k0 > prev_k1 THEN 1 ELSE 0 END,
    hours, 0, 0 FROM ordered
  UNION ALL SELECT service, k1 + 1, 0, -hours, 0, 0 FROM ordered
  UNION ALL SELECT service, coalesce(prev_k1, last_k1) + 1, -1, 0.0, 0, 0 FROM ordered
    WHERE prev_k1 IS NULL OR k0 > prev_k1
  UNION ALL SELECT service, f // 7, 0, 0.0, 1, 0 FROM active, origin
    WHERE f >= 0 AND f <= span AND f % 7 = 0
  UNION ALL SELECT service, (l + 7) // 7, 0, 0.0, 0, 1 FROM active, origin
    WHERE l + 7 >= 0 AND l + 7 <= span AND (l + 7) % 7 = 0
),
deltas AS (
  SELECT service, k, sum(d_people) AS d_people, sum(d_hours) AS d_hours,
         sum(n_starts) AS n_starts, sum(n_ends) AS n_ends
  FROM events GROUP BY ALL
),
weeks AS (
  SELECT CAST(unnest(generate_series($first::DATE, $last::DATE, INTERVAL 7 DAY)) AS DATE)
    AS week_start
),
grid AS (
  SELECT w.week_start, (w.week_start - $first::DATE) // 7 AS k, s.service
  FROM weeks w CROSS JOIN (SELECT unnest(['homecare', 'reablement', 'temporary', 'permanent'])
    AS service) s
),
weekly AS (
  SELECT g.week_start, g.service,
         CAST(sum(coalesce(d.d_people, 0)) OVER w AS BIGINT) AS people,
         sum(coalesce(d.d_hours, 0.0)) OVER w AS hours,
         CAST(coalesce(d.n_starts, 0) AS BIGINT) AS n_starts,
         CAST(coalesce(d.n_ends, 0) AS BIGINT) AS n_ends
  FROM grid g LEFT JOIN deltas d USING (k, service)
  WINDOW w AS (PARTITION BY g.service ORDER BY g.k ROWS UNBOUNDED PRECEDING)
)
SELECT s.week_start,
  coalesce(max(s.people) FILTER (WHERE s.service = 'homecare'), 0) AS homecare_people,
  coalesce(max(s.hours) FILTER (WHERE s.service = 'homecare' AND s.people > 0), 0.0)
    AS homecare_hours,
  coalesce(max(s.people) FILTER (WHERE s.service = 'reablement'), 0) AS reablement_people,
  coalesce(max(s.people) FILTER (WHERE s.service = 'temporary'), 0) AS temporary_people,
  coalesce(max(s.people) FILTER (WHERE s.service = 'permanent'), 0) AS permanent_people,
  coalesce(max(s.n_starts) FILTER (WHERE s.service = 'homecare'), 0) AS homecare_starts,
  coalesce(max(s.n_starts) FILTER (WHERE s.service = 'reablement'), 0) AS reablement_starts,
  coalesce(max(s.n_starts) FILTER (WHERE s.service = 'temporary'), 0) AS temporary_starts,
  coalesce(max(s.n_starts) FILTER (WHERE s.service = 'permanent'), 0) AS permanent_starts,
  coalesce(max(s.n_ends) FILTER (WHERE s.service = 'homecare'), 0) AS homecare_ends,
  coalesce(max(s.n_ends) FILTER (WHERE s.service = 'reablement'), 0) AS reablement_ends,
  coalesce(max(s.n_ends) FILTER (WHERE s.service = 'temporary'), 0) AS temporary_ends,
  coalesce(max(s.n_ends) FILTER (WHERE s.service = 'permanent'), 0) AS permanent_ends
FROM weekly s
GROUP BY s.week_start ORDER BY s.week_start
"""

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
