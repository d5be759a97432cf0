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

from ascdemand.store.sitrep.importer import import_files
from ascdemand.store.sitrep.workbook import SitrepError
from ascdemand.store.writer import DatabaseBusy

HELP = "import NHS England acute discharge sitrep workbooks (.xlsx)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """FILE... : the monthly workbooks."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="monthly sitrep workbook (.xlsx)")


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
    return 0
