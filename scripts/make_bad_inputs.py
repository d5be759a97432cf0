"""Write the corpus of awkward and bad extracts used by the loader tests to `tests/bad_inputs/`.

Each file is small and holds one kind of fault (or one awkward-but-valid layout) that council
extracts really show: odd encodings and delimiters, Excel title rows, impossible dates, absurd
hours, duplicate keys, formula-like text, a truncated Parquet file, Parquet columns of types
the checks do not expect, UTF-16 without a byte-order mark, and hostile files: workbooks that
claim or hold far more than their size (a cell at XFD1048576, a zip bomb) and a CSV of more
columns than any extract. The tests in `tests/reliability/test_bad_inputs.py` and
`tests/reliability/test_hostile_files.py` say what each file must produce. The 200 MB case and
the hostile files of many megabytes are made on the fly by the tests, so they are not written
here; workbooks are written by the tests too (`write_workbooks`), never committed.

Run: `.venv/bin/python scripts/make_bad_inputs.py` (the output is committed; rerun after edits).
"""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from pathlib import Path

import openpyxl
import polars as pl

OUT = Path(__file__).resolve().parents[1] / "tests" / "bad_inputs"

HEADER = (
    "package_id,person_id,service_type,district,client_group,start_date,end_date,"
    "hours_per_week,weekly_cost,provider,source"
)


def package(
    n: int,
    *,
    person: str | None = None,
    service: str = "homecare",
    start: str = "2021-03-01",
    end: str = "",
    hours: str = "12",
    cost: str = "300",
    provider: str = "Acme Care",
    district: str = "Blaby",
) -> str:
    """One care_packages CSV line; `n` makes the package and (by default) person unique."""
    person = person or f"LAS{900000 + n}"
    return (
        f"BP{n:04d},{person},{service},{district},older_adults,{start},{end},{hours},{cost},"
        f"{provider},community"
    )


def csv_text(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def text_files() -> dict[str, str]:
    """The corpus files that are plain CSV text (UTF-8 unless the name says otherwise)."""
    return {
        "header_only.csv": HEADER + "\n",
        "valid.csv": csv_text(*(package(i) for i in range(1, 6))),
        "title_rows.csv": "Care packages extract,,,\nRun on 1 November 2021,,,\n"
        + csv_text(package(171), package(172), package(173, hours="500")),
        "semicolon_delimited.csv": csv_text(package(11), package(12)).replace(",", ";"),
        "wrong_delimiter.csv": HEADER + "\n" + package(21).replace(",", ";") + "\n",
        "missing_column.csv": "\n".join(
            [
                HEADER.replace(",weekly_cost", ""),
                package(31).replace(",300,", ","),
            ]
        )
        + "\n",
        "extra_columns.csv": "\n".join(
            [HEADER + ",favourite_colour", package(41) + ",blue", package(42) + ",green"]
        )
        + "\n",
        "wrong_types.csv": csv_text(
            package(51), package(52, hours="twelve"), package(53, cost="lots")
        ),
        "date_formats.csv": csv_text(
            package(61, start="2021-03-01"),
            package(62, start="01/03/2021"),
            package(63, start="44256"),  # Excel serial number of 1 March 2021
            package(64, start="01-03-2021", end="2021-03-31"),
        ),
        "impossible_dates.csv": csv_text(package(71), package(72, start="31/02/2021")),
        "not_a_date.csv": csv_text(package(73), package(74, start="last Tuesday")),
        "future_dates.csv": csv_text(package(75, start="2030-01-01")),
        "end_before_start.csv": csv_text(
            package(81), package(82, start="2021-03-01", end="2021-02-01")
        ),
        "absurd_hours.csv": csv_text(package(91), package(92, hours="500")),
        "negative_hours.csv": csv_text(package(93, hours="-4")),
        "negative_cost.csv": csv_text(package(94, cost="-300")),
        "not_allowed_value.csv": csv_text(package(95, service="homecar")),
        "blank_required.csv": csv_text(package(96), package(97).replace(",Blaby,", ",,")),
        "duplicate_keys.csv": csv_text(package(101), package(102), package(101, person="LAS2")),
        "duplicate_of_stored.csv": csv_text(package(111), package(3)),
        "overlapping_packages.csv": csv_text(
            package(121, person="LAS777", start="2021-01-04", end="2021-03-28"),
            package(122, person="LAS777", start="2021-02-01"),
        ),
        "formula_text.csv": csv_text(
            package(131, provider='"=HYPERLINK(""http://evil.example"",""click"")"'),
            package(132, provider="+44 116 000"),
            package(133, provider="-1+1"),
            package(134, provider="@SUM(A1:A9)"),
        ),
        "sql_text.csv": csv_text(
            package(141, provider='"Robert\'); DROP TABLE care_packages;--"'),
            package(142, provider="x' OR '1'='1"),
        ),
        # An address typed with line breaks into the provider field: one spreadsheet row (row 2)
        # over file lines 2-4, so the bad end date is row 4 but line 6 of the file.
        "multiline_value.csv": csv_text(
            package(181, provider='"Acme Care\nUnit 4, Mill Lane\nLeicester"'),
            package(182),
            package(183, start="2021-03-01", end="2021-02-01"),
        ),
        # A district of 650 characters (row 3) broke the committee pack's tables; a provider
        # one over its 200-character limit (row 4).
        "long_text.csv": csv_text(
            package(231), package(232, district="M" * 650), package(233, provider="P" * 201)
        ),
    }


def write_encoded(name: str, text: str, encoding: str, bom: bytes = b"") -> None:
    (OUT / name).write_bytes(bom + text.encode(encoding))


def write_excel(out: Path = OUT) -> Path:
    """A workbook as finance teams send them: a notes sheet first, then a sheet with a merged
    title row and a blank row above the header (header on sheet row 3), real Excel dates,
    and one bad row (sheet row 6: 500 hours a week).

    Workbooks are not committed: the tests call this to write it where they need it.
    """
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Read me"
    notes["A1"] = "Extract of care packages from LAS, produced for the demand dashboard."
    sheet = book.create_sheet("Packages")
    sheet["A1"] = "Care packages at 31 October 2021"
    sheet.merge_cells("A1:K1")
    sheet.append([])
    sheet.append(HEADER.split(","))
    rows = [
        ("XP0001", "LAS800001", 12.0, dt.date(2021, 3, 1)),
        ("XP0002", "LAS800002", 10.5, dt.date(2021, 4, 12)),
        ("XP0003", "LAS800003", 500.0, dt.date(2021, 5, 3)),
    ]
    for package_id, person, hours, start in rows:
        sheet.append(
            [package_id, person, "homecare", "Melton", "older_adults", start, None, hours, 280.0]
            + ["Acme Care", "hospital_discharge"]
        )
    for row in sheet.iter_rows(min_row=4, min_col=6, max_col=6):
        row[0].number_format = "dd/mm/yyyy"
    path = out / "merged_header_rows.xlsx"
    book.save(path)
    return path


def write_parquet(out: Path = OUT) -> None:
    """A Parquet file cut off half way, as an interrupted copy leaves it; and legal files of
    types a CSV never has: every end date blank (a null column), the district as a list, an
    extra column of records."""
    whole = out / "_whole.parquet"
    pl.read_csv(out / "valid.csv", infer_schema=False).write_parquet(whole)
    data = whole.read_bytes()
    (out / "truncated.parquet").write_bytes(data[: len(data) // 2])
    whole.unlink()
    frame = pl.read_csv(csv_text_bytes(*(package(i) for i in range(191, 194))), infer_schema=False)
    frame.with_columns(pl.lit(None).alias("end_date")).write_parquet(
        out / "all_null_end_date.parquet"
    )
    frame.with_columns(pl.concat_list("district").alias("district")).write_parquet(
        out / "list_column.parquet"
    )
    frame.with_columns(
        pl.struct(pl.col("package_id").alias("ref"), pl.lit(1).alias("version")).alias("audit")
    ).write_parquet(out / "extra_struct_column.parquet")


def csv_text_bytes(*lines: str) -> bytes:
    return csv_text(*lines).encode()


def write_utf16(out: Path = OUT) -> None:
    """UTF-16 text without a byte-order mark, little- and big-endian, as some exports write."""
    (out / "utf16le_no_bom.csv").write_bytes(
        csv_text(package(201), package(202)).encode("utf-16-le")
    )
    (out / "utf16be_no_bom.csv").write_bytes(
        csv_text(package(203), package(204)).encode("utf-16-be")
    )


def write_too_many_columns(out: Path = OUT) -> None:
    """A CSV of 1,500 columns (a wide pivot saved by mistake): more than any extract has."""
    names = HEADER.split(",") + [f"week_{i}" for i in range(1, 1490)]
    row = package(211).split(",") + ["0"] * 1489
    (out / "too_many_columns.csv").write_text(",".join(names) + "\n" + ",".join(row) + "\n")


# ----------------------------------------------------------------------- hostile workbooks

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Packages" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _sheet_xml(dimension: str | None, extra_cells: str = "", padding: int = 0) -> bytes:
    """A one-sheet workbook's sheet: the care_packages header and one valid row, then
    `extra_cells`; `padding` bytes of blank space between the rows (which packs a thousandfold)."""
    header = "".join(_cell(f"{chr(65 + i)}1", n) for i, n in enumerate(HEADER.split(",")))
    values = package(221, start="2021-03-01").split(",")
    row = "".join(_cell(f"{chr(65 + i)}2", v) for i, v in enumerate(values) if v)
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'{declared}<sheetData><row r="1">{header}</row>{" " * padding}<row r="2">{row}</row>'
        f"{extra_cells}</sheetData></worksheet>"
    ).encode()


def _write_workbook(path: Path, sheet: bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


_FAR_CELL = '<row r="1048576">' + _cell("XFD1048576", "x") + "</row>"


def write_far_cell_workbook(out: Path = OUT) -> Path:
    """2 KB: a header, one row, and one cell at XFD1048576 (the last cell Excel has); the
    sheet declares A1:XFD1048576 as Excel would. The reader would need 512 GB for it."""
    return _write_workbook(out / "far_cell.xlsx", _sheet_xml("A1:XFD1048576", _FAR_CELL))


def write_far_cell_undeclared_workbook(out: Path = OUT) -> Path:
    """The same cell at XFD1048576, but the sheet declares only A1:K2: the declared size
    passes, and only the reading process's memory limit stops the reader."""
    path = out / "far_cell_undeclared.xlsx"
    return _write_workbook(path, _sheet_xml("A1:K2", _FAR_CELL))


def write_zip_bomb_workbook(out: Path = OUT) -> Path:
    """About 10 KB whose sheet unpacks to 8 MB of blank space: packed a thousandfold, where a
    real workbook packs 3 to 20 times (the real attack was 19.5 MB unpacking to 7.1 GB)."""
    path = out / "zip_bomb.xlsx"
    return _write_workbook(path, _sheet_xml("A1:K2", padding=8 * 1024 * 1024))


def write_huge_claim_workbook(out: Path = OUT) -> Path:
    """2 KB whose zip directory says the sheet unpacks to 3.75 GB (the sizes in the local and
    central headers edited), to show the directory alone is enough to refuse it."""
    path = _write_workbook(out / "huge_claim.xlsx", _sheet_xml("A1:K2"))
    data = bytearray(path.read_bytes())
    claim = struct.pack("<I", 0xF000_0000)
    with zipfile.ZipFile(path) as book:
        info = book.getinfo("xl/worksheets/sheet1.xml")
    data[info.header_offset + 22 : info.header_offset + 26] = claim  # local header
    name = info.filename.encode()
    start = 0
    while (central := data.find(b"PK\x01\x02", start)) >= 0:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + length]) == name:
            data[central + 24 : central + 28] = claim  # central directory
        start = central + 4
    path.write_bytes(bytes(data))
    return path


def write_workbooks(out: Path = OUT) -> list[Path]:
    """Every workbook of the corpus (workbooks are not committed; the tests write them)."""
    return [
        write_excel(out),
        write_far_cell_workbook(out),
        write_far_cell_undeclared_workbook(out),
        write_zip_bomb_workbook(out),
        write_huge_claim_workbook(out),
    ]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "empty.csv").write_bytes(b"")
    for name, text in text_files().items():
        (OUT / name).write_text(text, encoding="utf-8", newline="")
    latin = csv_text(package(151, provider="Café Soins Ltd"), package(152, provider="Ærø Care"))
    write_encoded("latin1.csv", latin, "latin-1")
    write_encoded("utf8_bom.csv", csv_text(package(161), package(162)), "utf-8", b"\xef\xbb\xbf")
    write_utf16()
    write_too_many_columns()
    write_workbooks()
    write_parquet()
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")


if __name__ == "__main__":
    main()
