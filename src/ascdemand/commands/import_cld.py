"""Import the national Adult Social Care Client Level Data (CLD) return, Release 1.

Reads each quarterly CLD file (CSV or Excel, headers spaced or underscored) for service users:
services become care packages and placements, requests whose route of access is "Discharge from
Hospital" become discharges (pathway and outcome derived from the next service within 14 days).
Carers' events, assessments, reviews and other requests are counted, not loaded. Names, NHS
numbers, GP details, dates of birth and postcodes are never stored; the person identifier is
pseudonymised. A service in several quarters is kept once, with its latest submission's values.

All files go in one transaction. By default any problem rejects the import and nothing changes
(exit status 2); --skip-invalid imports the valid rows and lists the others. A file imported
before is skipped. A council profile must be stored first (`ascdemand profile load FILE.toml`).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from ascdemand.commands._write_options import add_write_options
from ascdemand.store.cld.events import SKIP_REASONS
from ascdemand.store.cld.importer import CldImport, import_cld
from ascdemand.store.pseudonymise import PseudonymKeyError
from ascdemand.store.writer import DatabaseBusy

HELP = "import quarterly Adult Social Care Client Level Data (CLD) returns (.csv, .xlsx)"

EXIT_REJECTED = 2
EXIT_BUSY = 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """FILE... [--skip-invalid] [--json] [--user NAME] [--wait SECONDS] [--max-mb N]."""
    parser.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="CLD return (.csv or .xlsx)"
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the valid rows and list the invalid ones (default: any problem rejects "
        "the import and nothing changes)",
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    add_write_options(parser, verb="importing")


def _print(result: CldImport) -> None:
    """The summary as lines of text: problems on stderr when the import was rejected."""
    out = sys.stderr if result.status == "rejected" else sys.stdout
    print(result.message, file=out)
    for f in result.files:
        period = (
            f" (period ending {f.reporting_period_end:%d %B %Y})" if f.reporting_period_end else ""
        )
        print(f"  {f.file}{period}: {f.status}", file=out)
    if result.rows_read:
        print(f"Rows read: {result.rows_read:,}", file=out)
    for name, c in result.tables.items():
        print(
            f"  {name}: {c.inserted:,} new, {c.updated:,} updated, {c.unchanged:,} unchanged",
            file=out,
        )
    if result.skipped:
        skipped = ", ".join(f"{reason} {result.skipped[reason]:,}" for reason in SKIP_REASONS)
        print(f"Skipped: {skipped}", file=out)
    if result.status == "imported":
        print(
            f"Discharge pathways derived: {result.discharges_derived:,}; earlier rows relinked: "
            f"{result.relinked:,}",
            file=out,
        )
    if result.rows_read or result.problem_total:
        print(f"Problems: {result.problem_total:,}", file=out)
    for problem in result.problems:
        print(f"  {problem}", file=out)
    hidden = result.problem_total - len(result.problems)
    if hidden > 0:
        kinds = "; ".join(f"{k}: {n:,}" for k, n in sorted(result.problem_counts.items()))
        print(f"  ... and {hidden:,} more. Problems by kind: {kinds}", file=out)
    for note in result.notes:
        print(f"  note: {note}", file=out)


def run(args: argparse.Namespace) -> int:
    """0 when imported or skipped; 2 when rejected (problems, no profile); 1 when busy."""
    try:
        result = import_cld(
            args.db,
            args.files,
            skip_invalid=args.skip_invalid,
            loaded_by=args.user or getpass.getuser(),
            max_bytes=int(args.max_mb * 1024 * 1024),
            timeout=args.wait,
            new_key=args.new_key,
        )
    except (DatabaseBusy, PseudonymKeyError) as err:
        print(str(err), file=sys.stderr)
        return EXIT_BUSY
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
    else:
        _print(result)
    return EXIT_REJECTED if result.status == "rejected" else 0
