"""Write the committee briefing pack: an A4 PDF and, optionally, a self-contained HTML page.

The pack holds the plain-English narrative, the charts and the tables after disclosure control
(counts of 1 to 7 people hidden, others rounded to 5), so it can go to a public meeting. Each
export is recorded in the audit trail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
import time
from pathlib import Path

from ascdemand.briefing import export
from ascdemand.briefing.html import build_html
from ascdemand.briefing.pdf import build_pdf
from ascdemand.store.writer import DatabaseBusy

HELP = "write the committee briefing pack (PDF, and HTML with --html)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """--out FILE.pdf, --html FILE.html, --as-at DATE, --district NAME."""
    parser.add_argument("--out", type=Path, required=True, help="PDF file to write")
    parser.add_argument("--html", type=Path, default=None, help="also write this HTML file")
    parser.add_argument(
        "--as-at",
        type=dt.date.fromisoformat,
        default=None,
        help="date the briefing describes, YYYY-MM-DD (default: the database's as-at date)",
    )
    parser.add_argument(
        "--district",
        default=None,
        help="cover only this district (default: the whole council); a public pack covers "
        "one district or the whole council, never another combination",
    )


def run(args: argparse.Namespace) -> int:
    """Build the pack; exit 2 when there is no data, 1 when the audit write finds the db busy."""
    started = time.perf_counter()
    try:
        districts = [args.district] if args.district else []
        facts = export.load_facts(args.db, as_at=args.as_at, districts=districts)
    except FileNotFoundError as err:
        print(str(err), file=sys.stderr)
        return 2
    if facts is None:
        print(
            "No weekly data in the database: load extracts or run `ascdemand demo`.",
            file=sys.stderr,
        )
        return 2
    pages = build_pdf(facts, args.out)
    print(f"Wrote {args.out} ({pages} pages, as at {facts.as_at:%d %B %Y}).")
    written = [f"pdf {args.out.name}"]
    if args.html:
        args.html.write_text(build_html(facts), encoding="utf-8")
        print(f"Wrote {args.html}.")
        written.append(f"html {args.html.name}")
    try:
        export.audit_export(
            args.db,
            user=getpass.getuser(),
            kind="cli",
            detail=f"as at {facts.as_at}; {facts.area}; " + ", ".join(written),
        )
    except DatabaseBusy as err:
        print(f"Pack written, but the export could not be audited: {err}", file=sys.stderr)
        return 1
    print(f"Done in {time.perf_counter() - started:.1f} s.")
    return 0
