"""The validator: parsing of dates, numbers and codes, every check, row numbers, the cap."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ascdemand.store.contract import (
    BUDGET_LINES,
    CARE_PACKAGES,
    DISCHARGES,
    LEDGER,
    SERVICE_LINES,
)
from ascdemand.store.validate import MAX_SHOWN, normalise_header, validate

AS_AT = dt.date(2021, 10, 31)
GOOD = {
    "package_id": "P1",
    "person_id": "LAS1",
    "service_type": "homecare",
    "district": "Blaby",
    "client_group": "older_adults",
    "start_date": "2021-03-01",
    "end_date": "",
    "hours_per_week": "12",
    "weekly_cost": "300",
    "provider": "Acme",
    "source": "community",
}


def packages(*changes: dict[str, str]) -> pl.DataFrame:
    """One text row per dict of changes to a good row; package ids P1, P2, ... in order."""
    rows = [GOOD | {"package_id": f"P{i + 1}"} | c for i, c in enumerate(changes)]
    return pl.DataFrame(rows)


def check(frame: pl.DataFrame, table=CARE_PACKAGES, **kw):
    return validate(frame, table, file_name="f.csv", as_at=kw.pop("as_at", AS_AT), **kw)


def where(result) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.kind) for p in result.problems]


def test_a_good_row_passes_and_is_typed():
    result = check(packages({}))
    assert result.ok, result.problems
    row = result.frame.row(0, named=True)
    assert row["start_date"] == dt.date(2021, 3, 1)
    assert row["end_date"] is None
    assert row["hours_per_week"] == 12.0
    assert row["__row__"] == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-03-01", dt.date(2021, 3, 1)),
        ("01/03/2021", dt.date(2021, 3, 1)),
        ("1/3/2021", dt.date(2021, 3, 1)),
        ("01-03-2021", dt.date(2021, 3, 1)),
        ("2021-03-01 00:00:00", dt.date(2021, 3, 1)),
        ("2021-03-01T14:30", dt.date(2021, 3, 1)),
        # Excel serial: 1899-12-30 + 44256 days = 2021-03-01 (43831 is 2020-01-01, + 366 + 59)
        ("44256", dt.date(2021, 3, 1)),
        ("44256.0", dt.date(2021, 3, 1)),
    ],
)
def test_date_formats(text, expected):
    """A column mixing formats parses each one (an all-ISO column takes a fast path)."""
    result = check(packages({}, {"start_date": text}))
    assert result.ok, result.problems
    assert result.frame["start_date"].to_list() == [dt.date(2021, 3, 1), expected]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("31/02/2021", "not a real calendar date"),
        ("2021-02-29", "not a real calendar date"),
        ("2021-13-01", "not a real calendar date"),
        ("yesterday", "is not a date"),
        ("1949-12-31", "before 1950"),
        ("2021-11-01", "after the as-at date 2021-10-31"),
    ],
)
def test_bad_dates(text, words):
    result = check(packages({"start_date": text}))
    assert where(result)[0][:2] == (2, "start_date")
    assert words in result.problems[0].message


def test_the_as_at_date_itself_is_allowed():
    assert check(packages({"start_date": "2021-10-31"})).ok


def test_typed_frames_are_accepted_as_they_are():
    """The demo passes real dates and floats; they are checked, not re-parsed."""
    frame = packages({}).with_columns(
        pl.lit(dt.date(2021, 3, 1)).alias("start_date"),
        pl.lit(None, pl.Date).alias("end_date"),
        pl.lit(12.5).alias("hours_per_week"),
        pl.lit(300.0).alias("weekly_cost"),
    )
    result = check(frame)
    assert result.ok, result.problems
    assert result.frame["hours_per_week"].to_list() == [12.5]


def test_numbers_tolerate_pounds_and_thousands_but_not_nan():
    result = check(
        packages({"weekly_cost": "£1,234.50"}, {"weekly_cost": "NaN"}, {"weekly_cost": "1e400"})
    )
    assert result.frame["weekly_cost"][0] == 1234.5
    assert where(result) == [(3, "weekly_cost", "not a number"), (4, "weekly_cost", "not a number")]


def test_hours_range_and_end_before_start():
    result = check(
        packages(
            {"hours_per_week": "168"},
            {"hours_per_week": "168.5"},
            {"hours_per_week": "-0.5"},
            {"start_date": "2021-03-01", "end_date": "2021-02-28"},
        )
    )
    assert where(result) == [
        (3, "hours_per_week", "above maximum"),
        (4, "hours_per_week", "below minimum"),
        (5, "end_date", "end before start"),
    ]


def test_codes_match_ignoring_case_and_spaces_and_bad_ones_are_listed():
    result = check(packages({"service_type": "Supported Living"}, {"service_type": "meals"}))
    assert result.frame["service_type"][0] == "supported_living"
    assert where(result) == [(3, "service_type", "not an allowed value")]
    assert "use one of: homecare, reablement" in result.problems[0].message


def test_pathway_codes_keep_their_capitals():
    row = {
        "discharge_id": "D1",
        "person_id": "LAS1",
        "discharge_date": "2021-03-01",
        "district": "Melton",
        "hospital_trust": "RWE",
        "pathway": "p1",
        "outcome": "homecare",
    }
    result = check(pl.DataFrame([row, row | {"discharge_id": "D2", "pathway": "P5"}]), DISCHARGES)
    assert result.frame["pathway"][0] == "P1"
    assert where(result) == [(3, "pathway", "not an allowed value")]


def test_blank_required_value_but_not_blank_optional():
    result = check(packages({"district": " ", "provider": ""}))
    assert where(result) == [(2, "district", "blank value")]


def test_person_identifiers_are_never_echoed_in_messages():
    """Even a blank-or-bad person_id problem does not repeat a raw identifier."""
    result = check(packages({"person_id": ""}, {"person_id": "LAS-SECRET-9"}))
    assert all("LAS-SECRET-9" not in p.message for p in result.problems)


def test_financial_years():
    """`2021/22`, `2021-22` and `2021/2022` all mean 2021/22; years must follow on."""
    years = ["2021/22", "2021-22", "2021/2022", "2021/23", "21/22", "1999/00"]
    frame = pl.DataFrame(
        {"financial_year": years, "service_line": SERVICE_LINES[: len(years)], "budget": "100"}
    )
    result = check(frame, BUDGET_LINES)
    assert where(result) == [
        (5, "financial_year", "bad financial year"),
        (6, "financial_year", "bad financial year"),
    ]
    assert "'2021/23' is not a financial year like 2021/22" in result.problems[0].message
    typed = result.frame["financial_year"].to_list()
    assert typed[:3] == ["2021/22"] * 3
    assert typed[5] == "1999/00"


def test_duplicate_keys_within_a_file_name_the_first_row():
    """Ledger key is (financial_year, period, service_line): rows 2 and 4 share it."""
    frame = pl.DataFrame(
        {
            "financial_year": ["2021/22", "2021/22", "2021-22"],
            "period": ["1", "2", "1"],
            "service_line": "homecare",
            "actual_spend": "10",
            "income": "0",
        }
    )
    result = check(frame, LEDGER)
    assert where(result) == [(4, "service_line", "duplicate key")]
    assert "already on row 2" in result.problems[0].message


def test_ledger_period_is_a_whole_number_from_1_to_12():
    frame = pl.DataFrame(
        {
            "financial_year": "2021/22",
            "period": ["7", "13", "1.5"],
            "service_line": ["homecare", "staffing", "grants"],
            "actual_spend": "10",
            "income": "0",
        }
    )
    result = check(frame, LEDGER)
    assert where(result) == [(3, "period", "above maximum"), (4, "period", "not a whole number")]


def test_headers_are_normalised_and_extras_noted():
    frame = packages({}).rename({"start_date": " Start Date ", "weekly_cost": "WEEKLY-COST"})
    result = check(frame.with_columns(pl.lit("x").alias("Notes")))
    assert result.ok, result.problems
    assert [(n.row, n.column, n.message) for n in result.notes] == [
        (1, "Notes", "unknown column, ignored")
    ]
    assert normalise_header("\ufeffPackage ID") == "package_id"


def test_missing_columns_are_each_reported_and_other_checks_still_run():
    result = check(packages({"hours_per_week": "900"}).drop("weekly_cost", "source"))
    assert where(result) == [
        (1, "weekly_cost", "missing column"),
        (1, "source", "missing column"),
        (2, "hours_per_week", "above maximum"),
    ]


def test_blank_rows_are_skipped_and_row_numbers_kept():
    """A blank line 3 is skipped (noted); the bad value on line 4 is still called row 4."""
    blank = {k: "" for k in GOOD}
    frame = pl.DataFrame([GOOD, blank, GOOD | {"package_id": "P3", "hours_per_week": "x"}])
    result = check(frame)
    assert where(result) == [(4, "hours_per_week", "not a number")]
    assert result.notes[0].message == "1 blank row(s) skipped"


def test_first_row_offset_for_sheets_with_title_rows():
    result = check(packages({"hours_per_week": "x"}), first_row=5)
    assert where(result) == [(5, "hours_per_week", "not a number")]


def test_every_problem_is_counted_but_only_the_first_are_listed():
    """1,000 bad hours and 1,000 bad costs: 2,000 counted, the first MAX_SHOWN kept by row."""
    frame = pl.DataFrame([GOOD | {"package_id": f"P{i}"} for i in range(1000)]).with_columns(
        pl.lit("500").alias("hours_per_week"), pl.lit("-1").alias("weekly_cost")
    )
    result = check(frame)
    assert result.total == 2000
    assert result.counts == {"above maximum": 1000, "below minimum": 1000}
    assert len(result.problems) == MAX_SHOWN
    assert [p.row for p in result.problems[:4]] == [2, 2, 3, 3]


def test_overlapping_packages_are_noted_not_rejected():
    """Person A: Jan 1-31 then Jan 15-open homecare -> row 3 overlaps. A's day care from Jan 20
    is another service; B's Jan 1-10 then Jan 11 packages touch but do not overlap."""
    rows = [
        {"person_id": "A", "start_date": "2021-01-01", "end_date": "2021-01-31"},
        {"person_id": "A", "start_date": "2021-01-15"},
        {"person_id": "A", "start_date": "2021-01-20", "service_type": "day_care"},
        {"person_id": "B", "start_date": "2021-01-01", "end_date": "2021-01-10"},
        {"person_id": "B", "start_date": "2021-01-11"},
    ]
    result = check(packages(*rows))
    assert result.ok
    assert [(n.row, n.column) for n in result.notes] == [(3, "start_date")]
    assert result.notes[0].message.startswith("1 row(s) overlap")


def test_formula_like_text_is_noted():
    result = check(packages({"provider": "=HYPERLINK(1)"}, {"provider": "@x", "person_id": "LAS2"}))
    assert result.ok
    assert [(n.row, n.column) for n in result.notes] == [(2, "provider")]
    assert result.notes[0].message.startswith("2 value(s) start with =, +, -, @")


def test_numeric_date_columns_are_excel_serials():
    """A Parquet column of integers: 44256 is 1 March 2021; 0 is not a date (reported)."""
    frame = packages({}, {}).with_columns(pl.Series("start_date", [44256, 0]))
    result = check(frame)
    assert result.frame["start_date"][0] == dt.date(2021, 3, 1)
    assert where(result) == [(3, "start_date", "invalid date")]
    assert result.problems[0].message.startswith("0 is not a date")
