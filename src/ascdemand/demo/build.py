"""Build the demo database: generate the county, then load it like any user's extracts.

The frames go through `store.load.load_frame` (validation, pseudonymisation, load log) inside one
`writer.transaction` on a temporary file, which is moved over the target at the end, so a failed
or interrupted build never leaves a half-built database behind.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import polars.selectors as cs

from ascdemand.demo import discharges as discharge_flow
from ascdemand.demo import homecare as homecare_flow
from ascdemand.demo import placements as placement_flow
from ascdemand.demo.context import Context
from ascdemand.demo.episodes import as_date, person_id, record_id
from ascdemand.demo.params import DemoParams
from ascdemand.demo.services import community_services
from ascdemand.store import meta, state, writer
from ascdemand.store.contract import (
    CARE_PACKAGES,
    DISCHARGE_OUTCOMES,
    DISCHARGES,
    PATHWAYS,
    PLACEMENTS,
)
from ascdemand.store.load import load_frame
from ascdemand.store.profile import save_shipped_profile

DEMO_USER = "ascdemand demo"
HISTORY_START_KEY = "history_start"
DEMO_PROFILE = "leicestershire.toml"  # the council profile of the demo county
_MAX_HOURS = 84.0  # hours a week: two carers, four calls a day


class DemoBuildError(RuntimeError):
    """A generated table failed the loader's checks (a bug in the generator)."""


@dataclass(frozen=True, slots=True)
class DemoFrames:
    """The generated extracts in contract form, with raw (not yet pseudonymised) person ids."""

    care_packages: pl.DataFrame
    discharges: pl.DataFrame
    placements: pl.DataFrame

    def tables(self) -> dict[str, pl.DataFrame]:
        return {
            "care_packages": self.care_packages,
            "discharges": self.discharges,
            "placements": self.placements,
        }


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What `build_demo` did: rows loaded per table, distinct people, and how long it took."""

    path: Path
    scale: int
    seed: int
    as_at: date
    built: bool
    rows: dict[str, int] = field(default_factory=dict)
    people: int = 0
    seconds: float = 0.0


def generate(*, scale: int = 1, seed: int = 2021, params: DemoParams | None = None) -> DemoFrames:
    """The person-level demo extracts for `scale` times the county's population.

    Args:
        scale: Multiplies every stock and flow (benchmarks use 10 or 100).
        seed: Seeds every random draw; the same seed gives the same frames.
        params: The generator's parameters; defaults to `DemoParams()`.
    """
    if scale < 1:
        raise ValueError("scale must be a whole number of at least 1")
    ctx = Context(params or DemoParams(), scale, seed)
    admissions = placement_flow.expected_temporary_admissions(ctx)
    discharges = discharge_flow.generate(ctx, discharge_flow.weekly_counts(ctx, admissions))
    stays = placement_flow.temporary(ctx, discharges)
    permanent = placement_flow.permanent(ctx, discharges, stays.frame)
    reablement, after_reablement = homecare_flow.reablement(ctx, discharges)
    homecare = homecare_flow.homecare(ctx, discharges, [after_reablement, stays.to_homecare])
    services = community_services(ctx)

    # Each step's raw frames are dropped once converted, so they never sit beside all the output.
    names = pl.Series(ctx.district_names, dtype=pl.String)
    packages = pl.concat(
        [homecare.select(reablement.columns), reablement, services.select(reablement.columns)],
        how="vertical_relaxed",
    )
    del homecare, reablement, after_reablement, services
    placements = placement_flow.costed(
        ctx, pl.concat([stays.frame, permanent], how="vertical_relaxed")
    )
    del stays, permanent
    care_packages = _care_packages(packages, names, ctx.as_at)
    del packages
    homes = placement_flow.home_names(ctx.params.care_homes)
    placements = _placements(placements, names, homes, ctx.as_at)
    return DemoFrames(
        care_packages=care_packages,
        discharges=_discharges(discharges, names),
        placements=placements,
    )


def _care_packages(frame: pl.DataFrame, names: pl.Series, as_at: int) -> pl.DataFrame:
    ordered = frame.filter(pl.col("start") <= as_at).sort("start", "person", maintain_order=True)
    return ordered.select(
        record_id("CP").alias("package_id"),
        person_id("person").alias("person_id"),
        pl.col("service_type"),
        names.gather(ordered["district"]).alias("district"),
        pl.col("client_group"),
        as_date("start").alias("start_date"),
        as_date("end", as_at).alias("end_date"),
        pl.col("hours").clip(upper_bound=_MAX_HOURS).alias("hours_per_week"),
        pl.col("weekly_cost"),
        pl.col("provider"),
        pl.col("source"),
    ).select(CARE_PACKAGES.column_names)


def _labels(labels: tuple[str, ...], codes: np.ndarray) -> pl.Series:
    """Text labels of integer codes (far faster than building strings in numpy)."""
    return pl.Series(labels, dtype=pl.String).gather(pl.Series(codes))


def _discharges(d: discharge_flow.Discharges, names: pl.Series) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "person": d.person,
            "day": d.day,
            "district": names.gather(d.district),
            "hospital_trust": _labels(discharge_flow.TRUSTS, d.trust),
            "pathway": _labels(PATHWAYS, d.pathway),
            "outcome": _labels(DISCHARGE_OUTCOMES, d.outcome),
        }
    )
    return frame.select(
        record_id("DS").alias("discharge_id"),
        person_id("person").alias("person_id"),
        as_date("day").alias("discharge_date"),
        "district",
        "hospital_trust",
        "pathway",
        "outcome",
    ).select(DISCHARGES.column_names)


def _placements(
    frame: pl.DataFrame, names: pl.Series, homes: np.ndarray, as_at: int
) -> pl.DataFrame:
    ordered = frame.sort("start", "person", maintain_order=True)
    return ordered.select(
        record_id("PL").alias("placement_id"),
        person_id("person").alias("person_id"),
        "placement_type",
        "setting",
        names.gather(ordered["district"]).alias("district"),
        "client_group",
        as_date("start").alias("start_date"),
        as_date("end", as_at).alias("end_date"),
        "weekly_cost",
        "standard_rate",
        "additional_payment",
        pl.Series("provider", homes[ordered["home"].to_numpy()].astype(str)),
        "reason",
    ).select(PLACEMENTS.column_names)


def _content_sha256(table: str, frame: pl.DataFrame, scale: int, seed: int) -> str:
    """A fingerprint of a generated table's content, standing in for a file's SHA-256."""
    rows = int(frame.hash_rows(seed=0).cast(pl.UInt64).sum())
    text = f"ascdemand-demo|{table}|scale={scale}|seed={seed}|n={frame.height}|rows={rows}"
    return hashlib.sha256(text.encode()).hexdigest()


def _load(con, table: str, frame: pl.DataFrame, *, scale: int, seed: int, as_at: date) -> int:
    result = load_frame(
        con,
        table,
        frame,
        file_name=f"demo_{table}.parquet",
        file_sha256=_content_sha256(table, frame, scale, seed),
        as_at=as_at,
        loaded_by=DEMO_USER,
    )
    if result.status != "loaded":
        shown = "; ".join(str(problem) for problem in result.problems[:5])
        raise DemoBuildError(f"{result.message} {shown}")
    return result.rows


def _fresh_state(path: Path) -> None:
    """Give the new database an empty app state (`store.state`): a rebuilt demo starts without
    the old one's scenarios, briefing edits, mappings and audit entries, as a new file did."""
    target = state.state_path(path)
    for leftover in (target, target.with_name(target.name + ".wal")):
        leftover.unlink(missing_ok=True)
    state.ensure(path)


def build_demo(path: Path, *, scale: int = 1, seed: int = 2021, force: bool = False) -> DemoSummary:
    """Build the demo database at `path` (skipped when it exists, unless `force`).

    Args:
        path: The DuckDB file to create or replace.
        scale: Multiplies the county's population (1 for the app, 10 or 100 for benchmarks).
        seed: Seeds every random draw; the same seed gives the same tables.
        force: Replace an existing file.

    Returns:
        What was built (or `built=False` when an existing file was kept).

    Raises:
        DemoBuildError: A generated table failed validation; nothing was written.
    """
    from ascdemand.demo.finance import build_finance

    path = Path(path)
    params = DemoParams()
    as_at = date.fromisoformat(params.as_at)
    if path.exists() and not force:
        return DemoSummary(path=path, scale=scale, seed=seed, as_at=as_at, built=False)
    started = time.perf_counter()
    frames = generate(scale=scale, seed=seed, params=params)
    people = pl.concat(
        [frames.care_packages["person_id"], frames.discharges["person_id"],
         frames.placements["person_id"]]
    ).n_unique()  # fmt: skip
    finance = build_finance(frames.care_packages, frames.placements, as_at=as_at, seed=seed)
    # Money to the penny, as a ledger holds it.
    tables = list(frames.tables().items()) + [
        (name, frame.with_columns(cs.float().round(2))) for name, frame in finance.items()
    ]
    del frames, finance  # each table is freed once loaded: peak memory holds one copy of each
    path.parent.mkdir(parents=True, exist_ok=True)
    work = path.with_name(f".{path.name}.demo-{os.getpid()}")
    work.unlink(missing_ok=True)
    try:
        with writer.transaction(work) as con:
            meta.set_as_at_date(con, as_at)
            save_shipped_profile(con, DEMO_PROFILE, loaded_by=DEMO_USER)
            con.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                [HISTORY_START_KEY, params.series_start],
            )
            rows = {}
            while tables:
                table, frame = tables.pop(0)
                rows[table] = _load(con, table, frame, scale=scale, seed=seed, as_at=as_at)
                del frame
        os.replace(work, path)
        _fresh_state(path)
    finally:
        work.unlink(missing_ok=True)
        work.with_name(work.name + ".lock").unlink(missing_ok=True)
    return DemoSummary(
        path=path,
        scale=scale,
        seed=seed,
        as_at=as_at,
        built=True,
        rows=rows,
        people=people,
        seconds=time.perf_counter() - started,
    )
