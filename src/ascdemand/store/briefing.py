"""The committee briefing's own tables and queries: mitigations, targets, added comparators.

Officers type mitigations (short text) and the Director sets targets; both, and the comparators
officers add, are app state (`store.state`), so the briefing, the page and the command line read
the same list. Writes take a connection from `state.transaction` and leave an audit record;
reads take a cursor on the state (`state.reading`); the briefing figures below read the
extracts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import polars as pl

from ascdemand.profile import parse as profile_parse
from ascdemand.store import audit
from ascdemand.store.sql import DISTRICTS_PREDICATE, utc_now

MITIGATION_STATUSES = ("planned", "in progress", "done")

# The measures a target can be set on: key -> (plain-English label, unit).
TARGET_MEASURES: dict[str, tuple[str, str]] = {
    "homecare_people": ("People receiving homecare", "people"),
    "homecare_hours": ("Homecare hours commissioned per week", "hours a week"),
    "mean_hours_per_person": ("Average homecare hours per person per week", "hours a week"),
    "temp_residential_people": ("People in temporary residential care", "people"),
    "discharges_to_social_care": ("Hospital discharges needing social care", "a week"),
    "net_overspend_gbp_m": ("Forecast net overspend", "£ million"),
}

COMPARATOR_COLUMNS = profile_parse.COMPARATOR_COLUMNS

MAX_TEXT = 300


def _short_text(value: str, what: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise ValueError(f"The {what} cannot be empty.")
    if len(text) > MAX_TEXT:
        raise ValueError(f"The {what} must be at most {MAX_TEXT} characters ({len(text)} given).")
    return text


# ------------------------------------------------------------------ mitigations


def add_mitigation(
    con: duckdb.DuckDBPyConnection,
    *,
    action: str,
    owner: str | None,
    status: str,
    user: str,
) -> int:
    """Add one mitigating action; returns its id.

    Raises:
        ValueError: Empty or over-long text, or a status not in MITIGATION_STATUSES.
    """
    if status not in MITIGATION_STATUSES:
        raise ValueError(f"Status must be one of {', '.join(MITIGATION_STATUSES)}.")
    text = _short_text(action, "action")
    new_id = con.execute("SELECT coalesce(max(mitigation_id), 0) + 1 FROM mitigations").fetchall()[
        0
    ][0]
    con.execute(
        "INSERT INTO mitigations VALUES (?, ?, ?, ?, ?, ?)",
        [new_id, text, (owner or "").strip() or None, status, utc_now(), user],
    )
    audit.record(con, user=user, action="mitigation_add", detail=f"{new_id}: {text}")
    return int(new_id)


def set_mitigation_status(
    con: duckdb.DuckDBPyConnection, mitigation_id: int, status: str, *, user: str
) -> None:
    """Change the status of a mitigation (planned, in progress, done)."""
    if status not in MITIGATION_STATUSES:
        raise ValueError(f"Status must be one of {', '.join(MITIGATION_STATUSES)}.")
    con.execute(
        "UPDATE mitigations SET status = ?, updated_at = ?, updated_by = ? WHERE mitigation_id = ?",
        [status, utc_now(), user, mitigation_id],
    )
    audit.record(con, user=user, action="mitigation_status", detail=f"{mitigation_id}: {status}")


def delete_mitigation(con: duckdb.DuckDBPyConnection, mitigation_id: int, *, user: str) -> None:
    """Remove a mitigation from the briefing."""
    con.execute("DELETE FROM mitigations WHERE mitigation_id = ?", [mitigation_id])
    audit.record(con, user=user, action="mitigation_delete", detail=str(mitigation_id))


def mitigations(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every mitigation, open ones first, then by id."""
    return cur.sql("SELECT * FROM mitigations ORDER BY status = 'done', mitigation_id").pl()


# ------------------------------------------------------------------ targets


def set_target(
    con: duckdb.DuckDBPyConnection,
    *,
    measure: str,
    target_value: float,
    baseline_value: float | None,
    due_date: dt.date | None,
    note: str | None,
    user: str,
) -> None:
    """Set (or replace) the Director's target for one measure.

    `baseline_value` is where the measure stood when the target was set; progress is the share
    of the distance from baseline to target covered since.
    """
    if measure not in TARGET_MEASURES:
        raise ValueError(f"Unknown measure {measure!r}; choose from {', '.join(TARGET_MEASURES)}.")
    con.execute(
        "INSERT OR REPLACE INTO targets VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            measure,
            float(target_value),
            None if baseline_value is None else float(baseline_value),
            due_date,
            _short_text(note, "note") if note and note.strip() else None,
            utc_now(),
            user,
        ],
    )
    audit.record(con, user=user, action="target_set", detail=f"{measure} = {target_value}")


def delete_target(con: duckdb.DuckDBPyConnection, measure: str, *, user: str) -> None:
    """Remove the target on one measure."""
    con.execute("DELETE FROM targets WHERE measure = ?", [measure])
    audit.record(con, user=user, action="target_delete", detail=measure)


def targets(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every target, in the order of TARGET_MEASURES."""
    frame = cur.sql("SELECT * FROM targets").pl()
    order = {m: i for i, m in enumerate(TARGET_MEASURES)}
    return frame.sort(pl.col("measure").replace_strict(order, default=len(order)))


# ------------------------------------------------------------------ comparators


def add_comparator(
    con: duckdb.DuckDBPyConnection,
    *,
    council: str,
    values: dict[str, float | None],
    source: str,
    user: str,
) -> None:
    """Add (or replace) a comparator council entered by a user, with where its figures came from.

    Raises:
        ValueError: Empty council or source, or a figure that is negative.
    """
    name = _short_text(council, "council name")
    cited = _short_text(source, "source")
    figures = [values.get(c) for c in COMPARATOR_COLUMNS]
    if any(v is not None and v < 0 for v in figures):
        raise ValueError("Comparator figures cannot be negative.")
    con.execute(
        "INSERT OR REPLACE INTO user_comparators VALUES (?, ?, ?, ?, ?, ?, ?)",
        [name, *figures, cited, utc_now(), user],
    )
    audit.record(con, user=user, action="comparator_add", detail=name)


def delete_comparator(con: duckdb.DuckDBPyConnection, council: str, *, user: str) -> None:
    """Remove a user-added comparator."""
    con.execute("DELETE FROM user_comparators WHERE council = ?", [council])
    audit.record(con, user=user, action="comparator_delete", detail=council)


def user_comparators(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Comparators added by users, alphabetically."""
    return cur.sql(
        "SELECT council, net_budget_2021_22_gbp_m, gross_asc_spend_2019_20_per_1000_pop_gbp_k, "
        "long_term_care_65plus_per_head_gbp, source FROM user_comparators ORDER BY council"
    ).pl()


# ------------------------------------------------------------------ exports


# ------------------------------------------------------------------ briefing figures

_DISTRICTS = DISTRICTS_PREDICATE


def latest_week(cur: duckdb.DuckDBPyConnection, as_at: dt.date) -> dt.date | None:
    """The last Monday of the calendar on or before `as_at`."""
    row = cur.execute(
        "SELECT max(week_start) FROM calendar_weeks WHERE week_start <= ?", [as_at]
    ).fetchall()[0]
    return row[0] if row else None


def discharges_by_pathway(
    cur: duckdb.DuckDBPyConnection,
    as_at: dt.date,
    districts: Sequence[str] = (),
    *,
    weeks: int = 4,
) -> pl.DataFrame:
    """Exact counts of hospital discharges by district (rows) and pathway P0-P3 (columns) in the
    `weeks` weeks to the last Monday on or before `as_at`."""
    return cur.sql(
        f"""
        WITH wk AS (SELECT max(week_start) AS w FROM calendar_weeks WHERE week_start <= $as_at)
        SELECT district,
          CAST(sum(discharges) FILTER (WHERE pathway = 'P0') AS BIGINT) AS "P0",
          CAST(sum(discharges) FILTER (WHERE pathway = 'P1') AS BIGINT) AS "P1",
          CAST(sum(discharges) FILTER (WHERE pathway = 'P2') AS BIGINT) AS "P2",
          CAST(sum(discharges) FILTER (WHERE pathway = 'P3') AS BIGINT) AS "P3"
        FROM discharges_weekly, wk
        WHERE week_start > wk.w - 7 * $weeks AND week_start <= wk.w AND {_DISTRICTS}
        GROUP BY district ORDER BY district
        """,  # noqa: S608 (constant predicate; values are bound parameters)
        params={"as_at": as_at, "districts": list(districts), "weeks": weeks},
    ).pl()


def weekly_by_district(cur: duckdb.DuckDBPyConnection, as_at: dt.date) -> pl.DataFrame:
    """Exact weekly counts for every district, each Monday to `as_at`: people in homecare and
    their hours, people in temporary residential care, discharges needing social care, and
    those discharges over the 4 weeks to the Monday (NULL until 4 weeks of history)."""
    return cur.sql(
        """
        WITH cells AS (
          SELECT c.week_start, d.district FROM calendar_weeks c CROSS JOIN districts d
          WHERE c.week_start <= $as_at
        ),
        homecare AS (SELECT week_start, district, people, hours FROM homecare_weekly),
        temp AS (SELECT week_start, district, people FROM temp_residential_weekly),
        dis AS (
          SELECT week_start, district, sum(to_social_care) AS discharges
          FROM discharges_weekly GROUP BY ALL
        ),
        joined AS (
          SELECT x.week_start, x.district,
                 coalesce(h.people, 0) AS homecare_people, coalesce(h.hours, 0) AS hours,
                 coalesce(t.people, 0) AS temp_people,
                 CAST(coalesce(d.discharges, 0) AS BIGINT) AS discharges
          FROM cells x
          LEFT JOIN homecare h USING (week_start, district)
          LEFT JOIN temp t USING (week_start, district)
          LEFT JOIN dis d USING (week_start, district)
        )
        SELECT *,
               CASE WHEN count(*) OVER four = 4 THEN CAST(sum(discharges) OVER four AS BIGINT)
               END AS discharges_4wk
        FROM joined
        WINDOW four AS (PARTITION BY district ORDER BY week_start
                        ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)
        ORDER BY week_start, district
        """,
        params={"as_at": as_at},
    ).pl()
