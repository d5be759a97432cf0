"""Build the embedded demo database: a seeded county shaped like the one in the 2021 report
(its council profile ships with the package), April 2018 to an as-at date of 31 October 2021.

Person-level care packages, hospital discharges and care-home placements, calibrated to the
Director's report of November 2021, plus the 2021/22 budget and the ledger to period 7. The
tables go through the same validation and pseudonymisation as user extracts. An existing
database is kept unless --force is given.
"""

from __future__ import annotations

import argparse
import sys

from ascdemand.demo.build import DemoBuildError, build_demo
from ascdemand.store.pseudonymise import PseudonymKeyError
from ascdemand.store.writer import DatabaseBusy

HELP = "build the demo database (seeded; --scale K multiplies the population for benchmarks)"


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """[--scale K] [--seed N] [--force]."""
    parser.add_argument(
        "--scale", type=_positive, default=1, metavar="K", help="population multiple (default 1)"
    )
    parser.add_argument("--seed", type=int, default=2021, metavar="N", help="seed (default 2021)")
    parser.add_argument(
        "--force", action="store_true", help="replace the database if it already exists"
    )


def run(args: argparse.Namespace) -> int:
    """Build the demo database at `args.db`; 0 when built or kept, 1 on failure."""
    try:
        summary = build_demo(args.db, scale=args.scale, seed=args.seed, force=args.force)
    except (DemoBuildError, DatabaseBusy, PseudonymKeyError) as err:
        print(f"Demo database not built: {err}", file=sys.stderr)
        return 1
    if not summary.built:
        print(f"{args.db} already exists; kept it (use --force to rebuild).")
        return 0
    tables = ", ".join(f"{table} {rows:,}" for table, rows in summary.rows.items())
    print(
        f"Built {args.db} (scale {summary.scale}, seed {summary.seed}, as at "
        f"{summary.as_at:%d %B %Y}) in {summary.seconds:.1f} s: {summary.people:,} people; "
        f"rows: {tables}."
    )
    return 0
