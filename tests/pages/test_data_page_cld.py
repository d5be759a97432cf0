"""The Data page's CLD section: several returns uploaded at once, with the CLI's checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from ascdemand.models.load_report import cld_counts, problems_frame
from ascdemand.ui.services import data
from tests.cld.conftest import Q1, Q2, Q3_PROBLEMS, new_riverside_db, rows


@pytest.fixture
def riverside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Riverside test council's profile, as the app's database."""
    db = new_riverside_db(tmp_path / "riverside.duckdb")
    monkeypatch.setenv("ASCDEMAND_DB", str(db))
    return db


def _upload(*paths: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in paths]


def test_the_page_offers_the_cld_upload(open_app, riverside):
    at = open_app("data", db=riverside, timeout=60)
    assert "Import Client Level Data (CLD) returns" in [s.value for s in at.subheader]
    assert not at.checkbox(key="cld_skip_invalid").value


def test_two_quarters_uploaded_together_import_once(riverside):
    first = data.import_cld_returns(_upload(Q2, Q1), skip_invalid=False)
    again = data.import_cld_returns(_upload(Q1), skip_invalid=False)
    assert first.status == "imported" and again.status == "skipped"
    assert cld_counts(first).rows()[:3] == [
        ("care_packages", "new, updated, unchanged", "9, 0, 0"),
        ("placements", "new, updated, unchanged", "6, 0, 0"),
        ("discharges", "new, updated, unchanged", "6, 0, 0"),
    ]
    assert rows(riverside, "SELECT count(*) FROM care_packages") == [(9,)]


def test_problems_are_listed_by_file_row_and_cld_column(riverside):
    result = data.import_cld_returns(_upload(Q3_PROBLEMS), skip_invalid=False)
    assert result.status == "rejected"
    frame = problems_frame(result.problems)
    assert frame.select("row", "column").rows()[:2] == [(3, "NHS Number"), (4, "Postcode")]
    assert rows(riverside, "SELECT count(*) FROM care_packages") == [(0,)]
    kept = data.import_cld_returns(_upload(Q3_PROBLEMS), skip_invalid=True)
    assert kept.status == "imported" and kept.skipped["invalid rows"] == 8
