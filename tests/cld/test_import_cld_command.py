"""`ascdemand import-cld`: exit codes, the text and `--json` summaries, rejection by default
and `--skip-invalid`, and what the output never shows."""

from __future__ import annotations

import json

import polars as pl

from tests.cld.conftest import PROFILE, Q1, Q2, Q3_PROBLEMS, new_riverside_db, rows, run_import

# riverside_2023q3_problems.csv: one problem on each of rows 3 to 10.
PROBLEMS = [
    "riverside_2023q3_problems.csv, row 3, column NHS Number: fails the NHS number check digit "
    "(the value is not shown), and the LA Person Unique Identifier is blank",
    "riverside_2023q3_problems.csv, row 4, column Postcode: a postcode in ZZ9 lies in none of "
    "the council's districts (the rest of the postcode is not shown); check the profile's "
    "postcode prefixes",
    "riverside_2023q3_problems.csv, row 5, column Event End Date: end date 2023-11-01 is before "
    "start date 2023-11-10",
    "riverside_2023q3_problems.csv, row 6, column Event Start Date: the event starts on "
    "2024-01-15, after the reporting period ends on 2023-12-31",
    "riverside_2023q3_problems.csv, row 7, column Date of Death: the person died before this "
    "service starts on 2023-10-20",
    "riverside_2023q3_problems.csv, row 8, column Cost Frequency (Unit Type): 'Biannual' is not "
    "a cost frequency; use one of: Hourly, Daily, Weekly, Fortnightly, 4-Weekly, Monthly, "
    "Quarterly, Annually, One-off",
    "riverside_2023q3_problems.csv, row 9, column Unit Cost: blank, but a value is required",
    "riverside_2023q3_problems.csv, row 10, column Date of Birth: not a date (the value is not "
    "shown)",
]
# Direct identifiers of the people on those rows, none of which may be printed.
IDENTIFIERS = [
    "Nora", "Quint", "9995260183", "Oscar", "Vale", "ZZ9 9ZZ", "RS100021", "Priya", "Shah",
    "Rita", "Moss", "RS100024", "1936-05-05", "Uma", "Park", "31/02/1950", "9999528902",
    "Riverside Health Centre", "Y99001",
]  # fmt: skip


def _stored(db) -> list[tuple]:
    return rows(
        db,
        "SELECT (SELECT count(*) FROM care_packages), (SELECT count(*) FROM placements), "
        "(SELECT count(*) FROM discharges), (SELECT count(*) FROM load_log), "
        "(SELECT value FROM settings WHERE key = 'data_version')",
    )


def test_a_file_with_problems_is_rejected_whole_with_every_problem_listed(riverside_db, capsys):
    """Exit 2; nothing changes, not even the good file given with it; each problem names the
    file, the row as a spreadsheet shows it and the CLD column as the file writes it."""
    assert run_import(riverside_db, Q1) == 0
    before = _stored(riverside_db)
    capsys.readouterr()
    assert run_import(riverside_db, Q2, Q3_PROBLEMS) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("Not imported: 8 problem(s) found. Nothing was changed.")
    assert [line.strip() for line in err.splitlines() if line.startswith("  riverside_2023q3")] == (
        PROBLEMS
    )
    assert _stored(riverside_db) == before


def test_skip_invalid_imports_the_valid_rows_and_lists_the_rest(riverside_db, capsys):
    """Rows 2 (S-1002), 11 (R-28001, a discharge) and 12 (S-28001, reablement the next day:
    P1) are imported; the 8 invalid rows are listed and skipped; the carer's review counted."""
    capsys.readouterr()
    assert run_import(riverside_db, Q3_PROBLEMS, options=["--skip-invalid", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["status"] == "imported"
    assert [p["row"] for p in summary["problems"]] == list(range(3, 11))
    assert summary["skipped"]["invalid rows"] == 8 and summary["skipped"]["carers"] == 1
    assert summary["tables"]["care_packages"] == {"inserted": 2, "updated": 0, "unchanged": 0}
    assert rows(riverside_db, "SELECT package_id, source FROM care_packages ORDER BY 1") == [
        ("S-1002", "community"),
        ("S-28001", "hospital_discharge"),
    ]
    assert rows(riverside_db, "SELECT discharge_id, pathway, outcome FROM discharges") == [
        ("R-28001", "P1", "reablement")
    ]


def test_the_json_summary(riverside_db, capsys):
    capsys.readouterr()
    assert run_import(riverside_db, Q1, Q2, options=["--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) == {
        "status", "message", "files", "rows_read", "tables", "skipped", "discharges_derived",
        "relinked", "problem_total", "problem_counts", "problems", "notes",
    }  # fmt: skip
    assert summary["status"] == "imported"
    assert summary["rows_read"] == 40
    assert [(f["file"], f["status"], f["reporting_period_end"]) for f in summary["files"]] == [
        ("riverside_2023q1.csv", "imported", "2023-06-30"),
        ("riverside_2023q2.csv", "imported", "2023-09-30"),
    ]
    assert summary["tables"] == {
        "care_packages": {"inserted": 9, "updated": 0, "unchanged": 0},
        "placements": {"inserted": 6, "updated": 0, "unchanged": 0},
        "discharges": {"inserted": 6, "updated": 0, "unchanged": 0},
    }
    assert summary["skipped"] == {
        "carers": 3,
        "assessments": 3,
        "reviews": 2,
        "other requests": 2,
        "other services": 1,
        "older submission": 8,
        "invalid rows": 0,
    }
    assert summary["discharges_derived"] == 6 and summary["problem_total"] == 0
    assert [n["column"] for n in summary["notes"]] == ["NHS_Number"]


def test_the_text_summary(riverside_db, capsys):
    capsys.readouterr()
    assert run_import(riverside_db, Q1) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:8] == [
        "Imported 1 CLD file(s).",
        "  riverside_2023q1.csv (period ending 30 June 2023): imported",
        "Rows read: 23",
        "  care_packages: 7 new, 0 updated, 0 unchanged",
        "  placements: 4 new, 0 updated, 0 unchanged",
        "  discharges: 4 new, 0 updated, 0 unchanged",
        "Skipped: carers 2, assessments 2, reviews 1, other requests 2, other services 1, "
        "older submission 0, invalid rows 0",
        "Discharge pathways derived: 4; earlier rows relinked: 0",
    ]


def test_without_a_profile_the_import_is_refused(tmp_path, capsys):
    db = tmp_path / "empty.duckdb"
    assert run_import(db, Q1) == 2
    assert "load one first with `ascdemand profile load FILE.toml`" in capsys.readouterr().err
    assert not db.exists()


def test_a_file_that_is_not_a_cld_return_is_rejected(riverside_db, tmp_path, capsys):
    other = tmp_path / "packages.csv"
    other.write_text("package_id,person_id\nA,B\n")
    assert run_import(riverside_db, Q1, other) == 2
    err = capsys.readouterr().err
    assert "packages.csv" in err and "required column Event Reference is missing" in err
    assert rows(riverside_db, "SELECT count(*) FROM load_log") == [(0,)]


def test_no_identifier_is_ever_printed(riverside_db, capsys):
    """Neither the rejection, the --skip-invalid listing nor the JSON shows a name, NHS number,
    LA identifier, GP detail, date of birth or full postcode of the rows with problems."""
    capsys.readouterr()
    run_import(riverside_db, Q3_PROBLEMS)
    run_import(riverside_db, Q3_PROBLEMS, options=["--json"])
    run_import(riverside_db, Q3_PROBLEMS, options=["--skip-invalid"])
    out, err = capsys.readouterr()
    printed = out + err
    assert "ZZ9" in printed  # the outward code is shown, so the search can see the output
    assert [i for i in IDENTIFIERS if i in printed] == []


def test_unknown_types_and_a_repeated_event_reference_are_problems(riverside_db, tmp_path, capsys):
    """Q1 with row 14's Event Type 'Contact', row 16's Client Type blank, and row 21 (S-10001)
    given row 4's Event Reference S-1002."""
    frame = pl.read_csv(Q1, infer_schema=False)
    changed = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 12)
        .then(pl.lit("Contact"))
        .otherwise(pl.col("Event Type"))
        .alias("Event Type"),
        pl.when(pl.int_range(pl.len()) == 14)
        .then(pl.lit(None))
        .otherwise(pl.col("Client Type"))
        .alias("Client Type"),
        pl.when(pl.int_range(pl.len()) == 19)
        .then(pl.lit("S-1002"))
        .otherwise(pl.col("Event Reference"))
        .alias("Event Reference"),
    )
    path = tmp_path / "q1_changed.csv"
    changed.write_csv(path)
    capsys.readouterr()
    assert run_import(riverside_db, path) == 2
    err = capsys.readouterr().err.splitlines()
    assert [line.strip() for line in err if line.startswith("  q1_changed.csv")] == [
        "q1_changed.csv, row 14, column Event Type: 'Contact' is not a CLD event type; use one "
        "of: Request, Assessment, Review, Service",
        "q1_changed.csv, row 16, column Client Type: blank, but a value is required",
        "q1_changed.csv, row 21, column Event Reference: 'S-1002' appears again in this file: "
        "first on row 4",
    ]


def test_a_return_with_no_rows_is_rejected(riverside_db, tmp_path, capsys):
    header_only = tmp_path / "empty_quarter.csv"
    header_only.write_text(Q1.read_text().splitlines()[0] + "\n")
    capsys.readouterr()
    assert run_import(riverside_db, header_only) == 2
    assert "empty_quarter.csv, row 2: no data rows below the header" in capsys.readouterr().err


def test_a_profile_without_a_trust_is_refused(tmp_path, capsys):
    """A discharge takes the profile's first trust, so a profile naming none cannot import."""
    profile = tmp_path / "no_trust.toml"
    profile.write_text(PROFILE.read_text().replace('trusts = ["RTG"]\n', ""))
    db = new_riverside_db(tmp_path / "store.duckdb", profile)
    capsys.readouterr()
    assert run_import(db, Q1) == 2
    assert "The council profile names no hospital trust" in capsys.readouterr().err
    assert rows(db, "SELECT count(*) FROM load_log") == [(0,)]
