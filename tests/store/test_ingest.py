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
