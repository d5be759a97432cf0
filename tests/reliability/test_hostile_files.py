"""Files built to hurt the server: workbooks, CSVs and Parquet files that claim or hold far more
than their size (issue 18).

Before the fix a 2 KB workbook with one cell at XFD1048576 made the reader ask for 512 GB and
abort the process (SIGABRT, exit 134): the `load` and `import-sitrep` commands died, and an
upload ended the app for every user. The attacks that used to kill the process are run here in a
child Python, so that a regression fails the test instead of ending the test run. The files are
written by `scripts/make_bad_inputs.py` into a temporary folder: a few KB each, never committed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ascdemand import cli
from ascdemand.store import ingest, safe_workbook
from ascdemand.store.contract import CARE_PACKAGES
from ascdemand.store.ingest import UnreadableFile, read_extract
from ascdemand.store.load import load_upload
from ascdemand.store.safe_workbook import WorkbookError, WorkbookLimits, read_workbook
from ascdemand.store.sitrep.importer import import_files
from ascdemand.store.sitrep.workbook import SitrepError
from scripts import make_bad_inputs as corpus

BAD_INPUTS = Path(__file__).resolve().parents[1] / "bad_inputs"
FAR_CELL = "sheet 'Packages' reaches cell XFD1048576 (1,048,576 rows by 16,384 columns"
SAFELY = "could not read the workbook safely: reading it needs more than the 3 GB of memory"


def run_python(code: str, *args: str, memory_mb: int | None = None) -> subprocess.CompletedProcess:
    """Run `code` in a fresh Python (with an address-space limit when `memory_mb` is given),
    so a crash or a memory blow-up is the child's, not the test run's."""
    limit = ""
    if memory_mb:
        limit = (
            f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({memory_mb << 20},) * 2)\n"
        )
    return subprocess.run(
        [sys.executable, "-c", limit + textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def run_cli(*argv: str) -> subprocess.CompletedProcess:
    return run_python(
        "import sys\nfrom ascdemand import cli\nsys.exit(cli.main(sys.argv[1:]))", *argv
    )


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The corpus's hostile workbooks, written into a private folder."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    corpus.write_workbooks(folder)
    return folder


# ------------------------------------------------------------------ workbooks: the commands


def test_load_of_a_far_cell_workbook_is_refused_not_killed(hostile, loaded_db, fingerprint):
    """`ascdemand load` of the 2 KB workbook: exit 2 with the cell, the size and the limit
    (was: SIGABRT, exit 134), and the database unchanged."""
    before = fingerprint(loaded_db)
    done = run_cli("--db", str(loaded_db), "load", "care_packages", str(hostile / "far_cell.xlsx"))
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert f"far_cell.xlsx: {FAR_CELL}, 17,179,869,184 cells)" in done.stderr
    assert "over the limit of 12,000,000 cells in a workbook" in done.stderr
    assert "Nothing was changed" in done.stderr
    assert fingerprint(loaded_db) == before


def test_load_of_a_workbook_hiding_its_far_cell_is_stopped_by_the_memory_limit(
    hostile, loaded_db, fingerprint
):
    """The sheet declares A1:K2 but holds XFD1048576: the declared size passes, the reader
    runs out of its 3 GB in the child, and the load is refused in plain words (was: exit 134)."""
    before = fingerprint(loaded_db)
    path = hostile / "far_cell_undeclared.xlsx"
    done = run_cli("--db", str(loaded_db), "load", "care_packages", str(path))
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert f"far_cell_undeclared.xlsx: {SAFELY}" in done.stderr
    assert "549,755,813,888 bytes" in done.stderr
    assert "Traceback" not in done.stderr
    assert fingerprint(loaded_db) == before


@pytest.mark.parametrize("name", ["far_cell.xlsx", "far_cell_undeclared.xlsx"])
def test_import_sitrep_of_a_far_cell_workbook_is_refused_not_killed(name, hostile, tmp_path):
    """`ascdemand import-sitrep`: exit 2 and 'Rejected, nothing imported' (was: exit 134)."""
    db = tmp_path / "sitrep.duckdb"
    done = run_cli("--db", str(db), "import-sitrep", str(hostile / name))
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert f"Rejected, nothing imported: {name}: " in done.stderr
    assert FAR_CELL in done.stderr or SAFELY in done.stderr
    assert not db.exists()


def test_data_page_upload_of_a_far_cell_workbook_leaves_the_app_running(hostile, loaded_db):
    """The Data page's two paths (`load_upload`, `import_files`) in the app's process: both
    refuse the file and the process carries on (was: the process, so the app, ended)."""
    done = run_python(
        """
        import json, sys
        from pathlib import Path
        from ascdemand.store.load import load_upload
        from ascdemand.store.sitrep.importer import import_files
        from ascdemand.store.sitrep.workbook import SitrepError
        path, db = Path(sys.argv[1]), sys.argv[2]
        result = load_upload(db, "care_packages", path.name, path.read_bytes())
        try:
            import_files(Path(db).with_name("sitrep.duckdb"), [path], user="t")
            sitrep = "imported"
        except SitrepError as err:
            sitrep = str(err)
        print(json.dumps([result.status, [str(p) for p in result.problems], sitrep]))
        """,
        str(hostile / "far_cell_undeclared.xlsx"),
        str(loaded_db),
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    status, problems, sitrep = json.loads(done.stdout)
    assert status == "rejected"
    assert problems[0].startswith(f"far_cell_undeclared.xlsx: {SAFELY}")
    assert sitrep.startswith(f"far_cell_undeclared.xlsx: {SAFELY}")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "zip_bomb.xlsx",
            "its part xl/worksheets/sheet1.xml unpacks from 8.5 KB to 8 MB, 966 times larger; "
            "a workbook's parts grow at most 100 times",
        ),
        (
            "huge_claim.xlsx",
            "the workbook unpacks to 3.8 GB of data (from 1.8 KB), over the 1 GB limit",
        ),
    ],
)
def test_zip_bombs_are_refused_from_the_zip_directory(name, words, hostile, loaded_db, capsys):
    """Packed a thousandfold, or claiming 3.8 GB unpacked: refused before a cell is read, with
    what was found and the limit (was: read, all 7.1 GB of it in the real attack)."""
    assert cli.main(["--db", str(loaded_db), "load", "care_packages", str(hostile / name)]) == 2
    assert f"{name}: {words}" in capsys.readouterr().err
    with pytest.raises(SitrepError, match="^" + re.escape(f"{name}: {words}")):
        import_files(loaded_db.with_name("sitrep.duckdb"), [hostile / name], user="t")


# ----------------------------------------------------------- workbooks: the reader itself


def test_a_workbook_is_read_the_same_through_the_child(tmp_path):
    """What comes back from the child is what fastexcel reads: every sheet, every cell."""
    import fastexcel

    path = corpus.write_excel(tmp_path)
    sheets = read_workbook(path)
    reader = fastexcel.read_excel(path)
    assert [s.name for s in sheets] == reader.sheet_names == ["Read me", "Packages"]
    for sheet in sheets:
        direct = reader.load_sheet(sheet.name, header_row=None, skip_rows=0, dtypes="string")
        assert sheet.frame is not None and sheet.frame.equals(direct.to_polars())


def test_cells_are_counted_over_all_sheets(tmp_path):
    """A notes sheet of one cell and a sheet of 66 pass a limit of 66 one by one but not
    together."""
    path = corpus.write_excel(tmp_path)
    with pytest.raises(WorkbookError, match=r"the sheets reach 67 cells together") as err:
        safe_workbook.check_workbook(path, WorkbookLimits(max_cells=66))
    assert "sheet 'Packages' reaches cell K6 (6 rows by 11 columns, 66 cells)" in str(err.value)
    safe_workbook.check_workbook(path, WorkbookLimits(max_cells=67))


def test_a_slow_read_is_stopped_at_the_timeout(tmp_path):
    path = corpus.write_excel(tmp_path)
    with pytest.raises(WorkbookError, match="reading it took longer than 0.01 seconds") as err:
        read_workbook(path, limits=WorkbookLimits(timeout_s=0.01))
    assert err.value.kind == "unsafe"


def test_a_damaged_workbook_keeps_the_readers_own_words(tmp_path):
    path = tmp_path / "half.xlsx"
    path.write_bytes(corpus.write_excel(tmp_path).read_bytes()[:3000])
    with pytest.raises(UnreadableFile, match="could not read the file as an Excel workbook"):
        read_extract(path, CARE_PACKAGES)


def test_a_crash_of_the_reader_is_named_plainly():
    why = safe_workbook._why_it_stopped(-11, "", WorkbookLimits())
    assert why == "the reader stopped unexpectedly (SIGSEGV)"
    killed = safe_workbook._why_it_stopped(-9, "", WorkbookLimits(timeout_s=120))
    assert killed == "reading it took longer than 120 seconds"


# ------------------------------------------------------------------------- CSV and Parquet


def test_csv_header_of_millions_of_columns_is_refused_in_bounded_memory(tmp_path):
    """20 million commas in the header: refused at once within 1.5 GB (was: the CSV reader
    aborted on a failed allocation, or a Python list of 20 million names)."""
    path = tmp_path / "commas.csv"
    path.write_bytes(b"package_id" + b"," * 20_000_000 + b"\n")
    done = run_python(
        """
        import sys
        from pathlib import Path
        from ascdemand.store.contract import CARE_PACKAGES
        from ascdemand.store.ingest import UnreadableFile, read_extract
        try:
            read_extract(Path(sys.argv[1]), CARE_PACKAGES)
        except UnreadableFile as err:
            print(err)
        """,
        str(path),
        memory_mb=1536,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert "the file has 20,000,001 columns, over the limit of 1,000" in done.stdout


def test_csv_data_line_of_millions_of_fields_is_a_problem_in_bounded_memory(tmp_path):
    """A data row of 20 million fields: a problem on that row within 1.5 GB (was: MemoryError
    splitting it into Python strings)."""
    path = tmp_path / "dataline.csv"
    path.write_bytes(corpus.HEADER.encode() + b"\n" + b"ab," * 20_000_000 + b"\n")
    done = run_python(
        """
        import sys
        from pathlib import Path
        from ascdemand.store.contract import CARE_PACKAGES
        from ascdemand.store.ingest import read_extract
        print(*read_extract(Path(sys.argv[1]), CARE_PACKAGES).problems, sep="\\n")
        """,
        str(path),
        memory_mb=1536,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert "dataline.csv, row 2: could not read as CSV: a line holds more than 10,000 commas" in (
        done.stdout
    )


def test_csv_of_more_values_than_a_load_holds_is_refused(tmp_path):
    path = tmp_path / "values.csv"
    header = ",".join(f"c{i}" for i in range(900)) + "\n"
    path.write_bytes(header.encode() + (b"," * 899 + b"\n") * 60_000)
    with pytest.raises(UnreadableFile, match=r"60,000 rows of 900 columns \(54,000,000 values\)"):
        read_extract(path, CARE_PACKAGES)


def _constant_parquet(path: Path, rows: int, columns: dict[str, str]) -> Path:
    """`rows` copies of one row, in ten row groups."""
    group = rows // 10
    batch = pa.record_batch({c: pa.array([v] * group, pa.string()) for c, v in columns.items()})
    with pq.ParquetWriter(path, batch.schema, compression="zstd") as writer:
        for _ in range(10):
            writer.write_batch(batch)
    return path


def test_parquet_whose_footer_counts_too_many_values_is_refused_before_reading(tmp_path):
    """4.6 million rows of 11 constant columns pack into a few KB; the footer's count is
    enough to refuse them (was: read in full, then checked)."""
    values = dict(zip(corpus.HEADER.split(","), corpus.package(1).split(","), strict=True))
    path = _constant_parquet(tmp_path / "rows.parquet", 4_600_000, values)
    assert path.stat().st_size < 1_000_000
    with pytest.raises(UnreadableFile, match=r"4,600,000 rows of 11 columns \(50,600,000 values\)"):
        read_extract(path, CARE_PACKAGES)


def test_parquet_of_repeated_long_text_is_refused_by_its_unpacked_size(tmp_path):
    """Two million copies of one 1,000-character provider pack into 250 KB and unpack to
    2 GB of text: refused before the checks spell every copy out."""
    path = _constant_parquet(tmp_path / "text.parquet", 2_000_000, {"provider": "x" * 1000})
    with pytest.raises(UnreadableFile, match=r"the file's data unpack to 1\.9 GB .* over the 1 GB"):
        read_extract(path, CARE_PACKAGES)


def test_parquet_unpacked_size_from_the_footer(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_UNPACKED_BYTES", 100)
    path = tmp_path / "valid.parquet"
    pl.read_csv(BAD_INPUTS / "valid.csv", infer_schema=False).write_parquet(path)
    with pytest.raises(UnreadableFile, match=r"unpack to .* over the 100 bytes limit for one load"):
        read_extract(path, CARE_PACKAGES)


# --------------------------------------------------------- legal data that used to crash


def test_parquet_with_every_end_date_blank_loads(loaded_db):
    """All packages still open: the end_date column is all null, of Parquet type null (was:
    polars SchemaError traceback)."""
    result = load_upload(
        loaded_db,
        "care_packages",
        "open.parquet",
        (BAD_INPUTS / "all_null_end_date.parquet").read_bytes(),
        as_at=dt.date(2021, 10, 31),
    )
    assert result.status == "loaded", [str(p) for p in result.problems]
    assert result.rows == 3


@pytest.mark.parametrize(
    ("dtype", "values", "words"),
    [
        (pl.Time, [dt.time(9, 30)] * 2, "'09:30:00' is not a date"),
        (pl.Duration, [dt.timedelta(days=1)] * 2, "'P1D' is not a date"),
        (pl.Boolean, [True, False], "'true' is not a date"),
        (pl.Categorical, ["2021-03-01", "2021-03-02"], None),
    ],
    ids=["time", "duration", "boolean", "categorical"],
)
def test_parquet_columns_of_other_types_are_checked_as_text(dtype, values, words, tmp_path):
    """A start date written as a time, a duration, true/false or a category: a problem on the
    cell (or, for dates as categories, a load) instead of a SchemaError."""
    frame = pl.read_csv(BAD_INPUTS / "valid.csv", infer_schema=False).head(2)
    frame = frame.with_columns(pl.Series("start_date", values, dtype=dtype))
    path = tmp_path / "typed.parquet"
    frame.write_parquet(path)
    result = load_upload(
        tmp_path / "x.duckdb",
        "care_packages",
        path.name,
        path.read_bytes(),
        as_at=dt.date(2021, 10, 31),
    )
    if words is None:
        assert result.status == "loaded", [str(p) for p in result.problems]
    else:
        assert result.status == "rejected"
        assert f"typed.parquet, row 1, column start_date: {words}" in [
            str(p)[: len(f"typed.parquet, row 1, column start_date: {words}")]
            for p in result.problems
        ]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(encoding, tmp_path):
    """Told from its NUL bytes (was: 'new-line character seen in unquoted field')."""
    path = tmp_path / "packages.csv"
    path.write_bytes((BAD_INPUTS / "valid.csv").read_text().encode(encoding))
    extract = read_extract(path, CARE_PACKAGES)
    assert extract.problems == []
    assert extract.frame["package_id"].to_list() == [f"BP000{i}" for i in range(1, 6)]


def test_utf16_detection_leaves_other_text_alone():
    assert ingest._utf16_without_bom("Café,Ærø\n".encode()) is None
    assert ingest._utf16_without_bom("Café,Ærø\n".encode("cp1252")) is None
    assert ingest._utf16_without_bom(b"a\x00b") is None  # odd length
    assert ingest._utf16_without_bom("ab,cd\n".encode("utf-16-le")) == "utf-16-le"
    assert ingest._utf16_without_bom("ab,cd\n".encode("utf-16-be")) == "utf-16-be"
