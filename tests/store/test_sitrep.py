"""The NHS England discharge sitrep importer, against the fifteen real monthly workbooks.

Expected numbers were read by hand: each workbook opened with openpyxl, sheet `Table 4`, the
row of the organisation, one cell per destination column (cells named in each test).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from ascdemand import cli
from ascdemand.store import writer
from ascdemand.store.profile import shipped_profile_path
from ascdemand.store.sitrep import queries, tables
from ascdemand.store.sitrep.ddl import SITREP_TABLES
from ascdemand.store.sitrep.importer import import_files, parse_workbook
from ascdemand.store.sitrep.workbook import SitrepError, month_named_in, parse_date

DATA_TABLES = tuple(t for t in SITREP_TABLES if t != "sitrep_months")


@pytest.fixture
def imported_db(sitrep_db: Path) -> Path:
    """All fifteen workbooks imported once per test session (open read-only, or copy)."""
    return sitrep_db


@pytest.fixture
def db_copy(imported_db: Path, tmp_path: Path) -> Path:
    """A writable copy of the imported database."""
    target = tmp_path / "sitrep.duckdb"
    shutil.copyfile(imported_db, target)
    return target


def _totals(db: Path, org_type: str, org_code: str, month: dt.date) -> dict[str, int | None]:
    with duckdb.connect(str(db), read_only=True) as con:
        frame = queries.monthly_by_pathway(con, org_type, org_code)
    rows = frame.filter(month=month)
    return dict(zip(rows["pathway"], rows["patients"], strict=True))


def _checksums(db: Path) -> dict[str, tuple[int, int]]:
    """Row count and an order-free checksum of every sitrep data table."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            t: con.execute(
                f"SELECT count(*), coalesce(sum(hash(x)::HUGEINT), 0) FROM {t} x"
            ).fetchone()
            for t in DATA_TABLES
        }


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _edited_copy(src: Path, dst: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    """Save a copy of workbook `src` at `dst` after `edit` (merged cells undone first)."""
    book = openpyxl.load_workbook(src)
    for sheet in book.worksheets:
        for merged in list(sheet.merged_cells.ranges):
            sheet.unmerge_cells(str(merged))
    edit(book)
    book.save(dst)
    return dst


# April 2022, sheet `Table 4`, destination headings in row 5 (E5..P5):
#   E, F = P0 (domestic home / other, without reablement)
#   G, H, I = P1 (domestic home / other / hotel, with reablement)
#   J, K, L, M = P2 (care home / designated setting / hospice / community rehab)
#   N, O, P = P3 (care home new admission / P3b existing resident back / designated setting)
# QK1 is row 32, RWE row 106; both read 5155, 42 | 329, 35, 1 | 63, 12, '-', 218 | 42, 141, 4
# (LLR's only acute trust is UHL, so the ICB and trust rows agree), so
#   P0 = 5155 + 42 = 5197; P1 = 329 + 35 + 1 = 365; P2 = 63 + 12 + 218 = 293 ('-' left out);
#   P3 = 42 + 141 + 4 = 187.
APRIL_2022 = {"P0": 5197, "P1": 365, "P2": 293, "P3": 187}
# June 2023, sheet `Table 4`, same columns with headings in row 6; QK1 row 33, RWE row 107:
#   6360, 31 | 330, 33, 4 | 58, 11, '-', 281 | 43, 146, 6, so
#   P0 = 6360 + 31 = 6391; P1 = 330 + 33 + 4 = 367; P2 = 58 + 11 + 281 = 350;
#   P3 = 43 + 146 + 6 = 195.
JUNE_2023 = {"P0": 6391, "P1": 367, "P2": 350, "P3": 195}


@pytest.mark.parametrize(
    ("org_type", "org_code", "month", "expected"),
    [
        ("icb", "QK1", dt.date(2022, 4, 1), APRIL_2022),
        ("trust", "RWE", dt.date(2022, 4, 1), APRIL_2022),
        ("icb", "QK1", dt.date(2023, 6, 1), JUNE_2023),
        ("trust", "RWE", dt.date(2023, 6, 1), JUNE_2023),
    ],
)
def test_monthly_pathway_totals_equal_hand_read_cells(
    imported_db: Path, org_type: str, org_code: str, month: dt.date, expected: dict
) -> None:
    """Totals by pathway for LLR's ICB and UHL equal the sums of the cells read by hand."""
    assert _totals(imported_db, org_type, org_code, month) == expected


def test_weekly_equivalent_spreads_the_month_over_its_weeks(imported_db: Path) -> None:
    """April has 30 days = 30/7 weeks: QK1's P1 of 365 is 365 / (30/7) = 85.1667 a week."""
    with duckdb.connect(str(imported_db), read_only=True) as con:
        frame = queries.monthly_by_pathway(con, "icb", "QK1")
    row = frame.filter(month=dt.date(2022, 4, 1), pathway="P1")
    assert row["days"].item() == 30
    assert row["weekly_patients"].item() == pytest.approx(365 * 7 / 30)


def test_suppressed_cell_is_null_not_zero(imported_db: Path) -> None:
    """Cell L32 of April 2022 (QK1, P2 hospice) is '-': stored as NULL; K32 (12) stays 12."""
    with duckdb.connect(str(imported_db), read_only=True) as con:
        rows = con.execute(
            "SELECT destination, patients FROM sitrep_discharges WHERE month = DATE '2022-04-01'"
            " AND org_code = 'QK1' AND pathway = 'P2' ORDER BY destination"
        ).fetchall()
    assert dict(rows) == {
        "P2 - Care Home (short term 24hr support)": 63,
        "P2 - Community Rehab Setting (short term 24hr support)": 218,
        "P2 - Designated Setting (isolation before moving to care home)": 12,
        "P2 - Hospice (short term 24hr support)": None,
    }


def test_every_file_imports_with_its_own_month(imported_db: Path, sitrep_dir: Path) -> None:
    """Fifteen files, fifteen months; each month matches the one its file name spells, and
    every month has England, 7 regions, ICBs and trusts in Table 4."""
    with duckdb.connect(str(imported_db), read_only=True) as con:
        months = dict(con.execute("SELECT file_name, month FROM sitrep_months").fetchall())
        per_type = con.execute(
            "SELECT month, org_type, count(DISTINCT org_code) FROM sitrep_discharges GROUP BY ALL"
        ).fetchall()
    files = sorted(p.name for p in sitrep_dir.glob("*.xlsx"))
    assert sorted(months) == files and len(files) == 15
    for name, month in months.items():
        assert month_named_in(name.removesuffix(".xlsx").replace("20", " 20", 1)) == month
    counts = {(m, t): n for m, t, n in per_type}
    assert all(counts[(m, "england")] == 1 and counts[(m, "region")] == 7 for m in months.values())
    assert all(counts[(m, "icb")] == 42 and counts[(m, "trust")] >= 115 for m in months.values())


def test_delay_tables_are_tidy(imported_db: Path) -> None:
    """Tables 2, 3 and 5 land for every month: June 2023 has 30 days of Table 2 for QK1, five
    weeks of three length-of-stay bands in Table 3, and one row per reason in Table 5."""
    with duckdb.connect(str(imported_db), read_only=True) as con:
        days = con.execute(
            "SELECT count(DISTINCT day), min(day), max(day) FROM sitrep_criteria_to_reside"
            " WHERE month = DATE '2023-06-01' AND org_code = 'QK1'"
        ).fetchone()
        bands = con.execute(
            "SELECT count(DISTINCT week_start), list(DISTINCT min_length_of_stay ORDER BY 1)"
            " FROM sitrep_delay_days WHERE month = DATE '2023-06-01' AND org_code = 'QK1'"
        ).fetchone()
        months = con.execute(
            "SELECT count(DISTINCT month) FROM sitrep_delay_reasons WHERE org_code = 'QK1'"
        ).fetchone()
    assert days == (30, dt.date(2023, 6, 1), dt.date(2023, 6, 30))
    assert bands == (5, [7, 14, 21])
    assert months == (15,)


def test_reimport_is_idempotent(db_copy: Path, sitrep_dir: Path) -> None:
    """Importing two months again leaves every row count and checksum as it was."""
    before = _checksums(db_copy)
    import_files(
        db_copy, [sitrep_dir / "april2022.xlsx", sitrep_dir / "june2023.xlsx"], user="test"
    )
    assert _checksums(db_copy) == before


def test_reimport_replaces_the_month(db_copy: Path, sitrep_dir: Path, tmp_path: Path) -> None:
    """A revised April 2022 (QK1's E32 5155 -> 5000) replaces the month: P0 becomes
    5000 + 42 = 5042, other months keep their values, and no row is added."""

    def edit(book: openpyxl.Workbook) -> None:
        book["Table 4"]["E32"] = 5000

    revised = _edited_copy(sitrep_dir / "april2022.xlsx", tmp_path / "april2022.xlsx", edit)
    before = _checksums(db_copy)
    import_files(db_copy, [revised], user="test")
    assert _totals(db_copy, "icb", "QK1", dt.date(2022, 4, 1))["P0"] == 5042
    assert _totals(db_copy, "icb", "QK1", dt.date(2023, 6, 1)) == JUNE_2023
    assert _checksums(db_copy)["sitrep_discharges"][0] == before["sitrep_discharges"][0]


def test_workbook_layout_changes_are_tolerated(sitrep_dir: Path, tmp_path: Path) -> None:
    """A sheet added before the cover, Table 4's header three rows lower, a reworded heading,
    an added 'Total' column and an added trust row: QK1 still reads as by hand, and the new
    trust is imported."""

    def edit(book: openpyxl.Workbook) -> None:
        book.create_sheet("Read me first", 0)["A1"] = "Notes for users"
        sheet = book["Table 4"]
        sheet.insert_rows(1, 3)
        sheet.insert_cols(5)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("Table 4:"):
                    cell.value = "Table 4: Total number of patients discharged in the month, by"
                    cell.value += " intended discharge destination"
                if cell.value == "QK1":
                    sheet.cell(cell.row, 5, 99999)
        heading_row = next(
            c.row for c in sheet["F"] if isinstance(c.value, str) and c.value.startswith("P0")
        )
        sheet.cell(heading_row, 5, "Total discharges")
        sheet.append([None, "MIDLANDS", "ZZ1", "AN ADDED TRUST", 5, 7, *["-"] * 11])

    variant = _edited_copy(sitrep_dir / "april2022.xlsx", tmp_path / "variant.xlsx", edit)
    edition = parse_workbook(variant)
    frame = edition.discharges
    assert edition.month == dt.date(2022, 4, 1)
    qk1 = frame.filter(org_code="QK1").group_by("pathway").agg(pl.col("patients").sum())
    assert dict(qk1.sort("pathway").iter_rows()) == APRIL_2022
    added = frame.filter(org_code="ZZ1")
    assert added["org_type"].unique().to_list() == ["trust"]
    assert added.filter(pathway="P0")["patients"].to_list() == [7, None]


def _assert_rejected(db: Path, workbook: Path, message: str, capsys) -> None:
    """The CLI exits 2 with `message` and the database file is byte for byte unchanged."""
    before = _file_digest(db)
    code = cli.main(["--db", str(db), "import-sitrep", str(workbook)])
    assert code == 2
    assert message in capsys.readouterr().err
    assert _file_digest(db) == before


def test_corrupted_workbook_is_rejected(db_copy: Path, sitrep_dir: Path, tmp_path: Path, capsys):
    """Half of a real workbook is not a readable xlsx: exit 2, nothing written."""
    broken = tmp_path / "broken.xlsx"
    data = (sitrep_dir / "may2022.xlsx").read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    _assert_rejected(db_copy, broken, "not a readable Excel workbook", capsys)


def test_foreign_workbook_is_rejected(db_copy: Path, tmp_path: Path, capsys) -> None:
    """A budget spreadsheet is not a sitrep: exit 2, nothing written."""
    book = openpyxl.Workbook()
    book.active.append(["Service line", "Budget"])
    book.active.append(["Homecare", 52_000_000])
    book.save(tmp_path / "budget.xlsx")
    _assert_rejected(
        db_copy, tmp_path / "budget.xlsx", "not an NHS England Acute Discharge", capsys
    )


def test_sitrep_without_table4_is_rejected(db_copy: Path, sitrep_dir: Path, tmp_path, capsys):
    """The real cover sheet with Table 4 removed: rejected as lacking Table 4."""
    variant = _edited_copy(
        sitrep_dir / "july2022.xlsx", tmp_path / "no_t4.xlsx", lambda b: b.remove(b["Table 4"])
    )
    _assert_rejected(db_copy, variant, "Table 4", capsys)


def test_contents_page_repeating_a_heading_and_text_period(sitrep_dir: Path, tmp_path: Path):
    """A contents page that repeats Table 4's full heading in one cell is not mistaken for the
    table, and a cover period written as text ('April 2022') still gives the month."""

    def edit(book: openpyxl.Workbook) -> None:
        contents = book["Contents"]
        contents["B20"] = "Table 4: Month total number of patients discharged by destination"
        for row in book["Cover Sheet"].iter_rows():
            if row[1].value == "Period:":
                row[2].value = "April 2022"
                for cell in row[3:]:
                    cell.value = None

    variant = _edited_copy(sitrep_dir / "april2022.xlsx", tmp_path / "contents.xlsx", edit)
    edition = parse_workbook(variant)
    assert edition.month == dt.date(2022, 4, 1)
    assert edition.discharges.height == 2052


def test_repeated_destination_heading_is_refused(sitrep_dir: Path, tmp_path: Path) -> None:
    """Two columns both headed 'P0 - Other ...' would give two values for one cell: refused."""

    def edit(book: openpyxl.Workbook) -> None:
        book["Table 4"]["G5"] = book["Table 4"]["F5"].value

    variant = _edited_copy(sitrep_dir / "april2022.xlsx", tmp_path / "twice.xlsx", edit)
    with pytest.raises(SitrepError, match="'P0 - Other without reablement support' appears twice"):
        parse_workbook(variant)


def test_cover_and_table4_months_must_agree(sitrep_dir: Path, tmp_path: Path) -> None:
    """A cover sheet saying May while Table 4 says April is refused rather than guessed."""

    def edit(book: openpyxl.Workbook) -> None:
        for row in book["Cover Sheet"].iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.datetime) and cell.value.month == 4:
                    cell.value = cell.value.replace(month=5)

    variant = _edited_copy(sitrep_dir / "april2022.xlsx", tmp_path / "mixed.xlsx", edit)
    with pytest.raises(SitrepError, match="cover says May 2022 but Table 4 is headed April"):
        parse_workbook(variant)


def test_one_bad_file_in_a_batch_writes_nothing(sitrep_dir: Path, tmp_path: Path) -> None:
    """Two good months and a foreign file: rejected together, no database file is created."""
    (tmp_path / "notes.xlsx").write_bytes(b"not a workbook")
    db = tmp_path / "fresh.duckdb"
    files = [sitrep_dir / "april2022.xlsx", tmp_path / "notes.xlsx", sitrep_dir / "may2022.xlsx"]
    with pytest.raises(SitrepError, match="notes.xlsx"):
        import_files(db, files, user="test")
    assert not db.exists()


def test_same_month_twice_in_one_batch_is_refused(sitrep_dir: Path, tmp_path: Path) -> None:
    """Two files for April 2022 cannot both replace the month."""
    twin = tmp_path / "april_copy.xlsx"
    shutil.copyfile(sitrep_dir / "april2022.xlsx", twin)
    with pytest.raises(SitrepError, match="are all for April 2022"):
        import_files(tmp_path / "x.duckdb", [sitrep_dir / "april2022.xlsx", twin], user="t")


def test_cli_reports_each_month(sitrep_dir: Path, tmp_path: Path, capsys) -> None:
    """`ascdemand import-sitrep` exits 0, names the month, and prints the pathways of the
    council profile's care board and trust (the demo's: QK1 and RWE): June 2023 P0 6391,
    P1 367, P2 350, P3 195 (Table 4, rows 33 and 107)."""
    db = tmp_path / "cli.duckdb"
    profile = shipped_profile_path("leicestershire.toml")
    assert cli.main(["--db", str(db), "profile", "load", str(profile)]) == 0
    assert cli.main(["--db", str(db), "import-sitrep", str(sitrep_dir / "june2023.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "June 2023" in out and "ICB QK1" in out and "TRUST RWE" in out
    assert out.count("2023-06-01 ┆ 6391 ┆ 367 ┆ 350 ┆ 195") == 2
    with writer.transaction(db) as con:
        assert con.execute("SELECT count(*) FROM sitrep_months").fetchone() == (1,)


def test_organisations_lists_icbs_by_name(imported_db: Path) -> None:
    """QK1 is listed among 42 ICBs with its name and region."""
    with duckdb.connect(str(imported_db), read_only=True) as con:
        icbs = queries.organisations(con, "icb")
    assert icbs.height == 42
    row = icbs.filter(org_code="QK1").row(0, named=True)
    assert row["org_name"].startswith("NHS LEICESTER, LEICESTERSHIRE AND RUTLAND")
    assert row["region"] == "MIDLANDS"


def test_has_sitrep_on_empty_and_older_databases(mem_con, imported_db: Path) -> None:
    """No months imported, or a database from before the sitrep tables: False; else True."""
    assert not queries.has_sitrep(mem_con)
    with duckdb.connect(":memory:") as bare:
        assert not queries.has_sitrep(bare)
    with duckdb.connect(str(imported_db), read_only=True) as con:
        assert queries.has_sitrep(con)


@pytest.mark.parametrize(
    ("heading", "pathway"),
    [
        ("P0 - Domestic home without reablement support", "P0"),
        ("P3b - Care Home (existing resident discharged back)", "P3"),
        ("Pathway 2 - Hospice", "P2"),
        ("Total discharges", None),
        ("P4 - Somewhere new", None),
    ],
)
def test_pathway_comes_from_the_heading(heading: str, pathway: str | None) -> None:
    """The pathway is the digit after a leading P; other headings are not destinations."""
    assert tables.pathway_of(heading) == pathway


@pytest.mark.parametrize(
    ("text", "value"), [("-", None), (None, None), ("0", 0), ("12", 12), ("1,234", 1234)]
)
def test_count_keeps_blank_and_dash_apart_from_zero(text: str | None, value: int | None) -> None:
    """'-' and blank are unknown (None); '0' is a real zero."""
    assert tables.count(text, lambda: "cell") == value


@pytest.mark.parametrize("text", ["n.k.", "12.5", "-3"])
def test_count_refuses_text_fractions_and_negatives(text: str) -> None:
    """Anything that is not a whole, non-negative count is an error naming the cell."""
    with pytest.raises(SitrepError, match="Table 4, QK1"):
        tables.count(text, lambda: "Table 4, QK1")


def test_dates_in_headings() -> None:
    """Day groups come as datetimes, weeks as 'w/c dd/mm/yyyy (daily snapshot)'."""
    assert parse_date("2022-04-01 00:00:00") == dt.date(2022, 4, 1)
    assert tables.day_of("w/c 29/05/2023 (daily snapshot)") == dt.date(2023, 5, 29)
    assert month_named_in("June 2023 - Total number of patients discharged") == dt.date(2023, 6, 1)
