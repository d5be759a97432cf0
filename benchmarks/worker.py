"""Run one benchmark in this process and write its results as JSON.

`python -m benchmarks.worker MEASURE DB OUT [--repeat N] [--quick]` writes the results as JSON
to OUT (stdout is left to the libraries' chatter). The runner starts one worker per measure and
scale, so each peak memory figure belongs to that measure alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

MEASURES = ("load", "views", "queries", "forecasting", "scenario", "render")


def _module(name: str):
    """The benchmark module of a measure, imported only when run (each pulls in its stack)."""
    from benchmarks import forecasting, load, page_queries, render, scenario, views

    return {
        "load": load,
        "views": views,
        "queries": page_queries,
        "forecasting": forecasting,
        "scenario": scenario,
        "render": render,
    }[name]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    parser.add_argument("measure", choices=MEASURES)
    parser.add_argument("db", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)

    from benchmarks.harness import peak_rss_mb

    results = _module(args.measure).measure(args.db.resolve(), args.repeat, args.quick)
    peak = peak_rss_mb()
    for result in results:
        result.peak_rss_mb = peak
    args.out.write_text(json.dumps([r.to_dict() for r in results]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
