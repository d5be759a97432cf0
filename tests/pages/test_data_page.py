"""The Data page: uploads through the browser with the CLI's checks and messages."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ascdemand.models.load_report import problems_frame
from ascdemand.store.writer import transaction
from ascdemand.ui.services import data

BAD_CSV = (
    b"discharge_id,person_id,discharge_date,district,hospital_trust,pathway,outcome\n"
    b"d1,x1,2021-05-01,Melton,RWE,P9,homecare\n"
    b"d2,x2,not a date,Melton,RWE,P1,homecare\n"
)
GOOD_CSV = (
    b"discharge_id,person_id,discharge_date,district,hospital_trust,pathway,outcome\n"
    b"d1,x1,2021-05-01,Melton,RWE,P1,homecare\n"
    b"d2,x2,2021-05-03,Melton,RWE,P0,no_ongoing_package\n"
)


@pytest.fixture
def empty_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "data.duckdb"
    with transaction(path) as con:
        con.execute("INSERT INTO settings VALUES ('as_at_date', '2021-10-31')")
    monkeypatch.setenv("ASCDEMAND_DB", str(path))
    return path


def _count(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM discharges").fetchall()[0][0]


def test_data_page_renders_the_upload_form(open_app, empty_db):
    at = open_app("data", db=empty_db, timeout=60)
    assert at.selectbox(key="upload_table").options[0].startswith("care_packages")


def test_upload_reports_every_problem_and_writes_nothing(empty_db):
    """The page's upload path names file, row and column for each problem, like the CLI."""
    result = data.upload("discharges", "bad.csv", BAD_CSV, None)
    assert result.status == "rejected"
    where = {(p.file, p.row, p.column) for p in result.problems}
    assert ("bad.csv", 2, "pathway") in where
    assert ("bad.csv", 3, "discharge_date") in where
    assert _count(empty_db) == 0
    frame = problems_frame(result.problems)
    assert frame.columns == ["file", "row", "column", "problem"]


def test_problems_table_gives_the_file_line_when_a_value_spans_lines(empty_db):
    """The first record's provider spans three lines, so row 4 starts on line 6 of the file."""
    raw = (Path(__file__).resolve().parents[1] / "bad_inputs" / "multiline_value.csv").read_bytes()
    result = data.upload("care_packages", "multiline_value.csv", raw, None)
    assert result.status == "rejected"
    frame = problems_frame(result.problems)
    assert frame.columns == ["file", "row", "line of the file", "column", "problem"]
    assert frame.select("row", "line of the file", "column").rows() == [(4, 6, "end_date")]


def test_upload_loads_a_good_file_once(empty_db):
    first = data.upload("discharges", "good.csv", GOOD_CSV, None)
    again = data.upload("discharges", "good.csv", GOOD_CSV, None)
    assert (first.status, first.rows) == ("loaded", 2)
    assert again.status == "skipped"
    assert _count(empty_db) == 2


def test_a_foreign_workbook_is_refused_as_a_sitrep(empty_db):
    from ascdemand.store.sitrep.workbook import SitrepError

    with pytest.raises(SitrepError):
        data.import_sitreps([("notes.xlsx", b"PK\x03\x04 not really a workbook")])
