"""Importing the Riverside CLD returns: the mapping of each event, what is counted but not
loaded, derived discharge pathways and package sources, and quarterly supersession."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.cld.conftest import Q1, Q2, Q2_XLSX, new_riverside_db, rows, run_import

D = dt.date
PACKAGES = (
    "SELECT package_id, service_type, district, client_group, start_date, end_date, "
    "hours_per_week, weekly_cost, provider, source FROM care_packages ORDER BY package_id"
)
PLACEMENTS = (
    "SELECT placement_id, placement_type, setting, district, client_group, start_date, end_date, "
    "weekly_cost, standard_rate, additional_payment, provider FROM placements ORDER BY 1"
)
DISCHARGES = (
    "SELECT discharge_id, discharge_date, district, hospital_trust, pathway, outcome "
    "FROM discharges ORDER BY 1"
)


def _summary(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def _tables(db) -> dict[str, list[tuple]]:
    """Every stored row of the three tables, with person ids, without batch ids."""
    return {
        "care_packages": rows(db, "SELECT * EXCLUDE (batch_id) FROM care_packages ORDER BY 1"),
        "placements": rows(db, "SELECT * EXCLUDE (batch_id) FROM placements ORDER BY 1"),
        "discharges": rows(db, "SELECT * EXCLUDE (batch_id) FROM discharges ORDER BY 1"),
    }


def test_each_service_of_the_first_quarter_maps_as_the_readme_says(riverside_db):
    """Weekly costs: S-1001 25 x 10 h; S-1002 22.50 x 14 h; S-3001 1,200 weekly; S-3002 45
    daily x 7; S-4001 1,560 4-weekly / 4 (a direct payment by delivery mechanism); S-6001
    26,000 annually / 52 (shared lives); S-10001 21 per hour x 7 h. Placements: S-2001 short-term
    residential 700 weekly; S-5001 long-term nursing 5,200 monthly x 12 / 52; S-8001 short-term
    nursing 1,100 weekly; S-8002 long-term residential 110 daily x 7; the standard rate is the
    weekly cost. Ages at the start decide older adults (Ada 82, Grace 77) against physical
    disability (Dev 47); Jamal's social support is other. Dev has no LA identifier: he is keyed
    by his NHS number. S-1001 starts the day after Ada's discharge: from hospital."""
    assert run_import(riverside_db, Q1) == 0
    assert rows(riverside_db, PACKAGES) == [
        ("S-10001", "homecare", "Eastbank", "other", D(2023, 4, 12), D(2023, 6, 21),
         7.0, 147.0, "Brightside Home Care", "community"),
        ("S-1001", "reablement", "Eastbank", "older_adults", D(2023, 4, 4), D(2023, 4, 30),
         10.0, 250.0, "Riverside Reablement Team", "hospital_discharge"),
        ("S-1002", "homecare", "Eastbank", "older_adults", D(2023, 5, 1), None,
         14.0, 315.0, "Brightside Home Care", "community"),
        ("S-3001", "supported_living", "Northfield", "learning_disability", D(2023, 1, 9), None,
         None, 1200.0, "Oak Lodge Supported Living", "community"),
        ("S-3002", "day_care", "Northfield", "learning_disability", D(2023, 4, 3), None,
         None, 315.0, "Riverside Day Centre", "community"),
        ("S-4001", "direct_payment", "Northfield", "physical_disability", D(2023, 2, 6), None,
         None, 390.0, None, "community"),
        ("S-6001", "supported_living", "Westmoor", "mental_health", D(2023, 3, 1), None,
         None, 500.0, "Riverside Shared Lives", "community"),
    ]  # fmt: skip
    assert rows(riverside_db, PLACEMENTS) == [
        ("S-2001", "temporary", "residential", "Westmoor", "older_adults", D(2023, 6, 12), None,
         700.0, 700.0, 0.0, "Willow Court"),
        ("S-5001", "permanent", "nursing", "Eastbank", "older_adults", D(2023, 5, 12), None,
         1200.0, 1200.0, 0.0, "Meadow View Nursing Home"),
        ("S-8001", "temporary", "nursing", "Northfield", "older_adults", D(2023, 5, 22),
         D(2023, 6, 4), 1100.0, 1100.0, 0.0, "Meadow View Nursing Home"),
        ("S-8002", "permanent", "residential", "Northfield", "older_adults", D(2023, 6, 5), None,
         770.0, 770.0, 0.0, "Willow Court"),
    ]  # fmt: skip


def test_discharge_requests_become_discharges_with_derived_pathways(riverside_db):
    """R-1001: reablement the next day -> P1; R-2001: short-term residential care the same day
    -> P2; R-5001: nursing home two days later -> P3; R-7001: nothing in this quarter -> P0.
    The trust is the profile's; each rule is kept in discharge_derivations."""
    assert run_import(riverside_db, Q1) == 0
    assert rows(riverside_db, DISCHARGES) == [
        ("R-1001", D(2023, 4, 3), "Eastbank", "RTG", "P1", "reablement"),
        ("R-2001", D(2023, 6, 12), "Westmoor", "RTG", "P2", "temporary_residential"),
        ("R-5001", D(2023, 5, 10), "Eastbank", "RTG", "P3", "permanent_residential"),
        ("R-7001", D(2023, 6, 26), "Westmoor", "RTG", "P0", "no_ongoing_package"),
    ]
    assert rows(riverside_db, "SELECT discharge_id, rule FROM discharge_derivations ORDER BY 1") == [
        ("R-1001", "first service within 14 days of the discharge: reablement from 2023-04-04"),
        ("R-2001",
         "first service within 14 days of the discharge: temporary placement from 2023-06-12"),
        ("R-5001",
         "first service within 14 days of the discharge: permanent placement from 2023-05-12"),
        ("R-7001", "no service started within 14 days of the discharge"),
    ]  # fmt: skip


def test_carers_assessments_reviews_and_other_events_are_counted_not_loaded(riverside_db, capsys):
    """Q1's 23 rows: 7 packages, 4 placements, 4 discharges loaded; Iris Pike's two carer
    rows, two assessments, one review, two community requests and one equipment service
    counted only."""
    capsys.readouterr()
    assert run_import(riverside_db, Q1, options=["--json"]) == 0
    summary = _summary(capsys)
    assert summary["rows_read"] == 23
    assert summary["tables"] == {
        "care_packages": {"inserted": 7, "updated": 0, "unchanged": 0},
        "placements": {"inserted": 4, "updated": 0, "unchanged": 0},
        "discharges": {"inserted": 4, "updated": 0, "unchanged": 0},
    }
    assert summary["skipped"] == {
        "carers": 2,
        "assessments": 2,
        "reviews": 1,
        "other requests": 2,
        "other services": 1,
        "older submission": 0,
        "invalid rows": 0,
    }
    ids = rows(
        riverside_db,
        "SELECT package_id FROM care_packages UNION ALL SELECT placement_id FROM placements "
        "UNION ALL SELECT discharge_id FROM discharges",
    )
    assert not {"C-9001", "C-9002", "A-7001", "A-11001", "V-6001", "R-4001", "R-11001",
                "S-11001"} & {i for (i,) in ids}  # fmt: skip


def test_the_next_quarter_updates_services_and_relinks_an_earlier_discharge(riverside_db, capsys):
    """Q2 raises S-1002 to 16 h (22.50 x 16 = 360), closes S-2001 on 9 July and S-3002 on 31
    August, and adds S-7001: Grace's homecare a week after her discharge R-7001 of Q1, which
    becomes P1 homecare (relinked) while S-7001's source is hospital discharge."""
    assert run_import(riverside_db, Q1) == 0
    capsys.readouterr()
    assert run_import(riverside_db, Q2, options=["--json"]) == 0
    summary = _summary(capsys)
    assert summary["tables"] == {
        "care_packages": {"inserted": 2, "updated": 2, "unchanged": 3},
        "placements": {"inserted": 2, "updated": 1, "unchanged": 2},
        "discharges": {"inserted": 2, "updated": 0, "unchanged": 0},
    }
    assert summary["relinked"] == 1
    packages = {r[0]: r for r in rows(riverside_db, PACKAGES)}
    assert packages["S-1002"][6:8] == (16.0, 360.0)
    assert packages["S-3002"][5] == D(2023, 8, 31)
    assert packages["S-7001"][-1] == "hospital_discharge"
    assert packages["S-12002"][-1] == "community"  # discharged 28 days before it started
    assert rows(riverside_db, "SELECT end_date FROM placements WHERE placement_id = 'S-2001'") == [
        (D(2023, 7, 9),)
    ]
    assert rows(riverside_db, DISCHARGES) == [
        ("R-1001", D(2023, 4, 3), "Eastbank", "RTG", "P1", "reablement"),
        ("R-1002", D(2023, 9, 18), "Eastbank", "RTG", "P0", "no_ongoing_package"),
        ("R-12001", D(2023, 8, 14), "Eastbank", "RTG", "P2", "temporary_residential"),
        ("R-2001", D(2023, 6, 12), "Westmoor", "RTG", "P2", "temporary_residential"),
        ("R-5001", D(2023, 5, 10), "Eastbank", "RTG", "P3", "permanent_residential"),
        ("R-7001", D(2023, 6, 26), "Westmoor", "RTG", "P1", "homecare"),
    ]
    assert rows(
        riverside_db,
        "SELECT table_name, count(*), min(reporting_period_end), max(reporting_period_end) "
        "FROM cld_events GROUP BY 1 ORDER BY 1",
    ) == [
        ("care_packages", 9, D(2023, 6, 30), D(2023, 9, 30)),
        ("discharges", 6, D(2023, 6, 30), D(2023, 9, 30)),
        ("placements", 6, D(2023, 6, 30), D(2023, 9, 30)),
    ]
    changed = rows(
        riverside_db,
        "SELECT table_name, row_key, column_name, before, after FROM load_changes ORDER BY 1, 2, 3",
    )
    assert ("care_packages", '{"package_id":"S-1002"}', "hours_per_week", "14.0", "16.0") in changed
    assert ("discharges", '{"discharge_id":"R-7001"}', "pathway", "P0", "P1") in changed


@pytest.mark.slow  # several seconds
def test_quarters_in_either_order_or_together_give_the_same_tables(tmp_path, riverside_db, capsys):
    """Q2 then Q1: Q1's 8 rows for services Q2 restates (S-1002, S-2001, S-3001, S-3002,
    S-4001, S-5001, S-6001, S-8002) are older submissions and change nothing; its other rows
    add what Q2 lacks, and R-7001 relinks Q2's S-7001 to hospital discharge. Both files in one
    command give the same tables too."""
    assert run_import(riverside_db, Q1) == 0
    assert run_import(riverside_db, Q2) == 0
    in_order = _tables(riverside_db)

    reverse = new_riverside_db(tmp_path / "reverse.duckdb")
    assert run_import(reverse, Q2) == 0
    capsys.readouterr()
    assert run_import(reverse, Q1, options=["--json"]) == 0
    summary = _summary(capsys)
    assert summary["skipped"]["older submission"] == 8
    assert summary["relinked"] == 1
    assert _tables(reverse) == in_order

    together = new_riverside_db(tmp_path / "together.duckdb")
    assert run_import(together, Q2, Q1) == 0
    assert _tables(together) == in_order


def test_the_same_quarter_again_keeps_each_service_once(riverside_db, capsys):
    """The same file again is skipped (same SHA-256) and changes nothing; the same quarter as a
    workbook (another file) restates every event unchanged."""
    assert run_import(riverside_db, Q1, Q2) == 0
    before = _tables(riverside_db)
    changes = rows(riverside_db, "SELECT count(*) FROM load_changes")
    capsys.readouterr()
    assert run_import(riverside_db, Q2, options=["--json"]) == 0
    summary = _summary(capsys)
    assert summary["status"] == "skipped"
    assert summary["files"] == [
        {"file": "riverside_2023q2.csv", "status": "skipped", "reporting_period_end": None,
         "batch_id": None, "inserted": 0, "updated": 0, "unchanged": 0}
    ]  # fmt: skip
    capsys.readouterr()
    assert run_import(riverside_db, Q2_XLSX, options=["--json"]) == 0
    assert _summary(capsys)["tables"] == {
        "care_packages": {"inserted": 0, "updated": 0, "unchanged": 7},
        "placements": {"inserted": 0, "updated": 0, "unchanged": 5},
        "discharges": {"inserted": 0, "updated": 0, "unchanged": 2},
    }
    assert _tables(riverside_db) == before
    assert rows(riverside_db, "SELECT count(*) FROM load_changes") == changes
    assert rows(riverside_db, "SELECT count(*) FROM care_packages WHERE package_id = 'S-1002'") == [
        (1,)
    ]


def test_an_older_quarter_never_overwrites_a_newer_one(riverside_db):
    """S-2001 closed in Q2 stays closed when Q1 (open) is imported after it; S-1002 keeps
    Q2's 16 hours."""
    assert run_import(riverside_db, Q2) == 0
    assert run_import(riverside_db, Q1) == 0
    assert rows(riverside_db, "SELECT end_date FROM placements WHERE placement_id = 'S-2001'") == [
        (D(2023, 7, 9),)
    ]
    assert rows(
        riverside_db, "SELECT hours_per_week FROM care_packages WHERE package_id = 'S-1002'"
    ) == [(16.0,)]
    assert rows(
        riverside_db,
        "SELECT reporting_period_end FROM cld_events WHERE event_reference = 'S-2001'",
    ) == [(D(2023, 9, 30),)]


def test_the_as_at_date_moves_forward_to_the_latest_reporting_period(riverside_db):
    """Q2 sets 30 September 2023; Q1 imported after it does not move it back."""
    as_at = "SELECT value FROM settings WHERE key = 'as_at_date'"
    assert run_import(riverside_db, Q2) == 0
    assert rows(riverside_db, as_at) == [("2023-09-30",)]
    assert run_import(riverside_db, Q1) == 0
    assert rows(riverside_db, as_at) == [("2023-09-30",)]


def test_each_file_is_logged_and_the_import_audited(riverside_db):
    assert run_import(riverside_db, Q1, Q2, options=["--user", "analyst"]) == 0
    log = rows(
        riverside_db,
        "SELECT table_name, file_name, rows, inserted, updated, unchanged, loaded_by "
        "FROM load_log ORDER BY file_name",
    )
    assert log == [
        ("cld", "riverside_2023q1.csv", 7, 7, 0, 0, "analyst"),
        ("cld", "riverside_2023q2.csv", 14, 14, 0, 0, "analyst"),
    ]
    audit = rows(
        riverside_db, "SELECT user_name, action, detail FROM audit_log WHERE action = 'import-cld'"
    )
    assert len(audit) == 1 and audit[0][0] == "analyst"
    assert "Imported 2 CLD file(s)." in audit[0][2]
