"""Every file of the bad-input corpus (`scripts/make_bad_inputs.py`) through `ascdemand load`.

A bad file is rejected with exit status 2, a message naming file, row and column, and the
database left byte-for-byte as it was; an awkward-but-valid file loads, with a note where
something was ignored or will be neutralised.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from ascdemand import cli, exports
from ascdemand.store.load import load_upload

BAD_INPUTS = Path(__file__).resolve().parents[1] / "bad_inputs"
XLSX_LABEL = "merged_header_rows.xlsx (sheet 'Packages')"

# file, where the problem is (label, row, column: None when the fault has no single cell), words
REJECTED = [
    ("empty.csv", "empty.csv, row 1", "the file is empty"),
    ("header_only.csv", "header_only.csv, row 2", "no data rows below the header"),
    ("wrong_delimiter.csv", "wrong_delimiter.csv, row 2", "check the delimiter"),
    (
        "title_rows.csv",
        "title_rows.csv, row 6, column hours_per_week",
        "500 is above the maximum of 168",
    ),
    (
        "missing_column.csv",
        "missing_column.csv, row 1, column weekly_cost",
        "required column weekly_cost is missing",
    ),
    (
        "wrong_types.csv",
        "wrong_types.csv, row 3, column hours_per_week",
        "'twelve' is not a number",
    ),
    (
        "impossible_dates.csv",
        "impossible_dates.csv, row 3, column start_date",
        "'31/02/2021' is not a real calendar date",
    ),
    ("not_a_date.csv", "not_a_date.csv, row 3, column start_date", "'last Tuesday' is not a date"),
    (
        "future_dates.csv",
        "future_dates.csv, row 2, column start_date",
        "2030-01-01 is after the as-at date 2021-10-31",
    ),
    (
        "end_before_start.csv",
        "end_before_start.csv, row 3, column end_date",
        "end date 2021-02-01 is before start date 2021-03-01",
    ),
    (
        "absurd_hours.csv",
        "absurd_hours.csv, row 3, column hours_per_week",
        "500 is above the maximum of 168 hours in a week",
    ),
    (
        "negative_hours.csv",
        "negative_hours.csv, row 2, column hours_per_week",
        "-4 is below the minimum of 0",
    ),
    ("negative_cost.csv", "negative_cost.csv, row 2, column weekly_cost", "-300 is below"),
    ("not_allowed_value.csv", "not_allowed_value.csv, row 2, column service_type", "'homecar'"),
    ("blank_required.csv", "blank_required.csv, row 3, column district", "blank"),
    (
        "duplicate_keys.csv",
        "duplicate_keys.csv, row 4, column package_id",
        "duplicate package_id 'BP0101': already on row 2",
    ),
    (
        "duplicate_of_stored.csv",
        "duplicate_of_stored.csv, row 3, column package_id",
        "already stored: package_id 'BP0003'",
    ),
    (
        "merged_header_rows.xlsx",
        f"{XLSX_LABEL}, row 6, column hours_per_week",
        "500 is above the maximum of 168",
    ),
    ("truncated.parquet", "truncated.parquet", "the file is truncated"),
    (
        "multiline_value.csv",
        "multiline_value.csv, row 4 (line 6 of the file), column end_date",
        "end date 2021-02-01 is before start date 2021-03-01",
    ),
    (
        "list_column.parquet",
        "list_column.parquet, column district",
        "the column holds lists or records (Parquet list, struct or map)",
    ),
    (
        "long_text.csv",
        "long_text.csv, row 3, column district",
        "is 650 characters long; the limit is 100",
    ),
    (
        "too_many_columns.csv",
        "too_many_columns.csv, row 1",
        "the file has 1,500 columns, over the limit of 1,000",
    ),
    # Hostile workbooks (tests/reliability/test_hostile_files.py has more on each).
    ("far_cell.xlsx", "far_cell.xlsx", "reaches cell XFD1048576"),
    ("far_cell_undeclared.xlsx", "far_cell_undeclared.xlsx", "could not read the workbook safely"),
    ("zip_bomb.xlsx", "zip_bomb.xlsx", "a workbook's parts grow at most 100 times"),
    ("huge_claim.xlsx", "huge_claim.xlsx", "over the 1 GB limit for a workbook"),
]


def run_load(db: Path, path: Path, *extra: str) -> int:
    argv = ["--db", str(db), "load", "care_packages", str(path), "--as-at", "2021-10-31"]
    return cli.main([*argv, *extra])


def stored(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize(("name", "where", "words"), REJECTED, ids=[c[0] for c in REJECTED])
def test_bad_file_is_rejected_with_its_place_and_changes_nothing(
    name, where, words, loaded_db, fingerprint, capsys
):
    """Exit 2, the problem named at `where` (file, row, column), and the database unchanged."""
    before = fingerprint(loaded_db)
    assert run_load(loaded_db, BAD_INPUTS / name) == 2
    err = capsys.readouterr().err
    assert f"{where}: " in err, err
    assert words in err, err
    assert "Nothing was changed" in err
    assert fingerprint(loaded_db) == before


@pytest.mark.parametrize(("name", "where", "words"), REJECTED, ids=[c[0] for c in REJECTED])
def test_bad_upload_is_rejected_the_same_way(name, where, words, loaded_db, fingerprint):
    """The Data page's path (`load_upload`, bytes in memory) gives the same problem."""
    before = fingerprint(loaded_db)
    content = (BAD_INPUTS / name).read_bytes()
    result = load_upload(loaded_db, "care_packages", name, content, as_at=dt.date(2021, 10, 31))
    assert result.status == "rejected"
    assert any(str(p).startswith(f"{where}: ") and words in str(p) for p in result.problems), [
        str(p) for p in result.problems
    ]
    assert fingerprint(loaded_db) == before


def test_every_problem_of_a_file_is_reported(loaded_db, capsys):
    """wrong_types.csv has two bad cells on different rows and columns: both are listed."""
    assert run_load(loaded_db, BAD_INPUTS / "wrong_types.csv") == 2
    err = capsys.readouterr().err
    assert "2 problem(s) found" in err
    assert "wrong_types.csv, row 4, column weekly_cost: 'lots' is not a number" in err


def test_file_over_the_size_limit_is_refused_before_reading(loaded_db, fingerprint, tmp_path):
    """A 201 MB (sparse) file is refused at once, naming the 200 MB limit."""
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as handle:
        handle.write(b"package_id\n")
        handle.truncate(201 * 1024 * 1024)
    before = fingerprint(loaded_db)
    code = cli.main(["--db", str(loaded_db), "load", "care_packages", str(huge)])
    assert code == 2
    assert fingerprint(loaded_db) == before


def test_size_limit_message(loaded_db, tmp_path, capsys):
    """The refusal states the file's size and the limit."""
    huge = tmp_path / "huge.csv"
    with open(huge, "wb") as handle:
        handle.truncate(201 * 1024 * 1024)
    assert run_load(loaded_db, huge) == 2
    assert "huge.csv: the file is 201 MB, over the 200 MB limit" in capsys.readouterr().err


def test_semicolon_file_is_sniffed_and_loads(loaded_db):
    assert run_load(loaded_db, BAD_INPUTS / "semicolon_delimited.csv") == 0
    assert stored(loaded_db, "SELECT count(*) FROM care_packages") == [(7,)]


def test_latin1_text_is_read_correctly(loaded_db):
    """Windows-1252/Latin-1 bytes such as 0xE9 arrive as the right characters."""
    assert run_load(loaded_db, BAD_INPUTS / "latin1.csv") == 0
    providers = stored(loaded_db, "SELECT provider FROM care_packages WHERE package_id >= 'BP0151'")
    assert sorted(p for (p,) in providers) == ["Café Soins Ltd", "Ærø Care"]


@pytest.mark.parametrize("name", ["utf16le_no_bom.csv", "utf16be_no_bom.csv"])
def test_utf16_without_a_byte_order_mark_loads(name, loaded_db):
    """Told from the NUL byte of each character (was: 'new-line character seen in unquoted
    field', or every header unknown)."""
    assert run_load(loaded_db, BAD_INPUTS / name) == 0
    ids = stored(loaded_db, "SELECT count(*) FROM care_packages WHERE package_id >= 'BP0201'")
    assert ids == [(2,)]


def test_parquet_with_every_end_date_blank_loads_as_open_packages(loaded_db):
    """Every package still open, so end_date is a column of Parquet type null (was: a polars
    SchemaError traceback)."""
    assert run_load(loaded_db, BAD_INPUTS / "all_null_end_date.parquet") == 0
    rows = stored(
        loaded_db,
        "SELECT count(*), count(end_date) FROM care_packages WHERE package_id >= 'BP0191'",
    )
    assert rows == [(3, 0)]


def test_extra_column_of_records_is_ignored_with_a_note(loaded_db, capsys):
    assert run_load(loaded_db, BAD_INPUTS / "extra_struct_column.parquet") == 0
    assert "extra_struct_column.parquet, column audit: unknown column, ignored" in (
        capsys.readouterr().out
    )


def test_utf8_bom_does_not_spoil_the_first_column(loaded_db):
    assert run_load(loaded_db, BAD_INPUTS / "utf8_bom.csv") == 0
    ids = stored(loaded_db, "SELECT package_id FROM care_packages WHERE package_id >= 'BP0161'")
    assert sorted(i for (i,) in ids) == ["BP0161", "BP0162"]


def test_dates_in_several_formats_agree(loaded_db):
    """ISO, dd/mm/yyyy, Excel serial 44256 and dd-mm-yyyy all mean 1 March 2021."""
    assert run_load(loaded_db, BAD_INPUTS / "date_formats.csv") == 0
    starts = stored(
        loaded_db, "SELECT DISTINCT start_date FROM care_packages WHERE package_id >= 'BP0061'"
    )
    assert starts == [(dt.date(2021, 3, 1),)]


def test_extra_columns_are_ignored_with_a_note(loaded_db, capsys):
    assert run_load(loaded_db, BAD_INPUTS / "extra_columns.csv") == 0
    out = capsys.readouterr().out
    assert "extra_columns.csv, row 1, column favourite_colour: unknown column, ignored" in out


def test_overlapping_packages_of_one_person_load_with_a_note(loaded_db, capsys):
    assert run_load(loaded_db, BAD_INPUTS / "overlapping_packages.csv") == 0
    assert "overlapping_packages.csv, row 3, column start_date: 1 row(s) overlap" in (
        capsys.readouterr().out
    )


def test_formula_text_is_stored_as_text_and_neutralised_on_export(loaded_db, capsys):
    """The four spreadsheet-formula starts survive as text and leave every export inert."""
    assert run_load(loaded_db, BAD_INPUTS / "formula_text.csv") == 0
    assert "neutralised in every CSV or Excel export" in capsys.readouterr().out
    rows = stored(loaded_db, "SELECT provider FROM care_packages WHERE package_id >= 'BP0131'")
    providers = sorted(p for (p,) in rows)
    assert providers == sorted(
        ['=HYPERLINK("http://evil.example","click")', "+44 116 000", "-1+1", "@SUM(A1:A9)"]
    )
    frame = pl.DataFrame({"provider": providers})
    exported = exports.to_csv_bytes(frame).decode("utf-8-sig").splitlines()[1:]
    assert all(line.lstrip('"').startswith("'") for line in exported), exported


def test_sql_like_text_is_stored_verbatim(loaded_db):
    assert run_load(loaded_db, BAD_INPUTS / "sql_text.csv") == 0
    rows = stored(loaded_db, "SELECT provider FROM care_packages WHERE package_id >= 'BP0141'")
    assert sorted(p for (p,) in rows) == sorted(
        ["Robert'); DROP TABLE care_packages;--", "x' OR '1'='1"]
    )
    assert stored(loaded_db, "SELECT count(*) FROM care_packages") == [(7,)]


def test_multiline_value_is_stored_whole_once_the_bad_date_is_fixed(loaded_db, tmp_path):
    """multiline_value.csv with row 4's end date blanked: three rows, the address intact."""
    text = (BAD_INPUTS / "multiline_value.csv").read_text().replace(",2021-02-01,", ",,")
    fixed = tmp_path / "fixed.csv"
    fixed.write_text(text, newline="")
    assert run_load(loaded_db, fixed) == 0
    rows = stored(
        loaded_db,
        "SELECT package_id, provider FROM care_packages WHERE package_id >= 'BP0181' ORDER BY 1",
    )
    assert rows == [
        ("BP0181", "Acme Care\nUnit 4, Mill Lane\nLeicester"),
        ("BP0182", "Acme Care"),
        ("BP0183", "Acme Care"),
    ]


def test_same_file_twice_is_skipped(loaded_db, fingerprint, capsys):
    before = fingerprint(loaded_db)
    assert run_load(loaded_db, BAD_INPUTS / "valid.csv") == 0
    assert "was already loaded into care_packages" in capsys.readouterr().out
    assert fingerprint(loaded_db) == before


def test_excel_header_below_title_rows_on_second_sheet_loads(loaded_db, tmp_path):
    """With the bad hours fixed, the workbook loads from sheet 2, real Excel dates intact."""
    fixed = tmp_path / "fixed.xlsx"
    book = openpyxl.load_workbook(BAD_INPUTS / "merged_header_rows.xlsx")
    book["Packages"]["H6"] = 50
    book.save(fixed)
    assert run_load(loaded_db, fixed) == 0
    rows = stored(
        loaded_db,
        "SELECT package_id, start_date, hours_per_week FROM care_packages "
        "WHERE package_id LIKE 'XP%' ORDER BY 1",
    )
    assert rows == [
        ("XP0001", dt.date(2021, 3, 1), 12.0),
        ("XP0002", dt.date(2021, 4, 12), 10.5),
        ("XP0003", dt.date(2021, 5, 3), 50.0),
    ]


def test_upload_of_a_disallowed_type_is_refused(loaded_db, fingerprint):
    before = fingerprint(loaded_db)
    result = load_upload(loaded_db, "care_packages", "macro.xlsm.exe", b"MZ\x90\x00")
    assert result.status == "rejected"
    assert "not a file type we load" in result.problems[0].message
    assert fingerprint(loaded_db) == before


def test_upload_over_the_limit_is_refused(loaded_db):
    result = load_upload(loaded_db, "care_packages", "big.csv", b"x" * 2048, max_bytes=1024)
    assert result.status == "rejected"
    assert "the file is 2 KB, over the 1 KB limit for one load" in result.problems[0].message


def test_upload_is_written_only_to_a_temporary_folder_that_is_removed(
    loaded_db, tmp_path, monkeypatch
):
    """The uploaded bytes go to a private folder under the temp dir, gone after the load."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    content = (BAD_INPUTS / "semicolon_delimited.csv").read_bytes()
    result = load_upload(loaded_db, "care_packages", "../../escape.csv", content)
    assert result.status == "loaded", result.message
    assert list(scratch.iterdir()) == []
    assert not (tmp_path.parent / "escape.csv").exists()
    shutil.rmtree(scratch)


def test_long_problem_lists_are_capped_with_counts_by_kind(loaded_db, tmp_path, capsys):
    """300 rows with 500 hours: 200 listed, then '... and 100 more' with the count by kind."""
    header = (BAD_INPUTS / "valid.csv").read_text().splitlines()[0]
    rows = [
        f"CP{i:04d},LAS{i},homecare,Blaby,older_adults,2021-03-01,,500,300,Acme,community"
        for i in range(300)
    ]
    path = tmp_path / "many.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    assert run_load(loaded_db, path) == 2
    err = capsys.readouterr().err.splitlines()
    assert "300 problem(s) found (the first 200 are listed)" in err[0]
    assert sum(line.startswith("  many.csv, row ") for line in err) == 200
    assert err[-1] == "  ... and 100 more. Problems by kind: above maximum: 300"
