"""Import NHS England Acute Discharge Situation Report workbooks (one per month).

Reads Table 4 (patients discharged by destination, pathways P0 to P3) and the delay tables 2, 3
and 5 for England, every region, integrated care board and acute trust. All files are checked
first and then written in one transaction: if any file is rejected, nothing is written.
Re-importing a month replaces it. Download newer months from NHS England's "Discharge delays
(acute)" statistics page and import them the same way.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time

import duckdb
import polars as pl

from ascdemand.store.connection import connect
from ascdemand.store.profile import current_profile
from ascdemand.store.sitrep.importer import import_files
from ascdemand.store.sitrep.queries import monthly_by_pathway
from ascdemand.store.sitrep.workbook import SitrepError
from ascdemand.store.writer import DatabaseBusy

HELP = "import NHS England acute discharge sitrep workbooks (.xlsx)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """FILE... : the monthly workbooks."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="monthly sitrep workbook (.xlsx)")
    parser.add_argument(
        "--show",
        action="append",
        metavar="CODE",
        help="after importing, print monthly patients by pathway for this ICB or trust code "
        "(repeatable; default: the care board and main trust of the council profile)",
    )


def run(args: argparse.Namespace) -> int:
    """Import the files; exit 2 when a workbook is rejected, 1 when the database is busy."""
    started = time.perf_counter()
    try:
        editions = import_files(args.db, args.files, user=getpass.getuser())
    except SitrepError as err:
        print(f"Rejected, nothing imported: {err}", file=sys.stderr)
        return 2
    except DatabaseBusy as err:
        print(str(err), file=sys.stderr)
        return 1
    for edition in sorted(editions, key=lambda e: e.month):
        print(f"Imported {edition.summary}")
        for note in edition.notes:
            print(f"  note: {note}")
    print(
        f"{len(editions)} month(s) imported into {args.db} in {time.perf_counter() - started:.1f} s."
    )
    with connect(args.db, read_only=True) as con:
        council = current_profile(con)
        defaults = [c for c in (council.icb, council.default_trust) if c]
        if not (args.show or defaults):
            print(
                "No council profile is stored: add --show CODE to print an ICB's or trust's pathways."
            )
        for code in args.show or defaults:
            _print_pathways(con, code.upper())
    return 0


def _print_pathways(con: duckdb.DuckDBPyConnection, code: str) -> None:
    """Patients discharged per month by pathway for every organisation type using `code`."""
    for org_type in ("icb", "trust"):
        frame = monthly_by_pathway(con, org_type, code)
        if frame.is_empty():
            continue
        wide = frame.pivot(on="pathway", index="month", values="patients").sort("month")
        print(f"\n{org_type.upper()} {code}: patients discharged per month by pathway")
        with pl.Config(tbl_rows=-1, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
            print(wide)
        return
    print(f"\n{code}: no ICB or trust with this code in the imported months.")
