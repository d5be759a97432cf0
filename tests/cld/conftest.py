"""The Riverside test council: its profile and three quarterly CLD returns (tests/data/cld).

Riverside County Council is made up: districts Eastbank (RV1, RV2), Westmoor (RV3, sectors
RV4 1 and RV4 2) and Northfield (sector RV4 3, RV5), care board QJ2, trust RTG. People, names
and NHS numbers (999..., modulus-11 valid unless a test needs one that is not) are invented.

- riverside_2023q1.csv (April-June 2023, spaced headers, dd/mm/yyyy dates): 23 rows.
- riverside_2023q2.csv (July-September 2023, underscored headers, ISO dates, values in mixed
  case and spacing): 17 rows; the same quarter as a workbook is written from it when the tests start.
- riverside_2023q3_problems.csv (October-December 2023): 12 rows, 8 of them with one problem
  each (rows 3-10), rows 2, 11 and 12 valid, row 13 a carer's review.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ascdemand.cli import main


def _as_workbook(csv: Path, headers_from: Path) -> Path:
    """A quarter as a workbook, written when the tests start (workbooks are generated, not
    committed): `csv`'s cells as text in one sheet, under `headers_from`'s spaced headers."""
    frame = pl.read_csv(csv, infer_schema_length=0)
    spaced = pl.read_csv(headers_from, n_rows=0).columns
    path = Path(tempfile.mkdtemp(prefix="ascdemand-cld-")) / f"{csv.stem}.xlsx"
    frame.rename(dict(zip(frame.columns, spaced, strict=True))).write_excel(path, worksheet="CLD")
    return path


DATA = Path(__file__).resolve().parents[1] / "data" / "cld"
PROFILE = DATA / "riverside.toml"
Q1 = DATA / "riverside_2023q1.csv"
Q2 = DATA / "riverside_2023q2.csv"
Q2_XLSX = _as_workbook(Q2, headers_from=Q1)
Q3_PROBLEMS = DATA / "riverside_2023q3_problems.csv"


def new_riverside_db(db: Path, profile: Path = PROFILE) -> Path:
    """A new database at `db` holding only the Riverside profile (or `profile`), stored with
    the CLI."""
    assert main(["--db", str(db), "profile", "load", str(profile)]) == 0
    return db


@pytest.fixture
def riverside_db(tmp_path: Path) -> Path:
    """An empty database holding only the Riverside profile."""
    return new_riverside_db(tmp_path / "riverside.duckdb")


def run_import(db: Path, *files: Path | str, options: Sequence[str] = ()) -> int:
    """Run `ascdemand --db DB import-cld FILES... OPTIONS` and return its exit status."""
    return main(["--db", str(db), "import-cld", *map(str, files), *options])


def rows(db: Path, sql: str, params: Sequence[object] = ()) -> list[tuple]:
    """The rows of a query on the database, read-only."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()
