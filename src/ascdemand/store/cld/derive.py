"""What CLD does not record, derived from the services that followed (DuckDB SQL, set-based).

- A discharge's pathway and outcome come from the person's first service starting within 14 days
  of the discharge date: none -> P0 / no_ongoing_package; reablement -> P1 / reablement; homecare
  -> P1 / homecare; another community service -> P1 / other; a temporary placement -> P2 /
  temporary_residential; a permanent placement -> P3 / permanent_residential. Services starting
  the same day count in that order of intensity, the most intensive first. A temporary placement
  that later becomes permanent stays P2: the rule looks at the first service only.
- A care package's source is hospital_discharge when the person was discharged from hospital in
  the 14 days up to its start, else community.

Both look across everything stored as well as the rows being imported, since a discharge at the
end of one quarter is often followed by a service in the next quarter's file. Discharges and
packages imported from CLD before are derived again, and those whose derived values change are
returned for updating ("relinked"); rows loaded from other extracts are left as they were.

Inputs are the registered relations `cld_new_<table>` (the import's valid rows: contract
columns, `__file__`, `event_reference`, `reporting_period_end`). Outputs are temporary tables:
`cld_up_<table>` (those rows with derived values set), `cld_relink_care_packages` and
`cld_relink_discharges` (rows stored before whose derived values change), and `cld_pathways`
(the rule that gave each derived discharge, with `__file__` null for stored ones).
"""

from __future__ import annotations

import duckdb

WINDOW_DAYS = 14
NEW = {name: f"cld_new_{name}" for name in ("care_packages", "placements", "discharges")}
UPDATES = {name: f"cld_up_{name}" for name in NEW}
RELINKED = {"care_packages": "cld_relink_care_packages", "discharges": "cld_relink_discharges"}
PATHWAYS = "cld_pathways"
_WORK = ("cld_services", "cld_all_discharges", "cld_sources", PATHWAYS)

_SERVICES = """
CREATE OR REPLACE TEMP TABLE cld_services AS
SELECT person_id, start_date, service_type AS kind FROM cld_new_care_packages
UNION ALL
SELECT c.person_id, c.start_date, c.service_type FROM care_packages c
WHERE NOT EXISTS (SELECT 1 FROM cld_new_care_packages n WHERE n.package_id = c.package_id)
UNION ALL
SELECT person_id, start_date, placement_type || ' placement' FROM cld_new_placements
UNION ALL
SELECT p.person_id, p.start_date, p.placement_type || ' placement' FROM placements p
WHERE NOT EXISTS (SELECT 1 FROM cld_new_placements n WHERE n.placement_id = p.placement_id)
"""

_ALL_DISCHARGES = """
CREATE OR REPLACE TEMP TABLE cld_all_discharges AS
SELECT discharge_id, person_id, discharge_date FROM cld_new_discharges
UNION ALL
SELECT d.discharge_id, d.person_id, d.discharge_date FROM discharges d
WHERE NOT EXISTS (SELECT 1 FROM cld_new_discharges n WHERE n.discharge_id = d.discharge_id)
"""


def _stored_cld(table: str, key: str, alias: str) -> str:
    """SQL condition: row `alias` of `table` came from CLD and is not among the new rows."""
    return (
        f"EXISTS (SELECT 1 FROM cld_events e WHERE e.table_name = '{table}' "  # noqa: S608
        f"AND e.event_reference = {alias}.{key}) "
        f"AND NOT EXISTS (SELECT 1 FROM {NEW[table]} n WHERE n.{key} = {alias}.{key})"
    )


_PATHWAYS = f"""
CREATE OR REPLACE TEMP TABLE cld_pathways AS
WITH targets AS (
  SELECT discharge_id, person_id, discharge_date, __file__ FROM cld_new_discharges
  UNION ALL
  SELECT d.discharge_id, d.person_id, d.discharge_date, NULL FROM discharges d
  WHERE {_stored_cld("discharges", "discharge_id", "d")}
),
ranked AS (
  SELECT t.discharge_id, s.kind, s.start_date,
         row_number() OVER (
           PARTITION BY t.discharge_id
           ORDER BY s.start_date,
                    CASE s.kind WHEN 'permanent placement' THEN 0 WHEN 'temporary placement' THEN 1
                                WHEN 'reablement' THEN 2 WHEN 'homecare' THEN 3 ELSE 4 END
         ) AS n
  FROM targets t JOIN cld_services s
    ON s.person_id = t.person_id
   AND s.start_date BETWEEN t.discharge_date AND t.discharge_date + {WINDOW_DAYS}
)
SELECT t.discharge_id, t.__file__,
  CASE WHEN r.kind IS NULL THEN 'P0' WHEN r.kind = 'permanent placement' THEN 'P3'
       WHEN r.kind = 'temporary placement' THEN 'P2' ELSE 'P1' END AS pathway,
  CASE WHEN r.kind IS NULL THEN 'no_ongoing_package'
       WHEN r.kind = 'permanent placement' THEN 'permanent_residential'
       WHEN r.kind = 'temporary placement' THEN 'temporary_residential'
       WHEN r.kind IN ('reablement', 'homecare') THEN r.kind ELSE 'other' END AS outcome,
  CASE WHEN r.kind IS NULL THEN 'no service started within {WINDOW_DAYS} days of the discharge'
       ELSE 'first service within {WINDOW_DAYS} days of the discharge: '
            || replace(r.kind, '_', ' ') || ' from ' || strftime(r.start_date, '%Y-%m-%d')
  END AS rule
FROM targets t LEFT JOIN ranked r ON r.discharge_id = t.discharge_id AND r.n = 1
"""  # noqa: S608 (table names and the window are module constants)

_SOURCES = f"""
CREATE OR REPLACE TEMP TABLE cld_sources AS
WITH targets AS (
  SELECT package_id, person_id, start_date FROM cld_new_care_packages
  UNION ALL
  SELECT c.package_id, c.person_id, c.start_date FROM care_packages c
  WHERE {_stored_cld("care_packages", "package_id", "c")}
)
SELECT t.package_id,
  CASE WHEN EXISTS (
    SELECT 1 FROM cld_all_discharges d
    WHERE d.person_id = t.person_id
      AND d.discharge_date BETWEEN t.start_date - {WINDOW_DAYS} AND t.start_date
  ) THEN 'hospital_discharge' ELSE 'community' END AS source
FROM targets t
"""  # noqa: S608

_OUTPUTS = (
    """CREATE OR REPLACE TEMP TABLE cld_up_care_packages AS
    SELECT n.* REPLACE (s.source AS source)
    FROM cld_new_care_packages n JOIN cld_sources s USING (package_id)""",
    "CREATE OR REPLACE TEMP TABLE cld_up_placements AS SELECT * FROM cld_new_placements",
    """CREATE OR REPLACE TEMP TABLE cld_up_discharges AS
    SELECT n.* REPLACE (p.pathway AS pathway, p.outcome AS outcome)
    FROM cld_new_discharges n JOIN cld_pathways p USING (discharge_id)""",
    """CREATE OR REPLACE TEMP TABLE cld_relink_care_packages AS
    SELECT c.* REPLACE (s.source AS source)
    FROM care_packages c JOIN cld_sources s USING (package_id)
    WHERE c.source IS DISTINCT FROM s.source
      AND NOT EXISTS (SELECT 1 FROM cld_new_care_packages n WHERE n.package_id = c.package_id)""",
    """CREATE OR REPLACE TEMP TABLE cld_relink_discharges AS
    SELECT d.* REPLACE (p.pathway AS pathway, p.outcome AS outcome)
    FROM discharges d JOIN cld_pathways p USING (discharge_id)
    WHERE p.__file__ IS NULL
      AND (d.pathway IS DISTINCT FROM p.pathway OR d.outcome IS DISTINCT FROM p.outcome)""",
)


def derive(con: duckdb.DuckDBPyConnection) -> None:
    """Derive discharge pathways and package sources for the registered `cld_new_<table>`
    relations into the temporary output tables (see the module docstring)."""
    for sql in (_SERVICES, _ALL_DISCHARGES, _PATHWAYS, _SOURCES, *_OUTPUTS):
        con.execute(sql)


def drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the temporary tables `derive` made."""
    for name in (*_WORK, *UPDATES.values(), *RELINKED.values()):
        con.execute(f"DROP TABLE IF EXISTS {name}")
