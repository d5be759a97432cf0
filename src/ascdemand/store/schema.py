"""DuckDB schema: the extract tables, the load log, settings, and the weekly views.

The weekly views turn package intervals into Monday snapshots without a Python loop: each
interval becomes a +1/-1 event at its first and after its last active Monday, and a running
sum over the calendar gives the stock. Overlapping packages of one person are merged first
(gaps and islands), so `people` counts distinct people, not packages.
"""

from __future__ import annotations

import duckdb

from ascdemand.store.contract import EXTRACT_TABLES, Table

_SQL_TYPES = {"text": "VARCHAR", "date": "DATE", "number": "DOUBLE", "integer": "INTEGER"}


def _table_ddl(table: Table) -> str:
    cols = [
        f"{c.name} {_SQL_TYPES[c.type]}{'' if c.nullable else ' NOT NULL'}" for c in table.columns
    ]
    cols.append("batch_id VARCHAR")
    cols.append(f"PRIMARY KEY ({', '.join(table.key)})")
    return f"CREATE TABLE IF NOT EXISTS {table.name} (\n  " + ",\n  ".join(cols) + "\n)"


SUPPORT_DDL = (
    """
    CREATE TABLE IF NOT EXISTS load_log (
      batch_id VARCHAR PRIMARY KEY,
      table_name VARCHAR NOT NULL,
      file_name VARCHAR NOT NULL,
      file_sha256 VARCHAR NOT NULL,
      rows BIGINT NOT NULL,
      loaded_at TIMESTAMP NOT NULL,
      status VARCHAR NOT NULL,
      message VARCHAR,
      loaded_by VARCHAR
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS settings (
      key VARCHAR PRIMARY KEY,
      value VARCHAR NOT NULL
    )
    """,
)

# Mondays from the first Monday on or after the earliest activity to the as-at date.
CALENDAR_VIEW = """
CREATE OR REPLACE VIEW calendar_weeks AS
WITH bounds AS (
  SELECT
    least(
      (SELECT min(start_date) FROM care_packages WHERE service_type = 'homecare'),
      (SELECT min(start_date) FROM placements WHERE placement_type = 'temporary'),
      (SELECT min(discharge_date) FROM discharges)
    ) AS first_day,
    coalesce(
      (SELECT try_cast(value AS DATE) FROM settings WHERE key = 'as_at_date'),
      current_date
    ) AS last_day
)
SELECT CAST(unnest(generate_series(
    CAST(date_trunc('week', first_day + 6) AS DATE), last_day, INTERVAL 7 DAY)) AS DATE)
  AS week_start
FROM bounds
WHERE first_day IS NOT NULL
"""

DISTRICTS_VIEW = """
CREATE OR REPLACE VIEW districts AS
SELECT DISTINCT district FROM (
  SELECT district FROM care_packages
  UNION ALL SELECT district FROM placements
  UNION ALL SELECT district FROM discharges
)
"""


def _interval_weekly_view(view: str, source: str, value_cols: str) -> str:
    """A Monday-snapshot view over intervals in `source(person_id, district, start_date,
    end_date, hours)`: distinct people active, and the sum of `hours` of active intervals."""
    return f"""
CREATE OR REPLACE VIEW {view} AS
WITH spans AS (
  SELECT person_id, district, hours,
         CAST(date_trunc('week', start_date + 6) AS DATE) AS first_week,
         CAST(date_trunc('week', coalesce(end_date, DATE '9999-12-27')) AS DATE) AS last_week
  FROM {source}
),
active AS (SELECT * FROM spans WHERE first_week <= last_week),
ordered AS (
  SELECT *, max(last_week) OVER (
      PARTITION BY person_id, district ORDER BY first_week, last_week
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_last
  FROM active
),
islands AS (
  SELECT *, sum(CASE WHEN prev_last IS NULL OR first_week > prev_last THEN 1 ELSE 0 END)
      OVER (PARTITION BY person_id, district ORDER BY first_week, last_week
            ROWS UNBOUNDED PRECEDING) AS island
  FROM ordered
),
episodes AS (
  SELECT district, min(first_week) AS first_week, max(last_week) AS last_week
  FROM islands GROUP BY person_id, district, island
),
events AS (
  SELECT district, first_week AS week_start, 1 AS d_people, 0.0 AS d_hours FROM episodes
  UNION ALL
  SELECT district, CAST(last_week + 7 AS DATE), -1, 0.0 FROM episodes
  UNION ALL
  SELECT district, first_week, 0, hours FROM active
  UNION ALL
  SELECT district, CAST(last_week + 7 AS DATE), 0, -hours FROM active
),
deltas AS (
  SELECT district, week_start, sum(d_people) AS d_people, sum(d_hours) AS d_hours
  FROM events GROUP BY district, week_start
),
grid AS (
  SELECT w.week_start, d.district FROM calendar_weeks w CROSS JOIN districts d
),
-- events before the calendar starts fold into its first week
pre AS (
  SELECT g.week_start, g.district,
         coalesce(sum(x.d_people), 0) AS d_people, coalesce(sum(x.d_hours), 0.0) AS d_hours
  FROM grid g
  LEFT JOIN deltas x ON x.district = g.district
   AND (x.week_start = g.week_start
        OR (g.week_start = (SELECT min(week_start) FROM calendar_weeks)
            AND x.week_start < g.week_start))
  GROUP BY g.week_start, g.district
)
SELECT week_start, district,
  CAST(sum(d_people) OVER w AS BIGINT) AS people,
  round(sum(d_hours) OVER w, 6) AS {value_cols}
FROM pre
WINDOW w AS (PARTITION BY district ORDER BY week_start ROWS UNBOUNDED PRECEDING)
"""


HOMECARE_WEEKLY_VIEW = _interval_weekly_view(
    "homecare_weekly",
    "(SELECT person_id, district, start_date, end_date, coalesce(hours_per_week, 0.0) AS hours "
    "FROM care_packages WHERE service_type = 'homecare')",
    "hours",
)

_TEMP_STOCK_VIEW = _interval_weekly_view(
    "temp_residential_stock",
    "(SELECT person_id, district, start_date, end_date, 0.0 AS hours "
    "FROM placements WHERE placement_type = 'temporary')",
    "unused",
)

TEMP_RESIDENTIAL_WEEKLY_VIEW = """
CREATE OR REPLACE VIEW temp_residential_weekly AS
SELECT s.week_start, s.district, s.people, coalesce(a.admissions, 0) AS admissions
FROM temp_residential_stock s
LEFT JOIN (
  SELECT CAST(date_trunc('week', start_date) AS DATE) AS week_start, district,
         count(*) AS admissions
  FROM placements WHERE placement_type = 'temporary'
  GROUP BY ALL
) a USING (week_start, district)
"""

DISCHARGES_WEEKLY_VIEW = """
CREATE OR REPLACE VIEW discharges_weekly AS
WITH counts AS (
  SELECT CAST(date_trunc('week', discharge_date) AS DATE) AS week_start, district, pathway,
         count(*) AS discharges,
         count(*) FILTER (WHERE outcome <> 'no_ongoing_package') AS to_social_care
  FROM discharges GROUP BY ALL
),
pathways AS (SELECT unnest(['P0', 'P1', 'P2', 'P3']) AS pathway)
SELECT w.week_start, d.district, p.pathway,
       coalesce(c.discharges, 0) AS discharges, coalesce(c.to_social_care, 0) AS to_social_care
FROM calendar_weeks w CROSS JOIN districts d CROSS JOIN pathways p
LEFT JOIN counts c ON c.week_start = w.week_start AND c.district = d.district
  AND c.pathway = p.pathway
"""

VIEWS = (
    CALENDAR_VIEW,
    DISTRICTS_VIEW,
    HOMECARE_WEEKLY_VIEW,
    _TEMP_STOCK_VIEW,
    TEMP_RESIDENTIAL_WEEKLY_VIEW,
    DISCHARGES_WEEKLY_VIEW,
)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table and view that does not exist yet; safe to call on every open."""
    for table in EXTRACT_TABLES.values():
        con.execute(_table_ddl(table))
    for ddl in SUPPORT_DDL:
        con.execute(ddl)
    for ddl in VIEWS:
        con.execute(ddl)
