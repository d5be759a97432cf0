"""A small hand-built store for the briefing tests: seven districts, one of them tiny, so
suppression has work to do; the ledger of 2021/22 to period 7; as at 31 October 2021."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from ascdemand.store import writer
from ascdemand.store.contract import EXTRACT_TABLES, INCOME_LINES, SPEND_LINES
from ascdemand.store.meta import set_as_at_date
from ascdemand.store.profile import save_shipped_profile

AS_AT = dt.date(2021, 10, 31)
DISTRICTS = (
    "Blaby",
    "Charnwood",
    "Harborough",
    "Hinckley and Bosworth",
    "Melton",
    "North West Leicestershire",
    "Oadby and Wigston",
)
# Melton is kept tiny: 5 people in homecare, so its cells are suppressed.
HOMECARE_PEOPLE = {d: 5 if d == "Melton" else 60 for d in DISTRICTS}


def _insert(con, table: str, frame: pl.DataFrame) -> None:
    cols = EXTRACT_TABLES[table].column_names
    con.register("incoming", frame.select(cols).to_arrow())
    con.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM incoming"  # noqa: S608
    )
    con.unregister("incoming")


def build_small_store(path: Path) -> Path:
    """Write the small store to `path` through the writer and return the path."""
    rng = np.random.default_rng(7)
    packages, placements, discharges = [], [], []
    start0 = dt.date(2020, 1, 6)
    for district, n in HOMECARE_PEOPLE.items():
        for i in range(n):
            start = start0 + dt.timedelta(days=int(rng.integers(0, 600)))
            ended = rng.random() < 0.3
            end = start + dt.timedelta(days=int(rng.integers(30, 200))) if ended else None
            packages.append(
                {
                    "package_id": f"HC-{district[:3]}-{i}",
                    "person_id": f"{district[:3]}-{i}",
                    "service_type": "homecare",
                    "district": district,
                    "client_group": "older_adults",
                    "start_date": start,
                    "end_date": end,
                    "hours_per_week": float(rng.integers(4, 25)),
                    "weekly_cost": 300.0,
                    "provider": "Provider A",
                    "source": "community",
                }
            )
        for i in range(n):
            start = start0 + dt.timedelta(days=int(rng.integers(0, 640)))
            placements.append(
                {
                    "placement_id": f"PL-{district[:3]}-{i}",
                    "person_id": f"{district[:3]}-p{i}",
                    "placement_type": "temporary",
                    "setting": "residential",
                    "district": district,
                    "client_group": "older_adults",
                    "start_date": start,
                    "end_date": start + dt.timedelta(days=int(rng.integers(14, 120))),
                    "weekly_cost": 721.0,
                    "standard_rate": 615.0,
                    "additional_payment": 106.0,
                    "provider": "Home B",
                    "reason": None,
                }
            )
        for i in range(n * 12):
            day = start0 + dt.timedelta(days=int(rng.integers(0, (AS_AT - start0).days + 1)))
            pathway = rng.choice(["P0", "P1", "P2", "P3"], p=[0.3, 0.5, 0.15, 0.05])
            discharges.append(
                {
                    "discharge_id": f"D-{district[:3]}-{i}",
                    "person_id": f"{district[:3]}-d{i}",
                    "discharge_date": day,
                    "district": district,
                    "hospital_trust": "RWE",
                    "pathway": str(pathway),
                    "outcome": "no_ongoing_package" if pathway == "P0" else "homecare",
                }
            )
    budget = {line: 1_000_000.0 for line in SPEND_LINES}
    budget["homecare"] = 12_000_000.0
    budget.update({line: -500_000.0 for line in INCOME_LINES})
    # Homecare runs at 1.25m a month (15m a year against 12m); everything else on budget.
    ledger = [
        {
            "financial_year": "2021/22",
            "period": p,
            "service_line": line,
            "actual_spend": 0.0
            if line in INCOME_LINES
            else (1_250_000.0 if line == "homecare" else b / 12),
            "income": -b / 12 if line in INCOME_LINES else 0.0,
        }
        for p in range(1, 8)
        for line, b in budget.items()
    ]
    with writer.transaction(path) as con:
        save_shipped_profile(con, "leicestershire.toml", loaded_by="test")
        _insert(con, "care_packages", pl.DataFrame(packages))
        _insert(con, "placements", pl.DataFrame(placements))
        _insert(con, "discharges", pl.DataFrame(discharges))
        _insert(
            con,
            "budget_lines",
            pl.DataFrame(
                {
                    "financial_year": ["2021/22"] * len(budget),
                    "service_line": list(budget),
                    "budget": list(budget.values()),
                }
            ),
        )
        _insert(con, "ledger", pl.DataFrame(ledger))
        set_as_at_date(con, AS_AT)
        con.execute("INSERT OR REPLACE INTO settings VALUES ('history_start', '2020-01-06')")
    return path


@pytest.fixture(scope="session")
def small_db(build_once: Callable[..., Path]) -> Path:
    """The small store, built once per session for all workers; open it read-only."""
    return build_once("briefing-small.duckdb", build_small_store)


@pytest.fixture
def small_db_copy(small_db: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the small store."""
    target = tmp_path / "small.duckdb"
    target.write_bytes(small_db.read_bytes())
    return target
