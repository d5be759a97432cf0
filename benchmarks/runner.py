"""Build or reuse the demo databases, run every measure in its own process, check the targets.

Peak memory is each worker process's own peak resident set size (`getrusage(RUSAGE_SELF)`,
interpreter and libraries included), so it is what a user's machine would need for that job.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ascdemand.store.connection import open_read_only
from benchmarks.harness import Result
from benchmarks.worker import MEASURES

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORK_DIR = ROOT / "benchmarks" / "work"
# Forecasting every series takes minutes at any scale; more repeats add little.
MAX_REPEAT = {"forecasting": 1, "load": 3}


class BenchmarkError(RuntimeError):
    """A database could not be built or a measure failed; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Target:
    """A target of issue 9: results of `measure` (and `item`, when given) at `scale`."""

    label: str
    measure: str
    scale: int
    check: Callable[[Result], float | None]
    limit: float
    at_least: bool = False
    item: str | None = None


def _median(r: Result) -> float | None:
    return r.median_s


TARGETS = (
    Target("every page-query set under 100 ms", "page queries", 1, _median, 0.1),
    Target("every page render under 1 s", "page render", 1, _median, 1.0),
    Target(
        "deterministic scenario under 50 ms", "scenario", 1, _median, 0.05, item="deterministic run"
    ),
    Target("every page-query set under 300 ms", "page queries", 10, _median, 0.3),
    Target("every page render under 1.5 s", "page render", 10, _median, 1.5),
    Target(
        "SQL weekly expansion at least 10x faster than pandas",
        "views",
        10,
        lambda r: r.detail.get("ratio_pandas_to_sql"),
        10.0,
        at_least=True,
        item="pandas weekly expansion",
    ),
    Target(
        "full weekly views under 5 s", "views", 100, _median, 5.0, item="all three views (live)"
    ),
    Target("1 million-row load under 15 s", "load", 100, _median, 15.0),
    Target("every page opens under 3 s", "page render", 100, _median, 3.0),
    Target("peak memory under 4 GB", "*", 100, lambda r: r.peak_rss_mb, 4096.0),
)


def database(work_dir: Path, scale: int, seed: int) -> Path:
    """The demo database at `scale` in `work_dir`, built with `ascdemand demo` if absent (one
    built by an older version is brought up to date first, outside the timings)."""
    path = work_dir / f"demo-scale{scale}.duckdb"
    if path.exists():
        open_read_only(path).close()
        return path
    work_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "ascdemand", "--db", str(path), "demo"]
    command += ["--scale", str(scale), "--seed", str(seed)]
    done = subprocess.run(command, env=_env(work_dir), capture_output=True, text=True)
    if done.returncode != 0 or not path.exists():
        raise BenchmarkError(f"building the scale {scale} demo failed:\n{done.stderr[-2000:]}")
    return path


def _env(work_dir: Path) -> dict[str, str]:
    """Workers import `benchmarks` from the checkout; loads use a key kept in the work dir
    unless the user set one."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if "ASCDEMAND_PSEUDONYM_KEY" not in env:
        env.setdefault("ASCDEMAND_KEY_FILE", str(work_dir / "pseudonym.key"))
    return env


def run_measure(measure: str, db: Path, scale: int, repeat: int, quick: bool) -> list[Result]:
    """One measure in a fresh worker process; its results tagged with `scale`."""
    repeat = min(repeat, MAX_REPEAT.get(measure, repeat))
    with tempfile.TemporaryDirectory(prefix="ascdemand-bench-") as folder:
        out = Path(folder) / "results.json"
        command = [sys.executable, "-m", "benchmarks.worker", measure, str(db), str(out)]
        command += ["--repeat", str(repeat)] + (["--quick"] if quick else [])
        done = subprocess.run(
            command, cwd=ROOT, env=_env(db.parent), capture_output=True, text=True
        )
        if done.returncode != 0 or not out.exists():
            raise BenchmarkError(f"{measure} at scale {scale} failed:\n{done.stderr[-3000:]}")
        results = [Result.from_dict(d) for d in json.loads(out.read_text())]
    for result in results:
        result.scale = scale
    return results


def run(
    scales: Sequence[int],
    *,
    repeat: int,
    quick: bool,
    work_dir: Path = DEFAULT_WORK_DIR,
    measures: Sequence[str] = MEASURES,
    seed: int = 2021,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, object]:
    """Every measure at every scale: the machine, the results and the target verdicts."""
    started = time.time()
    results: list[Result] = []
    for scale in scales:
        progress(f"scale {scale}: database")
        db = database(work_dir, scale, seed)
        for measure in measures:
            progress(f"scale {scale}: {measure}")
            results.extend(run_measure(measure, db, scale, repeat, quick))
    return {
        "machine": machine(),
        "settings": {"scales": list(scales), "repeat": repeat, "quick": quick, "seed": seed},
        "seconds": time.time() - started,
        "results": [r.to_dict() for r in results],
        "targets": verdicts(results),
    }


def verdicts(results: Sequence[Result]) -> list[dict[str, object]]:
    """Each target whose scale was run: the worst value found and whether it was met."""
    out = []
    for target in TARGETS:
        values = [
            (target.check(r), r.item)
            for r in results
            if r.scale == target.scale
            and target.measure in ("*", r.measure)
            and target.item in (None, r.item)
        ]
        values = [(v, item) for v, item in values if v is not None]
        if not values:
            continue
        value, item = (min if target.at_least else max)(values)
        met = value >= target.limit if target.at_least else value <= target.limit
        out.append(
            {
                "target": target.label,
                "scale": target.scale,
                "worst": value,
                "item": item,
                "met": met,
            }
        )
    return out


def machine() -> dict[str, object]:
    """Cores, memory, CPU model and load: what the figures depend on."""
    cpu = "unknown"
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as handle:
        total_kb = int(handle.readline().split()[1])
    import duckdb
    import polars
    import streamlit

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(total_kb / 2**20, 1),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "polars": polars.__version__,
        "streamlit": streamlit.__version__,
    }


def table(report: dict[str, object]) -> str:
    """The results as a plain-text table: one row per measured item, one column per scale."""
    results = [Result.from_dict(d) for d in report["results"]]
    scales = sorted({r.scale for r in results})
    rows: dict[tuple[str, str], dict[int, Result]] = {}
    for r in results:
        rows.setdefault((r.measure, r.item), {})[r.scale] = r
    header = ["measure", "item"] + [f"scale {s}" for s in scales]
    lines = [header]
    for (measure, item), by_scale in rows.items():
        lines.append([measure, item] + [_cell(by_scale.get(s)) for s in scales])
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    m = report["machine"]
    text.append("")
    text.append(
        f"Machine: {m['cores']} cores, {m['memory_gb']} GB, {m['cpu']}; load average at the end "
        + ", ".join(f"{x:.1f}" for x in m["load_average"])
    )
    text.append("Cells: median seconds, rows processed, peak memory of the worker process.")
    for v in report["targets"]:
        mark = "met" if v["met"] else "MISSED"
        text.append(
            f"[{mark}] scale {v['scale']}: {v['target']} (worst {v['worst']:.3g}, {v['item']})"
        )
    return "\n".join(text)


def _cell(r: Result | None) -> str:
    if r is None:
        return ""
    if r.median_s is None:
        return f"not run; {r.rows:,} rows"
    text = f"{r.median_s:.3f} s; {r.rows:,} rows"
    ratio = r.detail.get("ratio_pandas_to_sql")
    if ratio:
        text += f"; {ratio:.1f}x SQL"
    first = r.detail.get("first_open_s")
    if first is not None:
        text += f"; first {first:.1f} s"
    if r.peak_rss_mb is not None:
        text += f"; {r.peak_rss_mb:,.0f} MB"
    return text
