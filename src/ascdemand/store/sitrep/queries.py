"""The SQL behind the NHS sitrep view: organisations, and monthly and weekly totals by pathway.

Weekly equivalents spread a month's total evenly over its weeks: patients / (days in month / 7),
so a 31-day month is 4.43 weeks. A pathway whose every cell was `-` stays NULL, not 0.
"""

from __future__ import annotations

import duckdb
import polars as pl


def has_sitrep(cur: duckdb.DuckDBPyConnection) -> bool:
    """True when at least one month of the discharge sitrep has been imported (False, too, for
    a database written before the sitrep tables existed)."""
    (tables,) = cur.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'sitrep_months'"
    ).fetchall()[0]
    if not tables:
        return False
    (months,) = cur.execute("SELECT count(*) FROM sitrep_months").fetchall()[0]
    return bool(months)


def organisations(cur: duckdb.DuckDBPyConnection, org_type: str) -> pl.DataFrame:
    """Organisations of one type (`england`, `region`, `icb`, `trust`) with their latest name
    and region, by name."""
    return cur.sql(
        """
        SELECT org_code, arg_max(org_name, month) AS org_name, arg_max(region, month) AS region
        FROM sitrep_discharges WHERE org_type = ?
        GROUP BY org_code ORDER BY org_name
        """,
        params=[org_type],
    ).pl()


def monthly_by_pathway(
    cur: duckdb.DuckDBPyConnection, org_type: str, org_code: str
) -> pl.DataFrame:
    """Patients discharged each month by pathway for one organisation, with weekly equivalents.

    Returns:
        One row per month and pathway: `month`, `pathway`, `patients` (NULL when every
        destination of the pathway was suppressed), `days`, `weekly_patients`.
    """
    return cur.sql(
        """
        SELECT month, pathway,
               CAST(sum(patients) AS BIGINT) AS patients,
               CAST(day(last_day(month)) AS INTEGER) AS days,
               sum(patients) / (day(last_day(month)) / 7.0) AS weekly_patients
        FROM sitrep_discharges
        WHERE org_type = ? AND org_code = ?
        GROUP BY month, pathway ORDER BY month, pathway
        """,
        params=[org_type, org_code],
    ).pl()


def imported_months(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Each imported month with its source file, publication date and when it was imported."""
    return cur.sql(
        "SELECT month, file_name, published, imported_at FROM sitrep_months ORDER BY month"
    ).pl()


# --- Delays in leaving hospital (Tables 2, 3 and 5) ---------------------------------------------

# Groups of delay reasons; the first is care the council usually arranges or funds.
CARE_AFTER_HOSPITAL = "Care after hospital (pathways 1 to 3)"
COMMUNITY_SERVICES = "Equipment or community services"
HOSPITAL_TASKS = "Within the hospital"
OTHER_REASONS = "Other reasons"
REASON_GROUPS = (CARE_AFTER_HOSPITAL, COMMUNITY_SERVICES, HOSPITAL_TASKS, OTHER_REASONS)

# Table 5's reason headings in plain English: (LIKE pattern on the lower-case heading, label,
# group). The first pattern that matches wins; a heading none matches keeps its own wording
# under "Other reasons", so a reason added in a later edition still shows.
DELAY_REASON_LABELS = (
    (
        "pathway 1%",
        "Care at home to start: homecare or reablement (pathway 1)",
        CARE_AFTER_HOSPITAL,
    ),
    ("pathway 2%", "A rehabilitation bed outside hospital (pathway 2)", CARE_AFTER_HOSPITAL),
    ("pathway 3%", "A care-home bed, likely permanent (pathway 3)", CARE_AFTER_HOSPITAL),
    ("%equipment%", "Equipment or adaptations to the home", COMMUNITY_SERVICES),
    ("%hub%", "Community team to confirm it has taken the referral", COMMUNITY_SERVICES),
    ("%referral to community%", "Referral to community services", COMMUNITY_SERVICES),
    ("%medical decision%", "A doctor's decision or the discharge letter", HOSPITAL_TASKS),
    ("%diagnostic%", "A test or scan", HOSPITAL_TASKS),
    ("%medicines%", "Medicines to take home", HOSPITAL_TASKS),
    ("%therapy%", "A therapist's decision to discharge", HOSPITAL_TASKS),
    ("%transport%", "Transport", HOSPITAL_TASKS),
    ("%board round%", "Ready in the morning, not ready later that day", HOSPITAL_TASKS),
    ("%repatriation%", "Transfer to another hospital", HOSPITAL_TASKS),
    ("%infectious%", "Kept in to stop an infection spreading", HOSPITAL_TASKS),
    ("%family%", "Patient or family disagree with the discharge plan", OTHER_REASONS),
    ("no plan%", "No discharge plan yet", OTHER_REASONS),
    ("%homeless%", "Homeless or nowhere to go", OTHER_REASONS),
    ("%safeguarding%", "Safeguarding concern or Court of Protection", OTHER_REASONS),
)


def _label_rows() -> list[dict[str, object]]:
    return [
        {
            "rank": rank,
            "pattern": pattern,
            "label": label,
            "grp": group,
            "grp_rank": REASON_GROUPS.index(group),
        }
        for rank, (pattern, label, group) in enumerate(DELAY_REASON_LABELS)
    ]


def criteria_to_reside_monthly(
    cur: duckdb.DuckDBPyConnection, org_type: str, org_code: str
) -> pl.DataFrame:
    """Patients no longer meeting the criteria to reside (Table 2), as a daily average per month.

    Each day the trust counts the patients who no longer need an acute bed, how many of them
    were discharged that day and how many remained. Days the trust did not report (`-`) are
    left out of the averages.

    Returns:
        One row per month: `month`, `days_in_month`, `days_reported`, `not_meeting_per_day`,
        `discharged_per_day`, `remaining_per_day` (the daily averages) and `discharged_share`
        (discharged / no longer meeting the criteria, over the days that report both).
    """
    return cur.sql(
        """
        SELECT month,
               CAST(day(last_day(month)) AS INTEGER) AS days_in_month,
               CAST(count(remaining) AS INTEGER) AS days_reported,
               avg(not_meeting_criteria) AS not_meeting_per_day,
               avg(discharged) AS discharged_per_day,
               avg(remaining) AS remaining_per_day,
               sum(discharged) FILTER (WHERE not_meeting_criteria IS NOT NULL)
                 / nullif(sum(not_meeting_criteria) FILTER (WHERE discharged IS NOT NULL), 0)
                 AS discharged_share
        FROM sitrep_criteria_to_reside
        WHERE org_type = ? AND org_code = ?
        GROUP BY month ORDER BY month
        """,
        params=[org_type, org_code],
    ).pl()


def delay_bed_days_by_stay(
    cur: duckdb.DuckDBPyConnection, org_type: str, org_code: str
) -> pl.DataFrame:
    """Bed days used after patients stopped meeting the criteria to reside (Table 3), by band of
    length of stay, as the average weekly snapshot of each month.

    The workbook's cohorts are nested (7+ days includes 14+, which includes 21+), so a band is
    the difference between neighbouring cohorts: 7 to 13 days = (7+) - (14+). Snapshots with
    any band missing (`-`) are left out.

    Returns:
        One row per month and band: `month`, `from_days`, `to_days` (NULL for the open band),
        `stay` (label such as `7 to 13 days`), `snapshots`, `bed_days` (average per snapshot).
    """
    return cur.sql(
        """
        WITH snapshot AS (
          SELECT month, week_start, min_length_of_stay AS from_days,
                 lead(min_length_of_stay) OVER bands - 1 AS to_days,
                 additional_bed_days - coalesce(lead(additional_bed_days) OVER bands, 0)
                   AS bed_days,
                 count(additional_bed_days) OVER week = count(*) OVER week AS complete
          FROM sitrep_delay_days
          WHERE org_type = ? AND org_code = ?
          WINDOW bands AS (PARTITION BY month, week_start ORDER BY min_length_of_stay),
                 week AS (PARTITION BY month, week_start)
        )
        SELECT month, from_days, CAST(to_days AS INTEGER) AS to_days,
               CASE WHEN to_days IS NULL THEN from_days || ' days or more'
                    ELSE from_days || ' to ' || to_days || ' days' END AS stay,
               CAST(count(*) AS INTEGER) AS snapshots,
               avg(bed_days) AS bed_days
        FROM snapshot WHERE complete
        GROUP BY ALL ORDER BY month, from_days
        """,
        params=[org_type, org_code],
    ).pl()


# Table 5 rows of one organisation, each with its label, group and their order. Both reason
# queries start from it; it is a constant and every value is a parameter.
_REASONS_SQL = """
    WITH labels AS (
      SELECT m.* FROM (
        SELECT unnest(CAST($labels AS STRUCT(
          rank INTEGER, pattern VARCHAR, label VARCHAR, grp VARCHAR, grp_rank INTEGER)[])) AS m
      )
    ), matched AS (
      SELECT r.month, r.reason, r.average_patients,
             coalesce(arg_min(l.label, l.rank), r.reason) AS label,
             coalesce(arg_min(l.grp, l.rank), $other) AS reason_group,
             coalesce(arg_min(l.grp_rank, l.rank), $other_rank) AS group_rank,
             min(l.rank) AS label_rank
      FROM sitrep_delay_reasons r LEFT JOIN labels l ON lower(r.reason) LIKE l.pattern
      WHERE r.org_type = $org_type AND r.org_code = $org_code
      GROUP BY r.month, r.reason, r.average_patients
    )
"""


def _reason_params(org_type: str, org_code: str) -> dict[str, object]:
    return {
        "labels": _label_rows(),
        "other": OTHER_REASONS,
        "other_rank": REASON_GROUPS.index(OTHER_REASONS),
        "org_type": org_type,
        "org_code": org_code,
    }


def delay_reasons(cur: duckdb.DuckDBPyConnection, org_type: str, org_code: str) -> pl.DataFrame:
    """Why patients in hospital 14 days or more were not discharged (Table 5), each month.

    The values are the average number of people per day over the month's weekly snapshots.
    NHS England does not publish two reasons for trusts and ICBs (homeless; safeguarding):
    those stay NULL and are left out of the shares.

    Returns:
        One row per month and reason: `month`, `reason_group`, `label` (plain English),
        `reason` (the workbook's heading), `average_patients`, `share` (of the month's reported
        total), ordered by month, group, then most people first.
    """
    return cur.sql(
        _REASONS_SQL  # noqa: S608 - two constants joined; every value is a parameter
        + """
        SELECT month, reason_group, label, string_agg(reason, '; ') AS reason,
               sum(average_patients) AS average_patients,
               sum(average_patients)
                 / nullif(sum(sum(average_patients)) OVER (PARTITION BY month), 0) AS share
        FROM matched
        GROUP BY month, group_rank, reason_group, label
        ORDER BY month, group_rank, average_patients DESC NULLS LAST, min(label_rank) NULLS LAST
        """,
        params=_reason_params(org_type, org_code),
    ).pl()


def delay_reason_groups(
    cur: duckdb.DuckDBPyConnection, org_type: str, org_code: str
) -> pl.DataFrame:
    """People in hospital 14 days or more and delayed, per day each month, by group of reason.

    Returns:
        One row per month and group present: `month`, `reason_group`, `average_patients`,
        `share` (of the month's reported total), in the order of `REASON_GROUPS`.
    """
    return cur.sql(
        _REASONS_SQL  # noqa: S608 - two constants joined; every value is a parameter
        + """
        SELECT month, reason_group,
               sum(average_patients) AS average_patients,
               sum(average_patients)
                 / nullif(sum(sum(average_patients)) OVER (PARTITION BY month), 0) AS share
        FROM matched
        GROUP BY month, group_rank, reason_group
        ORDER BY month, group_rank
        """,
        params=_reason_params(org_type, org_code),
    ).pl()
