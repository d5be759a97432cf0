"""Load test: many app sessions at once, each moving through pages, filters and scenarios.

Each session is a Streamlit `AppTest` in its own thread, as each browser tab is a thread of one
Streamlit server: they share the server's caches and its read-only database connection. Every
session follows its own seeded plan of steps (open a page, change the as-at date or district,
apply a scenario preset or horizon), and every step's rerun is timed. Any exception or error
message on the page counts as an error. As on a server that is already up, one session first
opens every page in turn (imports and caches warm), then the concurrent sessions start.

    python -m benchmarks.load_test --db benchmarks/work/demo-scale1.duckdb --sessions 20 --steps 15
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from unittest import mock

from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.runtime import Runtime
from streamlit.runtime.caching.storage.dummy_cache_storage import MemoryCacheStorageManager
from streamlit.runtime.dataframe_source_manager import DataframeSourceManager
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test, local_script_runner
from streamlit.testing.v1.util import patch_config_options

from benchmarks.render import APP, TIMEOUT_S, page_names

# Pages a session visits, and the kinds of step it takes.
SCENARIO_PAGE = "scenarios"
KINDS = ("page", "filter", "scenario")
# The as-at dates a session may choose, in weeks before the database's as-at date: few, so that
# sessions share cached results as real users of one council would.
AS_AT_WEEKS_BACK = (0, 4, 13)


@dataclass(frozen=True, slots=True)
class Step:
    """One user action: open `page`, or set a filter, or change the scenario."""

    kind: str
    page: str
    value: str | None = None


@dataclass(slots=True)
class StepResult:
    session: int
    index: int
    kind: str
    page: str
    seconds: float
    errors: list[str] = field(default_factory=list)


def plan(session: int, steps: int, seed: int, districts: Sequence[str]) -> list[Step]:
    """The seeded sequence of steps of one session: a page first, then a random mix."""
    rng = random.Random(seed * 1_000 + session)
    pages = page_names()
    out: list[Step] = [Step("page", rng.choice(pages))]
    page = out[0].page
    while len(out) < steps:
        kind = rng.choice(KINDS)
        if kind == "page":
            page = rng.choice(pages)
            out.append(Step("page", page))
        elif kind == "filter":
            if rng.random() < 0.5:
                out.append(Step("filter", page, f"as_at:{rng.choice(AS_AT_WEEKS_BACK)}"))
            else:
                out.append(Step("filter", page, f"district:{rng.choice(['', *districts])}"))
        else:
            page = SCENARIO_PAGE
            if rng.random() < 0.5:
                out.append(Step("scenario", page, f"preset:{rng.randrange(100)}"))
            else:
                out.append(Step("scenario", page, f"horizon:{rng.choice([13, 26, 52])}"))
    return out


def _open(query: dict[str, str], page: str | None) -> AppTest:
    """A new app session with the filters in the URL (as a shared link opens), on `page`."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(f"pages/{page}.py")
    return at


def _apply(at: AppTest, step: Step, latest: dt.date, query: dict[str, str]) -> AppTest:
    """Set up `step` and return the session to rerun (the caller times both).

    A filter change reopens the page with the new filters in the URL: under `AppTest` a page
    reached by `switch_page` runs without the sidebar, so its filters are set through the URL.
    """
    if step.kind == "page":
        at.switch_page(f"pages/{step.page}.py")
        return at
    what, value = (step.value or ":").split(":", 1)
    if what == "as_at":
        query["as_at"] = (latest - dt.timedelta(weeks=int(value))).isoformat()
        return _open(query, step.page)
    if what == "district":
        if value:
            query["district"] = value
        else:
            query.pop("district", None)
        return _open(query, step.page)
    _scenario_page(at)
    if what == "horizon":
        at.slider(key="sc_horizon").set_value(int(value))
    else:
        pick = at.selectbox(key="sc_preset_pick")
        pick.set_value(pick.options[int(value) % len(pick.options)])
        at.run()
        at.button(key="sc_preset_apply").click()
    return at


def _scenario_page(at: AppTest) -> None:
    """Be on the scenarios page (switch there first when the session is elsewhere)."""
    try:
        at.slider(key="sc_horizon")
    except KeyError:
        at.switch_page(f"pages/{SCENARIO_PAGE}.py").run()


def _errors(at: AppTest) -> list[str]:
    return [str(e.value)[:300] for e in at.exception] + [str(e.value)[:300] for e in at.error]


def _session(
    index: int, steps: list[Step], latest: dt.date, results: list[StepResult], lock: threading.Lock
) -> None:
    query: dict[str, str] = {}
    at = _open(query, None)
    for i, step in enumerate(steps):
        errors: list[str] = []
        start = time.perf_counter()
        try:
            at = _apply(at, step, latest, query)
            at.run()
            errors = _errors(at)
        except Exception as err:  # noqa: BLE001 - a load test records every failure
            errors = [f"{type(err).__name__}: {err}"]
        elapsed = time.perf_counter() - start
        with lock:
            results.append(StepResult(index, i, step.kind, step.page, elapsed, errors))


@dataclass(slots=True)
class Report:
    """What the load test measured: latencies by step kind and overall, and every error."""

    sessions: int
    steps_per_session: int
    seconds: float
    steps: list[StepResult]
    warm_up: list[StepResult]
    warm_up_s: float

    @property
    def errors(self) -> list[StepResult]:
        return [s for s in self.warm_up + self.steps if s.errors]

    def latencies(self) -> dict[str, dict[str, float]]:
        """p50, p90, p99 and max seconds per step kind and for all steps."""
        groups = {"all": [s.seconds for s in self.steps]}
        for s in self.steps:
            groups.setdefault(s.kind, []).append(s.seconds)
        return {kind: _percentiles(values) for kind, values in groups.items()}

    def to_dict(self) -> dict[str, object]:
        return {
            "sessions": self.sessions,
            "steps_per_session": self.steps_per_session,
            "seconds": self.seconds,
            "warm_up_s": self.warm_up_s,
            "steps_done": len(self.steps),
            "errors": [asdict(s) for s in self.errors],
            "latency_s": self.latencies(),
        }


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else []

    def pick(p: int) -> float:
        return cuts[p - 1] if cuts else ordered[0]

    return {
        "count": len(ordered),
        "p50": pick(50),
        "p90": pick(90),
        "p99": pick(99),
        "max": ordered[-1],
    }


def _runtime() -> Runtime:
    """A stand-in for the server's runtime, built as `AppTest` builds its own for each run."""
    runtime = mock.MagicMock(spec=Runtime)
    runtime.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    runtime.dataframe_source_mgr = DataframeSourceManager()
    runtime.cache_storage_manager = MemoryCacheStorageManager()
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    runtime.bidi_component_registry = components
    return runtime


@contextlib.contextmanager
def one_server() -> Iterator[None]:
    """Make concurrent `AppTest` sessions behave as the sessions of one Streamlit server: one
    runtime serves them all, and each script is compiled once.

    Per run, `AppTest` installs its own runtime as the process-wide singleton and removes it
    at the end, pulling it from under other sessions still running; wraps the global
    configuration getter, and overlapping runs chained those wrappers into an endless loop; and
    compiles each script afresh, where a server compiles it once under a lock (compiling one
    script in several threads at once fails under CPython 3.11: "AST constructor recursion
    depth mismatch"). Here all three are done once, for every session.
    """
    runtime = _runtime()
    scripts = ScriptCache()
    with (
        patch_config_options({"global.appTest": True}),
        mock.patch.object(app_test, "patch_config_options", lambda _: contextlib.nullcontext()),
        mock.patch.object(local_script_runner, "ScriptCache", lambda: scripts),
        mock.patch.object(app_test, "ScriptCache", lambda: scripts),
        mock.patch.object(Runtime, "instance", classmethod(lambda cls: runtime)),
    ):
        yield


def _warm_up(latest: dt.date, results: list[StepResult], lock: threading.Lock) -> None:
    """One session opening every page in turn (recorded as session -1)."""
    steps = [Step("page", page) for page in page_names()]
    _session(-1, steps, latest, results, lock)


def run_load_test(db: Path, *, sessions: int = 20, steps: int = 15, seed: int = 1) -> Report:
    """`sessions` concurrent app sessions of `steps` steps each against `db`, after a warm-up."""
    import duckdb

    from ascdemand.store.meta import as_at_date

    with duckdb.connect(str(db), read_only=True) as con:
        latest = as_at_date(con)
        districts = [
            r[0] for r in con.execute("SELECT district FROM districts ORDER BY 1").fetchall()
        ]
    os.environ["ASCDEMAND_DB"] = str(db)
    lock = threading.Lock()
    warm: list[StepResult] = []
    results: list[StepResult] = []
    with one_server():
        start = time.perf_counter()
        _warm_up(latest, warm, lock)
        warm_up_s = time.perf_counter() - start
        threads = [
            threading.Thread(
                target=_session,
                args=(i, plan(i, steps, seed, districts), latest, results, lock),
                name=f"session-{i}",
            )
            for i in range(sessions)
        ]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return Report(sessions, steps, time.perf_counter() - start, results, warm, warm_up_s)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load_test", description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("benchmarks/work/demo-scale1.duckdb"))
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--steps", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    report = run_load_test(
        args.db.resolve(), sessions=args.sessions, steps=args.steps, seed=args.seed
    )
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(
            f"{report.sessions} sessions x {report.steps_per_session} steps: "
            f"{len(report.steps)} steps in {report.seconds:.1f} s, {len(report.errors)} with errors "
            f"(after a {report.warm_up_s:.1f} s warm-up opening every page once)"
        )
        for kind, q in report.latencies().items():
            print(
                f"  {kind:9s} n={q['count']:4.0f}  p50 {q['p50']:.2f} s  p90 {q['p90']:.2f} s  "
                f"p99 {q['p99']:.2f} s  max {q['max']:.2f} s"
            )
        for s in report.errors[:10]:
            print(f"  error in session {s.session} step {s.index} ({s.kind} {s.page}): {s.errors}")
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
