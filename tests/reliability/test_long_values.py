"""One long value must not break the committee pack for everyone (issue 18).

Before the fix a district name of 650 characters loaded without a word, and then `ascdemand
briefing --out` failed (`ValueError: The row with index 4 is too high and cannot be rendered on
a single page`) and the Briefing page's PDF download did nothing. Now text columns have length
limits at load (a problem naming file, row and column), and the pack cuts a long cell short
instead of failing, for data already stored.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from pathlib import Path

import duckdb
import polars as pl
import pytest
from pypdf import PdfReader

from ascdemand import cli
from ascdemand.briefing import facts as briefing_facts
from ascdemand.briefing import pdf
from ascdemand.store.contract import CARE_PACKAGES, PLACEMENTS
from ascdemand.store.validate import DEFAULT_MAX_TEXT, MAX_TEXT, text_limit, validate

BAD_INPUTS = Path(__file__).resolve().parents[1] / "bad_inputs"
AS_AT = dt.date(2021, 10, 31)
LONG_DISTRICT = "M" * 650


def _with(frame: pl.DataFrame, row: int, column: str, value: str) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row)
        .then(pl.lit(value))
        .otherwise(pl.col(column))
        .alias(column)
    )


def test_load_refuses_a_650_character_district_naming_file_row_and_column(
    loaded_db, fingerprint, capsys
):
    """`ascdemand load` of long_text.csv: exit 2, each long value named (was: loaded)."""
    before = fingerprint(loaded_db)
    path = BAD_INPUTS / "long_text.csv"
    assert cli.main(["--db", str(loaded_db), "load", "care_packages", str(path)]) == 2
    err = capsys.readouterr().err
    shown = "'" + "M" * 37 + "...'"
    assert f"long_text.csv, row 3, column district: {shown} is 650 characters long; " in err
    assert "the limit is 100" in err
    assert "long_text.csv, row 4, column provider: " in err
    assert "is 201 characters long; the limit is 200" in err
    assert fingerprint(loaded_db) == before


def test_limits_per_column():
    """Identifiers, districts and trust codes 100 characters; provider and reason 200;
    columns with allowed values keep to those values instead."""
    assert {c.name: text_limit(c) for c in PLACEMENTS.columns} == {
        "placement_id": 100,
        "person_id": 100,
        "placement_type": None,
        "setting": None,
        "district": 100,
        "client_group": None,
        "start_date": None,
        "end_date": None,
        "weekly_cost": None,
        "standard_rate": None,
        "additional_payment": None,
        "provider": 200,
        "reason": 200,
    }
    assert (DEFAULT_MAX_TEXT, MAX_TEXT) == (100, {"provider": 200, "reason": 200})


def test_a_value_at_the_limit_passes_and_one_over_is_a_problem_on_its_row():
    frame = pl.read_csv(BAD_INPUTS / "valid.csv", infer_schema=False)
    frame = _with(frame, 0, "package_id", "P" * 100)
    frame = _with(frame, 1, "provider", "Acme " * 40)  # 200 characters, trimmed to 199
    checked = validate(frame, CARE_PACKAGES, file_name="f.csv", as_at=AS_AT)
    assert checked.ok, [str(p) for p in checked.problems]
    frame = _with(frame, 2, "person_id", "L" * 101)
    checked = validate(frame, CARE_PACKAGES, file_name="f.csv", as_at=AS_AT)
    assert [str(p) for p in checked.problems] == [
        "f.csv, row 4, column person_id: a value is 101 characters long; the limit is 100"
    ]  # the person identifier itself is never shown
    assert checked.invalid_rows.to_list() == [4]


def test_a_long_district_is_one_problem_when_the_profile_lists_the_districts():
    """Too long is said once; not also 'not one of the council's districts'."""
    frame = _with(
        pl.read_csv(BAD_INPUTS / "valid.csv", infer_schema=False), 1, "district", LONG_DISTRICT
    )
    checked = validate(
        frame, CARE_PACKAGES, file_name="f.csv", as_at=AS_AT, districts=("Blaby", "Melton")
    )
    assert checked.counts == {"text too long": 1}
    assert checked.invalid_rows.to_list() == [3]


def test_a_long_cell_is_cut_short_in_a_pdf_table():
    """A 650-character word in a narrow column: the table draws (was: 'The row with index 0
    is too high'), the cell ends in an ellipsis within three lines."""
    pack = pdf._Pack("footer")
    pack.add_page()
    frame = pl.DataFrame(
        {"District": [LONG_DISTRICT, "Blaby"], "People": ["40", "45"], "Other": ["1", "2"]}
    )
    pdf._table(pack, "People by district", frame, "note", widths=(2, 1, 1))
    text = PdfReader(io.BytesIO(bytes(pack.output()))).pages[0].extract_text()
    assert "Blaby" in text
    assert "M" * 20 in text and "M" * 200 not in text.replace("\n", "")
    assert "\u2026" in text or "..." in text


def test_fit_keeps_short_text_and_cuts_long_text_on_a_word():
    pack = pdf._Pack("footer")
    pack.set_font(pack.family, "", 10.5)
    assert pdf._fit(pack, "Hinckley and Bosworth", 60) == "Hinckley and Bosworth"
    cut = pdf._fit(pack, "Blaby " * 100, 40)
    assert cut.endswith("Blaby\u2026") or cut.endswith("Blaby...")
    assert pack.get_string_width(cut) <= 3 * (40 - 2 * 1.2)


@pytest.fixture
def long_district_store(tmp_path: Path) -> Path:
    """The briefing tests' small store with Blaby renamed to a 650-character name, written
    straight to the database as an older version of the app (or another importer) could."""
    spec = importlib.util.spec_from_file_location(
        "briefing_store", Path(__file__).resolve().parents[1] / "briefing" / "conftest.py"
    )
    store = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(store)
    store.HOMECARE_PEOPLE = {
        (LONG_DISTRICT if d == "Blaby" else d): n for d, n in store.HOMECARE_PEOPLE.items()
    }
    return store.build_small_store(tmp_path / "long.duckdb")


def test_committee_pack_renders_with_a_650_character_district(long_district_store):
    """The pack (charts aside) renders, with the district cut short in its tables (was:
    ValueError: The row with index 4 is too high and cannot be rendered on a single page)."""
    con = duckdb.connect(str(long_district_store), read_only=True)
    try:
        facts = briefing_facts.gather(con, AS_AT)
    finally:
        con.close()
    assert LONG_DISTRICT in facts.by_district["district"].to_list()
    data = pdf.render(facts, images={}, produced=dt.date(2021, 11, 1))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    flat = text.replace("\n", "")
    assert "M" * 30 in flat and "M\u2026" in flat  # up to three lines of it, then an ellipsis
    assert LONG_DISTRICT not in flat
