"""The care evidence behind the budget forecast, summed in SQL for every period of every year.

For each period end the forecast needs what was known that day about the people in care:
endings and days in care over the last year (exit rates), recent starts and what they cost,
the cost already incurred this year, and the people still in care with their weekly cost.
Summing these in DuckDB, rather than pulling every package and placement into Python for every
period, keeps the Budget and Overview pages fast at national scale.

Every sum here is additive, so the model can add rows up in any grouping. People with no
planned end are kept apart by `settling_left`, the days left of their first `SETTLING_DAYS`
(0 once settled): that is all the model needs to know about how long they have been in care.
An end after the period end counts as a planned end only on the extract's own as-at date;
at earlier period ends it was still unknown.
"""

from __future__ import annotations

SETTLING_DAYS = 42
"""The early part of a stay, whose exit rate is observed apart: post-discharge packages and
short placements mostly end within six weeks."""
EXIT_WINDOW_DAYS = 365
"""Length-of-stay evidence: endings and days in care over the last year."""
STARTS_WINDOW_DAYS = 91
"""Recent demand: the start rate and unit cost of the last 13 weeks."""

# Built from the module's integer constants only; nothing here comes from input.
BUDGET_CARE_EVIDENCE_VIEW = f"""
CREATE OR REPLACE VIEW budget_care_evidence AS
WITH records AS (
  SELECT service_type AS segment,
         CASE service_type WHEN 'direct_payment' THEN 'direct_payments' ELSE service_type END
           AS service_line,
         start_date, end_date, weekly_cost, coalesce(hours_per_week, 0.0) AS hours
  FROM care_packages
  UNION ALL
  SELECT placement_type || '_placement', 'residential_nursing', start_date, end_date,
         weekly_cost, 0.0
  FROM placements
),
items AS (
  SELECT segment, service_line, start_date, end_date, count(*) AS n,
         count(weekly_cost) AS costed, sum(weekly_cost) AS cost, sum(hours) AS hours
  FROM records GROUP BY ALL
),
years AS (
  SELECT financial_year, max(period) AS last_period
  FROM (SELECT financial_year, period FROM ledger
        UNION ALL SELECT financial_year, 1 FROM budget_lines)
  GROUP BY financial_year
),
ends AS (
  SELECT financial_year, period, year_start,
         last_day(CAST(year_start + to_months(period - 1) AS DATE)) AS as_at
  FROM (
    SELECT financial_year, CAST(unnest(range(1, last_period + 1)) AS INTEGER) AS period,
           make_date(CAST(left(financial_year, 4) AS INTEGER), 4, 1) AS year_start
    FROM years
  )
),
days AS (
  SELECT *, CAST(year_start + INTERVAL 1 YEAR AS DATE) - 1 AS year_end,
         as_at - {EXIT_WINDOW_DAYS - 1} AS window_from,
         as_at - {STARTS_WINDOW_DAYS - 1} AS starts_from,
         as_at >= coalesce(
           (SELECT CAST(value AS DATE) FROM settings WHERE key = 'as_at_date'), current_date)
           AS on_extract_day
  FROM ends
),
known AS (
  SELECT d.financial_year, d.period, d.as_at, d.year_start, d.year_end, d.window_from,
         i.segment, i.service_line, i.start_date, i.n, i.costed, i.cost, i.hours,
         CASE WHEN i.end_date <= d.as_at THEN i.end_date END AS ended_on,
         CASE WHEN i.end_date > d.as_at AND d.on_extract_day THEN i.end_date END AS planned_end,
         i.start_date >= d.starts_from AS recent
  FROM items i JOIN days d
    ON i.start_date <= d.as_at
   AND (i.end_date IS NULL OR i.end_date >= least(d.year_start, d.window_from - 1))
),
spans AS (
  SELECT *,
         ended_on BETWEEN window_from AND as_at AS ended,
         ended_on IS NULL AS active,
         start_date + {SETTLING_DAYS} AS settled_from,
         greatest(least(coalesce(ended_on, as_at), start_date + {SETTLING_DAYS - 1})
           - greatest(start_date, window_from) + 1, 0) AS early_days,
         greatest(coalesce(ended_on, as_at)
           - greatest(start_date + {SETTLING_DAYS}, window_from) + 1, 0) AS late_days,
         greatest(coalesce(ended_on, as_at) - greatest(start_date, year_start) + 1, 0)
           AS days_to_date,
         CASE WHEN planned_end IS NOT NULL THEN greatest(least(planned_end, year_end)
           - greatest(as_at + 1, year_start) + 1, 0) END AS planned_days
  FROM known
)
SELECT financial_year, period, segment, min(service_line) AS service_line,
  CASE WHEN active AND planned_end IS NULL
    THEN greatest({SETTLING_DAYS} - (as_at - start_date + 1), 0) END AS settling_left,
  CAST(coalesce(sum(n) FILTER (WHERE ended AND ended_on < settled_from), 0) AS BIGINT)
    AS early_endings,
  CAST(coalesce(sum(n) FILTER (WHERE ended AND ended_on >= settled_from), 0) AS BIGINT)
    AS late_endings,
  CAST(sum(early_days * n) AS DOUBLE) AS early_days,
  CAST(sum(late_days * n) AS DOUBLE) AS late_days,
  CAST(coalesce(sum(n) FILTER (WHERE recent), 0) AS BIGINT) AS recent_starts,
  CAST(coalesce(sum(costed) FILTER (WHERE recent), 0) AS BIGINT) AS recent_costed,
  coalesce(sum(cost) FILTER (WHERE recent), 0.0) AS recent_weekly_cost,
  coalesce(sum(hours) FILTER (WHERE recent), 0.0) AS recent_hours,
  CAST(sum(days_to_date * n) AS DOUBLE) AS days_to_date,
  sum(days_to_date * hours) AS hour_days_to_date,
  coalesce(sum(days_to_date * cost), 0.0) AS cost_days_to_date,
  CAST(coalesce(sum(n) FILTER (WHERE active), 0) AS BIGINT) AS people_now,
  coalesce(sum(cost) FILTER (WHERE active), 0.0) AS weekly_cost_now,
  coalesce(sum(hours) FILTER (WHERE active), 0.0) AS hours_now,
  CAST(coalesce(sum(planned_days * n) FILTER (WHERE active), 0) AS DOUBLE) AS planned_days,
  coalesce(sum(planned_days * hours) FILTER (WHERE active), 0.0) AS planned_hour_days,
  coalesce(sum(planned_days * cost) FILTER (WHERE active), 0.0) AS planned_cost_days,
  CAST(coalesce(sum(n) FILTER (WHERE active AND planned_end >= year_end), 0) AS BIGINT)
    AS planned_staying,
  coalesce(sum(cost) FILTER (WHERE active AND planned_end >= year_end), 0.0)
    AS planned_staying_cost
FROM spans
GROUP BY ALL
"""  # noqa: S608 (built from module constants only)
