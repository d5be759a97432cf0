"""Load an extract (CSV, Excel or Parquet) into one of the store's tables.

The file is checked first against the data contract: required columns, types, allowed values,
dates (end not before start, none after the as-at date), ranges, and duplicate keys within the
file and against what is already stored. Every problem is listed with file, row and column, and
a rejected file changes nothing (exit status 2). Loading the same file twice is skipped.
Person identifiers are pseudonymised with a keyed hash before anything is stored.

--update loads a refreshed extract: rows with new keys are added, stored rows with the same key
are replaced (each changed value is kept in load_changes), stored rows not in the file are kept.
--mapping reads another system's export through a column mapping (a TOML file, or the name of
a mapping saved on the Data page); see README "Loading your own extracts".

Tables: care_packages, discharges, placements, budget_lines, ledger.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from ascdemand.commands._write_options import add_write_options
from ascdemand.store.contract import EXTRACT_TABLES
from ascdemand.store.load import LoadResult, load_path
from ascdemand.store.mapping import MappingError, resolve
from ascdemand.store.pseudonymise import PseudonymKeyError
from ascdemand.store.validate import Problem
from ascdemand.store.writer import DatabaseBusy

HELP = (
    "load a CSV, Excel or Parquet extract into a table (validated; rejected files change nothing)"
)

EXIT_REJECTED = 2
EXIT_BUSY = 1


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2021-10-31") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """TABLE FILE [--as-at YYYY-MM-DD] [--update] [--mapping FILE|NAME] [--user NAME] ..."""
    parser.add_argument(
        "table",
        choices=sorted(EXTRACT_TABLES),
        metavar="TABLE",
        help="one of: " + ", ".join(EXTRACT_TABLES),
    )
    parser.add_argument(
        "file", type=Path, metavar="FILE", help="the extract (.csv, .xlsx, .parquet)"
    )
    parser.add_argument(
        "--as-at",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date the extract describes; no date may fall after it, and it "
        "becomes the database's as-at date (default: the stored as-at date)",
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="the file updates what is stored: new rows are added, stored rows with the same "
        "key replaced, stored rows not in the file kept (default: refuse keys already stored)",
    )
    parser.add_argument(
        "--mapping",
        default=None,
        metavar="FILE.toml|NAME",
        help="a column mapping for another system's export: a TOML file, or the name of a "
        "mapping saved on the Data page",
    )
    add_write_options(parser, verb="loading")


def _print_problems(problems: Sequence[Problem], result: LoadResult | None = None) -> None:
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    if result is None:
        return
    hidden = result.problem_total - len(problems)
    if hidden > 0:
        kinds = "; ".join(f"{k}: {n:,}" for k, n in sorted(result.problem_counts.items()))
        print(f"  ... and {hidden:,} more. Problems by kind: {kinds}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Load the file; exit 0 when loaded or skipped, 2 when it or its mapping is rejected, 1
    when busy or no key."""
    user = args.user or getpass.getuser()
    try:
        mapping = (
            resolve(args.db, args.mapping, EXTRACT_TABLES[args.table]) if args.mapping else None
        )
        result = load_path(
            args.db,
            args.table,
            args.file,
            as_at=args.as_at,
            loaded_by=user,
            max_bytes=int(args.max_mb * 1024 * 1024),
            timeout=args.wait,
            update=args.update,
            mapping=mapping,
            new_key=args.new_key,
        )
    except MappingError as err:
        print(str(err), file=sys.stderr)
        _print_problems(err.problems)
        return EXIT_REJECTED
    except (DatabaseBusy, PseudonymKeyError) as err:
        print(str(err), file=sys.stderr)
        return EXIT_BUSY
    if result.status == "rejected":
        print(result.message, file=sys.stderr)
        _print_problems(result.problems, result)
        return EXIT_REJECTED
    print(result.message)
    for note in result.notes:
        print(f"  note: {note}")
    return 0
