"""DuckDB schema: the extract tables, the load log and the changes updates made, settings,
the audit entries of the writes made here, the weekly views and the budget's care evidence (`store.budget_evidence`).

The weekly views turn package intervals into Monday snapshots without a Python loop: each
interval becomes a +1/-1 event at its first and after its last active Monday, and a running
sum over the calendar gives the stock. Overlapping packages of one person are merged first
(gaps and islands), so `people` counts distinct people, not packages.

Computing these views reads every package, so each writer transaction materialises them once
at commit (`refresh_cache`): the views then read small `cache_*` tables and a page's queries
cost milliseconds at any scale. A connection that writes outside the writer
(tests, scratch work) gets the live definitions back from `create_schema`, so it never reads a
stale copy.
"""

from __future__ import annotations

import duckdb

from ascdemand.store.budget_evidence import BUDGET_CARE_EVIDENCE_VIEW
from ascdemand.store.cld.ddl import CLD_DDL
from ascdemand.store.contract import EXTRACT_TABLES, Table
from ascdemand.store.sitrep.ddl import SITREP_DDL

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
      loaded_by VARCHAR,
      inserted BIGINT,
      updated BIGINT,
      unchanged BIGINT
    )
    """,
    # The before and after of every value an update changed (`store.upsert`): one row per
    # changed column; row_key holds the row's key values as JSON, person ids pseudonymised.
    """
    CREATE TABLE IF NOT EXISTS load_changes (
      batch_id VARCHAR NOT NULL,
      table_name VARCHAR NOT NULL,
      row_key VARCHAR NOT NULL,
      column_name VARCHAR NOT NULL,
      before VARCHAR,
      after VARCHAR
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS settings (
      key VARCHAR PRIMARY KEY,
      value VARCHAR NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS council_profile (
      id INTEGER PRIMARY KEY,
      source VARCHAR NOT NULL,
      toml VARCHAR NOT NULL,
      comparators_csv BLOB,
      loaded_at TIMESTAMP NOT NULL,
      loaded_by VARCHAR
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS audit_log (
      logged_at TIMESTAMP NOT NULL,
      user_name VARCHAR NOT NULL,
      action VARCHAR NOT NULL,
      detail VARCHAR
    )
    """,
)


# The app state an older database held here; it now lives in the state file beside the database
# (`store.state`), and the first write of such a database moves it there and drops these tables.
MOVED_TABLES = ("column_mappings", "mitigations", "targets", "user_comparators", "scenarios")


# Mondays from the start of history to the as-at date. History starts at the `history_start`
# setting when given; otherwise at the earliest activity, but never more than six years before the
# as-at date (long-open packages would otherwise stretch the calendar back decades).
CALENDAR_VIEW = """
CREATE OR REPLACE VIEW calendar_weeks AS
WITH setting AS (
  SELECT
    (SELECT try_cast(value AS DATE) FROM settings WHERE key = 'history_start') AS history_start,
    coalesce(
      (SELECT try_cast(value AS DATE) FROM settings WHERE key = 'as_at_date'), current_date
    ) AS last_day
),
bounds AS (
  SELECT coalesce(history_start, greatest(
    least(
      (SELECT min(start_date) FROM care_packages WHERE service_type = 'homecare'),
      (SELECT min(start_date) FROM placements WHERE placement_type = 'temporary'),
      (SELECT min(discharge_date) FROM discharges)
    ),
    CAST(last_day - INTERVAL 6 YEAR AS DATE))) AS first_day, last_day
  FROM setting
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


def _interval_weekly_view(view: str, source: str) -> str:
    """A Monday-snapshot view over intervals in `source(person_id, district, client_group,
    start_date, end_date, hours)`: distinct people active, and the sum of `hours` of active
    intervals, per district and client group."""
    return f"""
CREATE OR REPLACE VIEW {view} AS
WITH cells AS (
  SELECT district, client_group, row_number() OVER () AS cell
  FROM (SELECT DISTINCT district, client_group FROM {source})
),
-- Work on one integer per district and client group: grouping on it is cheaper than on text.
spans AS (
  SELECT s.person_id, c.cell, s.hours, hash(s.person_id, c.cell) AS who,
         CAST(date_trunc('week', s.start_date + 6) AS DATE) AS first_week,
         CAST(date_trunc('week', coalesce(s.end_date, DATE '9999-12-27')) AS DATE) AS last_week
  FROM {source} s JOIN cells c USING (district, client_group)
),
active AS (SELECT * FROM spans WHERE first_week <= last_week),
-- Only people with several intervals need merging; grouping on one integer finds them fast
-- (a hash collision only sends a few more rows through the exact merge below).
multi AS (SELECT who FROM active GROUP BY who HAVING count(*) > 1),
ordered AS (
  SELECT a.*, max(last_week) OVER (
      PARTITION BY person_id, cell ORDER BY first_week, last_week
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_last
  FROM active a SEMI JOIN multi USING (who)
),
islands AS (
  SELECT *, sum(CASE WHEN prev_last IS NULL OR first_week > prev_last THEN 1 ELSE 0 END)
      OVER (PARTITION BY person_id, cell ORDER BY first_week, last_week
            ROWS UNBOUNDED PRECEDING) AS island
  FROM ordered
),
merged AS (
  SELECT cell, min(first_week) AS first_week, max(last_week) AS last_week
  FROM islands GROUP BY person_id, cell, island
),
-- A person with one interval (most people): their count and hours change together.
singles AS (
  SELECT cell, first_week, last_week, hours FROM active a ANTI JOIN multi USING (who)
),
events AS (
  SELECT cell, first_week AS week_start, 1 AS d_people, hours AS d_hours FROM singles
  UNION ALL
  SELECT cell, CAST(last_week + 7 AS DATE), -1, -hours FROM singles
  UNION ALL
  SELECT cell, first_week, 1, 0.0 FROM merged
  UNION ALL
  SELECT cell, CAST(last_week + 7 AS DATE), -1, 0.0 FROM merged
  UNION ALL
  SELECT cell, first_week, 0, hours FROM ordered
  UNION ALL
  SELECT cell, CAST(last_week + 7 AS DATE), 0, -hours FROM ordered
),
first_monday AS (SELECT min(week_start) AS week_start FROM calendar_weeks),
-- events before the calendar starts fold into its first week; later ones stay in their week
deltas AS (
  SELECT cell, greatest(e.week_start, f.week_start) AS week_start,
         sum(d_people) AS d_people, sum(d_hours) AS d_hours
  FROM events e CROSS JOIN first_monday f
  GROUP BY ALL
),
grid AS (
  SELECT w.week_start, c.cell, c.district, c.client_group
  FROM calendar_weeks w CROSS JOIN cells c
),
filled AS (
  SELECT g.week_start, g.district, g.client_group,
         coalesce(x.d_people, 0) AS d_people, coalesce(x.d_hours, 0.0) AS d_hours
  FROM grid g LEFT JOIN deltas x USING (week_start, cell)
)
SELECT week_start, district, client_group,
  CAST(sum(d_people) OVER w AS BIGINT) AS people,
  round(sum(d_hours) OVER w, 6) AS hours
FROM filled
WINDOW w AS (PARTITION BY district, client_group ORDER BY week_start ROWS UNBOUNDED PRECEDING)
"""  # noqa: S608 (view and source are module constants, never user input)


HOMECARE_BY_GROUP_VIEW = _interval_weekly_view(
    "homecare_weekly_by_group",
    "(SELECT person_id, district, client_group, start_date, end_date, "
    "coalesce(hours_per_week, 0.0) AS hours FROM care_packages WHERE service_type = 'homecare')",
)

HOMECARE_WEEKLY_VIEW = """
CREATE OR REPLACE VIEW homecare_weekly AS
SELECT week_start, district, CAST(sum(people) AS BIGINT) AS people, sum(hours) AS hours
FROM homecare_weekly_by_group GROUP BY week_start, district
"""

_TEMP_STOCK_VIEW = _interval_weekly_view(
    "temp_residential_stock_by_group",
    "(SELECT person_id, district, client_group, start_date, end_date, 0.0 AS hours "
    "FROM placements WHERE placement_type = 'temporary')",
)

TEMP_RESIDENTIAL_BY_GROUP_VIEW = """
CREATE OR REPLACE VIEW temp_residential_weekly_by_group AS
SELECT s.week_start, s.district, s.client_group, s.people,
       coalesce(a.admissions, 0) AS admissions
FROM temp_residential_stock_by_group s
LEFT JOIN (
  SELECT CAST(date_trunc('week', start_date) AS DATE) AS week_start, district, client_group,
         count(*) AS admissions
  FROM placements WHERE placement_type = 'temporary'
  GROUP BY ALL
) a USING (week_start, district, client_group)
"""

TEMP_RESIDENTIAL_WEEKLY_VIEW = """
CREATE OR REPLACE VIEW temp_residential_weekly AS
SELECT week_start, district, CAST(sum(people) AS BIGINT) AS people,
       CAST(sum(admissions) AS BIGINT) AS admissions
FROM temp_residential_weekly_by_group GROUP BY week_start, district
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
    HOMECARE_BY_GROUP_VIEW,
    HOMECARE_WEEKLY_VIEW,
    _TEMP_STOCK_VIEW,
    TEMP_RESIDENTIAL_BY_GROUP_VIEW,
    TEMP_RESIDENTIAL_WEEKLY_VIEW,
    DISCHARGES_WEEKLY_VIEW,
    BUDGET_CARE_EVIDENCE_VIEW,
)

# The views materialised at each commit, in dependency order (later ones read earlier ones).
CACHED_VIEWS = {
    "calendar_weeks": CALENDAR_VIEW,
    "districts": DISTRICTS_VIEW,
    "homecare_weekly_by_group": HOMECARE_BY_GROUP_VIEW,
    "temp_residential_weekly_by_group": TEMP_RESIDENTIAL_BY_GROUP_VIEW,
    "discharges_weekly": DISCHARGES_WEEKLY_VIEW,
    "budget_care_evidence": BUDGET_CARE_EVIDENCE_VIEW,
}
CACHE_PREFIX = "cache_"

# What the cached views depend on. Extract tables change by inserts, which change their row
# counts, and by updates (`store.upsert`), each of which adds rows to load_changes; those counts
# and the two calendar settings identify their state.
_FINGERPRINT = """
SELECT concat_ws('|',
  (SELECT count(*) FROM care_packages), (SELECT count(*) FROM placements),
  (SELECT count(*) FROM discharges), (SELECT count(*) FROM ledger),
  (SELECT count(*) FROM budget_lines), (SELECT count(*) FROM load_changes),
  coalesce((SELECT value FROM settings WHERE key = 'as_at_date'), CAST(current_date AS VARCHAR)),
  coalesce((SELECT value FROM settings WHERE key = 'history_start'), ''))
"""


def refresh_cache(con: duckdb.DuckDBPyConnection) -> bool:
    """Point the cached views at tables holding their current contents (inside a writer
    transaction, before commit); recompute the tables only when the extracts or the calendar
    settings changed since they were last filled. Returns True when they were recomputed."""
    con.execute("CREATE TABLE IF NOT EXISTS cache_state (fingerprint VARCHAR NOT NULL)")
    fingerprint = con.execute(_FINGERPRINT).fetchall()[0][0]
    stored = con.execute("SELECT max(fingerprint) FROM cache_state").fetchall()[0][0]
    rebuild = stored != fingerprint or not is_current(con)
    for view, live_ddl in CACHED_VIEWS.items():
        table = CACHE_PREFIX + view
        if rebuild:
            con.execute(live_ddl)
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {view}")  # noqa: S608
        con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT * FROM {table}")  # noqa: S608
    if rebuild:
        con.execute("DELETE FROM cache_state")
        con.execute("INSERT INTO cache_state VALUES (?)", [fingerprint])
    return rebuild


# Added to load_log after databases existed; `_bring_up_to_date` adds them to older ones.
_LOAD_COUNTS = ("inserted", "updated", "unchanged")
_LATER_TABLES = ("load_changes", "council_profile")


def _load_log_columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        row[0]
        for row in con.execute(
            "SELECT column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main' "
            "AND table_name = 'load_log'"
        ).fetchall()
    }


def _bring_up_to_date(con: duckdb.DuckDBPyConnection) -> None:
    """Give an older database's load_log the inserted/updated/unchanged counts; its loads could
    only insert, so each counts its rows as inserted."""
    if set(_LOAD_COUNTS) <= _load_log_columns(con):
        return
    for column in _LOAD_COUNTS:
        con.execute(f"ALTER TABLE load_log ADD COLUMN IF NOT EXISTS {column} BIGINT")
    con.execute("UPDATE load_log SET inserted = rows, updated = 0, unchanged = 0")


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every cached view has its table, every later table and column exists and no
    app state is left to move out (`MOVED_TABLES`): False for a database written by an older
    version, which one write through the writer brings up to date."""
    tables = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }
    return (
        all(CACHE_PREFIX + view in tables for view in CACHED_VIEWS)
        and all(table in tables for table in _LATER_TABLES)
        and set(_LOAD_COUNTS) <= _load_log_columns(con)
        and not any(table in tables for table in MOVED_TABLES)
    )


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table and view that does not exist yet; safe to call on every open.

    The cached views are (re)created live; `refresh_cache` points them at their
    materialised copies again when a writer commits.
    """
    for table in EXTRACT_TABLES.values():
        con.execute(_table_ddl(table))
    for ddl in SUPPORT_DDL + SITREP_DDL + CLD_DDL:
        con.execute(ddl)
    _bring_up_to_date(con)
    for ddl in VIEWS:
        con.execute(ddl)
