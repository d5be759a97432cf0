"""Benchmark the product at a county (scale 1), a region (10) and England (100).

Builds the demo database at each scale with `ascdemand demo --scale K` (or reuses one already
in the work folder), then times, each in its own process: loading a 1 million-row care-packages
CSV; the weekly views in full (live, and materialised) with a plain pandas expansion for
comparison; each page's queries after a filter change; forecasting every series; the scenario
engine (one run and 500 Monte Carlo runs over 52 weeks); and every page through Streamlit's
AppTest. Reports medians, rows processed and each process's peak memory, and which targets were
met. The benchmark code lives in `benchmarks/` of the source checkout, not in the installed
package: this finds the checkout an editable install was made from, or the working directory if
it is a checkout, and otherwise says so and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "time loads, views, page queries, forecasts, scenarios and pages at scales 1, 10, 100"

MEASURES = ("load", "views", "queries", "forecasting", "scenario", "render")
PACKAGE_CHECKOUT = Path(__file__).resolve().parents[3]
"""The source checkout of an editable install (for an installed wheel, a folder that is none)."""
NEEDS_CHECKOUT = (
    "ascdemand bench needs the source checkout: the benchmark code (its benchmarks/ folder) is "
    "not part of the installed package. Run it from a clone of the repository (cd into the "
    "clone first), or install the clone with `pip install -e .`."
)


def find_checkout() -> Path | None:
    """The source checkout holding `benchmarks/`: the one this package was installed from in
    editable mode, else the working directory if it is one; None when neither is."""
    for folder in (PACKAGE_CHECKOUT, Path.cwd()):
        if (folder / "benchmarks" / "runner.py").is_file() and (
            folder / "src" / "ascdemand"
        ).is_dir():
            return folder.resolve()
    return None


def _scales(text: str) -> list[int]:
    try:
        scales = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list like 1,10,100") from None
    if not scales or min(scales) < 1:
        raise argparse.ArgumentTypeError("scales must be whole numbers of at least 1")
    return scales


def _measures(text: str) -> list[str]:
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(chosen) - set(MEASURES))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(MEASURES)}; got {text!r}")
    return chosen


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """[--scales 1,10,100] [--repeat N] [--json] [--work-dir DIR] [--quick] [--measures ...]."""
    parser.add_argument(
        "--scales",
        type=_scales,
        default=[1, 10, 100],
        metavar="1,10,100",
        help="demo sizes: 1 is a county, 10 a region, 100 about England (default 1,10,100)",
    )
    parser.add_argument(
        "--repeat", type=int, default=5, metavar="N", help="runs per measure (median reported)"
    )
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the demo databases and the generated CSV are kept "
        "(default benchmarks/work of the checkout)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: a 20,000-row load file, and forecasts of the county series only",
    )
    parser.add_argument(
        "--measures",
        type=_measures,
        default=list(MEASURES),
        metavar="LIST",
        help="comma-separated subset of: " + ", ".join(MEASURES),
    )


def run(args: argparse.Namespace) -> int:
    """Run the benchmarks and print a table (or JSON); 1 when a measure fails."""
    checkout = find_checkout()
    if checkout is None:
        print(NEEDS_CHECKOUT, file=sys.stderr)
        return 1
    if args.repeat < 1:
        print("--repeat must be at least 1.", file=sys.stderr)
        return 1
    sys.path.insert(0, str(checkout))
    from benchmarks import runner

    work_dir = args.work_dir or checkout / "benchmarks" / "work"

    try:
        report = runner.run(
            args.scales,
            repeat=args.repeat,
            quick=args.quick,
            work_dir=work_dir.resolve(),
            measures=args.measures,
            progress=lambda step: print(f"... {step}", file=sys.stderr, flush=True),
        )
    except runner.BenchmarkError as err:
        print(str(err), file=sys.stderr)
        return 1
    print(json.dumps(report, indent=2, default=str) if args.json else runner.table(report))
    return 0
