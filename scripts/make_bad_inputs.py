"""Write the corpus of awkward and bad extracts used by the loader tests to `tests/bad_inputs/`.

Each file is small and holds one kind of fault (or one awkward-but-valid layout) that council
extracts really show: odd encodings and delimiters, Excel title rows, impossible dates, absurd
hours, duplicate keys, formula-like text, a truncated Parquet file. The tests in
`tests/reliability/test_bad_inputs.py` say what each file must produce. The 200 MB case is made
on the fly by the test (a sparse file), so it is not written here.

Run: `.venv/bin/python scripts/make_bad_inputs.py` (the output is committed; rerun after edits).
"""

from __future__ import annotations

import datetime as dt
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
) -> str:
    """One care_packages CSV line; `n` makes the package and (by default) person unique."""
    person = person or f"LAS{900000 + n}"
    return (
        f"BP{n:04d},{person},{service},Blaby,older_adults,{start},{end},{hours},{cost},"
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


def write_parquet() -> None:
    """A Parquet file cut off half way, as an interrupted copy leaves it."""
    whole = OUT / "_whole.parquet"
    pl.read_csv(OUT / "valid.csv", infer_schema=False).write_parquet(whole)
    data = whole.read_bytes()
    (OUT / "truncated.parquet").write_bytes(data[: len(data) // 2])
    whole.unlink()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "empty.csv").write_bytes(b"")
    for name, text in text_files().items():
        (OUT / name).write_text(text, encoding="utf-8", newline="")
    latin = csv_text(package(151, provider="Café Soins Ltd"), package(152, provider="Ærø Care"))
    write_encoded("latin1.csv", latin, "latin-1")
    write_encoded("utf8_bom.csv", csv_text(package(161), package(162)), "utf-8", b"\xef\xbb\xbf")
    write_excel()
    write_parquet()
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT}")


if __name__ == "__main__":
    main()
