"""CLD headers as councils export them, as database copies underscore them, and in any case,
spacing or punctuation; a file lacking a required column is refused naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ascdemand.store.cld.headers import HEADERS, REQUIRED, cld_columns, header_key, read_cld_extract
from ascdemand.store.ingest import UnreadableFile
from tests.cld.conftest import Q1, Q2, Q2_XLSX


@pytest.mark.parametrize(
    ("written", "spec"),
    [
        ("Event_Start_Date", "Event Start Date"),
        ("EVENT START DATE", "Event Start Date"),
        (" event start  date ", "Event Start Date"),
        ("EventStartDate", "Event Start Date"),
        ("Cost_Frequency_Unit_Type", "Cost Frequency (Unit Type)"),
        ("cost frequency (unit type)", "Cost Frequency (Unit Type)"),
        ("Request_Route_of_Access", "Request: Route of Access"),
        ("\ufeffReporting Period End Date", "Reporting Period End Date"),
    ],
)
def test_header_spellings_match(written, spec):
    assert header_key(written) == header_key(spec)


@pytest.mark.parametrize("path", [Q1, Q2, Q2_XLSX], ids=["spaced", "underscored", "xlsx"])
def test_every_export_finds_every_column(path):
    """Each field's header is kept as the file writes it, to name it in problems."""
    frame, headers = cld_columns(read_cld_extract(path))
    assert set(HEADERS) <= set(frame.columns)
    assert headers["cost_frequency"] == (
        "Cost_Frequency_Unit_Type" if path == Q2 else "Cost Frequency (Unit Type)"
    )
    assert "First Name" not in frame.columns and "first_name" not in frame.columns


def _write(tmp_path: Path, header: list[str]) -> Path:
    path = tmp_path / "cld.csv"
    path.write_text(",".join(header) + "\n" + ",".join("x" for _ in header) + "\n")
    return path


def test_a_missing_required_column_is_named(tmp_path):
    header = [h for h in HEADERS.values() if h != "Event Reference"]
    with pytest.raises(UnreadableFile, match="required column Event Reference is missing"):
        cld_columns(read_cld_extract(_write(tmp_path, header)))


def test_a_person_identifier_column_is_required(tmp_path):
    header = [h for f, h in HEADERS.items() if f in REQUIRED]
    with pytest.raises(
        UnreadableFile, match="LA Person Unique Identifier or NHS Number is missing"
    ):
        cld_columns(read_cld_extract(_write(tmp_path, header)))


@pytest.mark.parametrize(
    ("again", "says"),
    [
        ("event_reference", "the column event_reference appears 2 times"),
        ("EventReference", "the column Event Reference appears more than once"),
    ],
)
def test_a_column_given_twice_is_refused(tmp_path, again, says):
    header = [*HEADERS.values(), again]
    with pytest.raises(UnreadableFile, match=says):
        cld_columns(read_cld_extract(_write(tmp_path, header)))
