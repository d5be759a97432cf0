"""Page render: every page of the app through Streamlit's `AppTest`, first open and with warm
caches, against the database named by `ASCDEMAND_DB`."""

from __future__ import annotations

import os
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from benchmarks.harness import Result, timed

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
TIMEOUT_S = 600
# What a page shows, counted as its "rows".
SHOWN = ("plotly_chart", "metric", "arrow_data_frame")


def page_names() -> list[str]:
    """Every page file of the app, by file stem."""
    return sorted(p.stem for p in (ROOT / "pages").glob("*.py"))


def _errors(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.exception] + [str(e.value) for e in at.error]


def open_app(db: Path) -> AppTest:
    """A fresh app session on `db` (the app reads `ASCDEMAND_DB`), run once."""
    os.environ["ASCDEMAND_DB"] = str(db)
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()


def measure(db: Path, repeat: int, quick: bool) -> list[Result]:
    """The app's first run (it opens the default page, cold), then per page: its first open
    in this process and the median re-run with warm caches."""
    start = time.perf_counter()
    at = open_app(db)
    started = time.perf_counter() - start
    results = [
        Result(
            "page render",
            "app start (default page, cold caches)",
            started,
            [started],
            sum(len(at.get(kind)) for kind in SHOWN),
            detail={"errors": _errors(at), "note": "one run: only a process's first start is cold"},
        )
    ]
    for page in page_names():
        start = time.perf_counter()
        at.switch_page(f"pages/{page}.py").run()
        first = time.perf_counter() - start
        errors = _errors(at)
        median, runs, _ = timed(lambda: at.run(), repeat)
        errors += _errors(at)
        shown = {kind: len(at.get(kind)) for kind in SHOWN}
        results.append(
            Result(
                "page render",
                page,
                median,
                runs,
                sum(shown.values()),
                detail={"first_open_s": first, "errors": errors, "elements": shown},
            )
        )
    return results
