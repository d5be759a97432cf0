"""Every care board (or trust) from the NHS discharge sitrep, side by side over the latest
months loaded: the demand comparators any council gets without typing a figure.

Measures, each over the same months:
- pathway shares: patients discharged on pathway 1, 2 and 3 over all discharges (Table 4);
- discharged the day they were ready: patients discharged over patients no longer meeting the
  criteria to reside, summed over the days that report both (Table 2);
- still in hospital when ready, per 1,000 discharges: the average of the daily count of
  patients who no longer meet the criteria but remain, per 1,000 patients discharged a month;
- delays for care after hospital: the share of patients delayed 14 days or more whose reason
  is waiting for pathway 1 to 3 care, which councils arrange or fund (Table 5).
"""

from __future__ import annotations

import duckdb
import polars as pl

from ascdemand.store.sitrep.queries import CARE_AFTER_HOSPITAL, _label_rows

COMPARATOR_MEASURES = {
    "p1_share": "Share of discharges home with new support (pathway 1)",
    "p2_share": "Share of discharges to a rehabilitation bed (pathway 2)",
    "p3_share": "Share of discharges to a new care-home place (pathway 3)",
    "same_day_share": "Share of patients ready to leave who left that day",
    "remaining_per_1000": "Patients ready to leave but still in hospital, per 1,000 discharges",
    "care_delay_share": "Share of long delays waiting for care after hospital (pathways 1-3)",
}
"""Each comparator measure and its plain-English label."""


def latest_months(cur: duckdb.DuckDBPyConnection, months: int) -> list:
    """The latest `months` months imported, oldest first."""
    rows = cur.execute(
        "SELECT month FROM sitrep_months ORDER BY month DESC LIMIT ?", [months]
    ).fetchall()
    return sorted(r[0] for r in rows)


def board_comparators(
    cur: duckdb.DuckDBPyConnection, *, org_type: str = "icb", months: int = 3
) -> pl.DataFrame:
    """One row per organisation of `org_type` over the latest `months` months imported.

    Returns:
        `org_code`, `org_name`, `region`, `discharges`, `p1`, `p2`, `p3` (patients over the
        months), `ready` and `left_same_day` (patient-days from Table 2),
        `remaining_per_day`, `care_delays` and `all_delays` (average patients a day), and the
        measures of `COMPARATOR_MEASURES`. NULL where a table is suppressed for a board.
    """
    chosen = latest_months(cur, months)
    if not chosen:
        return pl.DataFrame()
    return cur.sql(
        """
        WITH labels AS (
          SELECT m.* FROM (SELECT unnest(CAST($labels AS STRUCT(
            rank INTEGER, pattern VARCHAR, label VARCHAR, grp VARCHAR, grp_rank INTEGER)[])) AS m)
        ),
        flows AS (
          SELECT org_code, arg_max(org_name, month) AS org_name, arg_max(region, month) AS region,
                 sum(patients) AS discharges,
                 sum(patients) FILTER (WHERE pathway = 'P1') AS p1,
                 sum(patients) FILTER (WHERE pathway = 'P2') AS p2,
                 sum(patients) FILTER (WHERE pathway = 'P3') AS p3
          FROM sitrep_discharges
          WHERE org_type = $org_type AND list_contains($months, month)
          GROUP BY org_code
        ),
        ready AS (
          SELECT org_code,
                 sum(not_meeting_criteria) FILTER (WHERE discharged IS NOT NULL) AS ready,
                 sum(discharged) FILTER (WHERE not_meeting_criteria IS NOT NULL) AS left_same_day,
                 avg(remaining) AS remaining_per_day
          FROM sitrep_criteria_to_reside
          WHERE org_type = $org_type AND list_contains($months, month)
          GROUP BY org_code
        ),
        reasons AS (
          SELECT r.org_code, r.month, r.reason, r.average_patients,
                 arg_min(l.grp, l.rank) AS grp
          FROM sitrep_delay_reasons r LEFT JOIN labels l ON lower(r.reason) LIKE l.pattern
          WHERE r.org_type = $org_type AND list_contains($months, r.month)
          GROUP BY ALL
        ),
        delays AS (
          SELECT org_code,
                 sum(average_patients) FILTER (WHERE grp = $care) / $n AS care_delays,
                 sum(average_patients) / $n AS all_delays
          FROM reasons GROUP BY org_code
        )
        SELECT f.org_code, f.org_name, f.region,
               CAST(f.discharges AS BIGINT) AS discharges, CAST(f.p1 AS BIGINT) AS p1,
               CAST(f.p2 AS BIGINT) AS p2, CAST(f.p3 AS BIGINT) AS p3,
               CAST(r.ready AS BIGINT) AS ready, CAST(r.left_same_day AS BIGINT) AS left_same_day,
               r.remaining_per_day, d.care_delays, d.all_delays,
               f.p1 / nullif(f.discharges, 0) AS p1_share,
               f.p2 / nullif(f.discharges, 0) AS p2_share,
               f.p3 / nullif(f.discharges, 0) AS p3_share,
               r.left_same_day / nullif(r.ready, 0) AS same_day_share,
               1000 * r.remaining_per_day / nullif(f.discharges / $n, 0) AS remaining_per_1000,
               d.care_delays / nullif(d.all_delays, 0) AS care_delay_share
        FROM flows f LEFT JOIN ready r USING (org_code) LEFT JOIN delays d USING (org_code)
        ORDER BY f.org_code
        """,
        params={
            "labels": _label_rows(),
            "org_type": org_type,
            "months": chosen,
            "care": CARE_AFTER_HOSPITAL,
            "n": float(len(chosen)),
        },
    ).pl()
