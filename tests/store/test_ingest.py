"""Reading extract files: encodings, delimiters, Excel sheets, Parquet, refusals."""

from __future__ import annotations

import openpyxl
import pytest

from ascdemand.store.contract import CARE_PACKAGES, DISCHARGES
from ascdemand.store.ingest import UnreadableFile, read_extract

HEADER = "discharge_id\tperson_id\tdischarge_date\tdistrict\thospital_trust\tpathway\toutcome"
ROW = "D1\tLAS1\t2021-03-01\tMelton\tRWE\tP1\thomecare"


def test_utf16_tab_delimited_text_is_read(tmp_path):
    """Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated."""
    path = tmp_path / "discharges.txt"
    path.write_bytes(f"{HEADER}\r\n{ROW}\r\n".encode("utf-16"))
    extract = read_extract(path, DISCHARGES)
    assert extract.frame.columns[0] == "discharge_id"
    assert extract.frame.row(0)[-1] == "homecare"
    assert extract.problems == []


def test_values_are_read_as_text(tmp_path):
    """Leading zeros and odd numbers survive, so the validator sees what the file holds."""
    path = tmp_path / "d.csv"
    path.write_text(HEADER.replace("\t", ",") + "\n007,LAS1,2021-03-01,Melton,RWE,P1,homecare\n")
    assert read_extract(path, DISCHARGES).frame["discharge_id"].to_list() == ["007"]


def test_repeated_header_is_a_problem(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("discharge_id,District,district\n1,a,b\n")
    problems = read_extract(path, DISCHARGES).problems
    assert [(p.row, p.column, p.kind) for p in problems] == [(1, "district", "duplicate column")]


def test_workbook_without_a_recognisable_header_is_refused(tmp_path):
    path = tmp_path / "notes.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "nothing useful here"
    book.save(path)
    with pytest.raises(UnreadableFile, match="no sheet has a header row naming the care_packages"):
        read_extract(path, CARE_PACKAGES)


def test_other_file_types_are_refused(tmp_path):
    path = tmp_path / "extract.docx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(UnreadableFile, match="not a file type we load"):
        read_extract(path, CARE_PACKAGES)


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"x" * 3000)
    with pytest.raises(UnreadableFile, match="the file is 2.9 KB, over the 2 KB limit"):
        read_extract(path, DISCHARGES, max_bytes=2048)


def test_garbage_named_parquet_is_refused(tmp_path):
    path = tmp_path / "d.parquet"
    path.write_bytes(b"PAR1 this is not really parquet PAR1")
    with pytest.raises(UnreadableFile, match="Parquet file is damaged"):
        read_extract(path, DISCHARGES)


CSV_HEADER = HEADER.replace("\t", ",")


def discharge(n: int, outcome: str = "homecare", extra: str = "") -> str:
    return f"D{n},LAS{n},2021-03-01,Melton,RWE,P1,{outcome}{extra}"


def test_rows_are_records_and_lines_are_mapped_after_a_value_with_line_breaks(tmp_path):
    """Record D2's quoted outcome spans lines 3-5, so row 3 ends on line 5 and row 4 (D3)
    starts on line 6: rows keep their spreadsheet numbers, lines shift by 2 from row 4."""
    path = tmp_path / "d.csv"
    lines = [CSV_HEADER, discharge(1), discharge(2, '"home\ncare\nat last"'), discharge(3)]
    path.write_text("\n".join(lines) + "\n")
    extract = read_extract(path, DISCHARGES)
    assert extract.first_row == 2
    assert extract.frame["discharge_id"].to_list() == ["D1", "D2", "D3"]
    assert extract.frame["outcome"][1] == "home\ncare\nat last"
    assert [extract.lines.line(row) for row in (1, 2, 3, 4)] == [1, 2, 3, 6]


def test_files_whose_rows_are_one_line_each_need_no_line_map(tmp_path):
    """Blank lines are rows in a spreadsheet too, so they move nothing."""
    path = tmp_path / "d.csv"
    path.write_text("\r\n".join([CSV_HEADER, discharge(1), "", discharge(2), "", ""]) + "\r\n")
    assert read_extract(path, DISCHARGES).lines is None


def test_wrong_field_count_after_a_value_with_line_breaks_names_the_row_and_line(tmp_path):
    """The extra field is on D3, spreadsheet row 4, which starts on line 6 of the file
    (D2's quoted outcome takes lines 3-5); it was reported as row 6 before."""
    path = tmp_path / "d.csv"
    lines = [
        CSV_HEADER,
        discharge(1),
        discharge(2, '"home\ncare\nat last"'),
        discharge(3, extra=",x"),
    ]
    path.write_text("\n".join(lines) + "\n")
    problems = read_extract(path, DISCHARGES).problems
    assert [(p.row, p.line, p.kind) for p in problems] == [(4, 6, "wrong number of fields")]
    assert str(problems[0]).startswith("d.csv, row 4 (line 6 of the file): this row has 8 value(s)")


def test_a_value_with_line_breaks_at_the_end_of_the_field_count_sample_is_not_ragged(tmp_path):
    """The field counts are checked on the first 10,000 records; a record whose line breaks
    straddle the sample's end was cut in half (and the good file refused) when the sample
    was taken by lines."""
    path = tmp_path / "d.csv"
    lines = [CSV_HEADER, *(discharge(i) for i in range(9_999))]
    lines += [discharge(9_999, '"home\ncare"'), discharge(10_000)]
    path.write_text("\n".join(lines) + "\n")
    extract = read_extract(path, DISCHARGES)
    assert extract.problems == []
    assert extract.frame.height == 10_001
    assert extract.lines.line(10_002) == 10_003


def test_title_rows_with_a_line_break_in_a_quoted_title(tmp_path):
    """A two-line quoted title is spreadsheet row 1 (lines 1-2), the header row 2 (line 3):
    the header is still found and the first record is row 3 on line 4."""
    path = tmp_path / "d.csv"
    lines = ['"Discharges\nrun 1 November 2021",,', CSV_HEADER, discharge(1)]
    path.write_text("\n".join(lines) + "\n")
    extract = read_extract(path, DISCHARGES)
    assert extract.problems == []
    assert extract.first_row == 3
    assert extract.frame["discharge_id"].to_list() == ["D1"]
    assert extract.lines.line(3) == 4
