"""Forecasts of stored series: dates, the discharge regressor, and the all-series run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import duckdb
import numpy as np
import polars as pl
import pytest

from ascdemand.models.forecast.nested import Rule
from ascdemand.models.forecast.store_runs import DEFAULT_MEASURES, forecast_all, forecast_series
from ascdemand.store.connection import memory

AS_AT = dt.date(2021, 10, 4)
START = dt.date(2019, 9, 2)
WEEKS = 110


@pytest.fixture(scope="module")
def store() -> Iterator[duckdb.DuckDBPyConnection]:
    """110 weeks of synthetic packages, temporary placements and discharges in two districts,
    as at Monday 4 October 2021 (seeded, so every run sees the same data). Read-only use."""
    mem_con = memory()
    rng = np.random.default_rng(11)
    packages, placements, discharges = [], [], []
    for district in ("Blaby", "Melton"):
        for week in range(WEEKS):
            monday = START + dt.timedelta(weeks=week)
            for i in range(rng.poisson(6 + week / 40)):
                start = monday + dt.timedelta(days=int(rng.integers(0, 7)))
                end = start + dt.timedelta(days=int(rng.geometric(1 / 120)))
                pid = f"{district}-{week}-{i}"
                packages.append(
                    (
                        f"k{pid}",
                        f"p{pid}",
                        "homecare",
                        district,
                        "older_adults",
                        start,
                        end if end < AS_AT else None,
                        float(rng.integers(5, 20)),
                        300.0,
                        None,
                        "community",
                        None,
                    )
                )
            for i in range(rng.poisson(2)):
                start = monday + dt.timedelta(days=int(rng.integers(0, 7)))
                end = start + dt.timedelta(days=int(rng.geometric(1 / 30)))
                pid = f"{district}-{week}-t{i}"
                placements.append(
                    (
                        f"t{pid}",
                        f"q{pid}",
                        "temporary",
                        "residential",
                        district,
                        "older_adults",
                        start,
                        end if end < AS_AT else None,
                        700.0,
                        615.0,
                        85.0,
                        None,
                        None,
                        None,
                    )
                )
            for i in range(rng.poisson(9)):
                day = monday + dt.timedelta(days=int(rng.integers(0, 7)))
                discharges.append(
                    (
                        f"d{district}-{week}-{i}",
                        f"x{i}",
                        day,
                        district,
                        "RWE",
                        "P1",
                        "homecare",
                        None,
                    )
                )
    for table, rows in (
        ("care_packages", packages),
        ("placements", placements),
        ("discharges", discharges),
    ):
        marks = ", ".join("?" * len(rows[0]))
        mem_con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    mem_con.execute("INSERT INTO settings VALUES ('as_at_date', ?)", [AS_AT.isoformat()])
    mem_con.execute("INSERT INTO settings VALUES ('history_start', ?)", [START.isoformat()])
    yield mem_con
    mem_con.close()


def test_forecast_dates_continue_the_history(store):
    """The last Monday is 4 Oct 2021, so the forecast weeks are 11 Oct, 18 Oct, ..."""
    fc = forecast_series(store, "homecare_hours", horizon=4, origins=3)
    assert fc.history["week_start"][-1] == AS_AT
    assert fc.forecast["week_start"].to_list() == [
        AS_AT + dt.timedelta(weeks=k) for k in range(1, 5)
    ]
    assert fc.forecast.columns[:3] == ["week_start", "step", "mean"]


def test_district_series_is_smaller_than_the_county(store):
    county = forecast_series(store, "homecare_people", horizon=4, origins=2)
    blaby = forecast_series(store, "homecare_people", district="Blaby", horizon=4, origins=2)
    assert (blaby.history["value"] <= county.history["value"]).all()
    assert blaby.history["value"][-1] < county.history["value"][-1]


def test_discharges_as_leading_indicator(store):
    """With discharges the ARIMAX candidate is scored beside naive and the procedure; when it
    is chosen (here forced by a rule that takes any candidate), more assumed discharges per
    week (0 -> 60) move the homecare-hours forecast."""
    low = forecast_series(
        store,
        "homecare_hours",
        horizon=6,
        origins=3,
        candidates=("naive",),
        with_discharges=True,
        future_discharges=9,
    )
    assert low.result.scores["model"].to_list() == ["naive", "arimax", "chosen"]
    only = dict(
        horizon=6,
        origins=3,
        candidates=(),
        with_discharges=True,
        rule=Rule(margin=-10, min_windows=1),
    )
    low = forecast_series(store, "homecare_hours", future_discharges=0, **only)
    high = forecast_series(store, "homecare_hours", future_discharges=60, **only)
    assert low.result.chosen == "arimax"
    assert not np.allclose(low.forecast["mean"].to_numpy(), high.forecast["mean"].to_numpy())


@pytest.mark.slow
def test_forecast_all_covers_every_series(store):
    """Four measures x (county + 2 districts) = 12 rows, scored out of sample over every
    origin the weeks allow (horizon 4 on 110 weeks: windows train on 6 to 106 weeks, the
    first four have none complete before them: 97; admissions, a flow, leave out the week
    the as-at date cuts short: 96), never far from naive."""
    table = forecast_all(store, horizon=4)
    assert table.height == len(DEFAULT_MEASURES) * 3
    assert table["problem"].is_null().all()
    origins = dict(zip(table["measure"], table["origins"], strict=False))
    assert origins == {m: 96 if m == "temp_residential_admissions" else 97 for m in origins}
    assert (table["vs_naive"] <= 1.1).all(), table.select("measure", "district", "vs_naive")
    assert table.filter(pl.col("district").is_null()).height == len(DEFAULT_MEASURES)


@pytest.mark.slow
def test_worker_processes_give_the_same_answers(store):
    """Fitting in two processes changes the speed, not the result."""
    one = forecast_all(store, horizon=4, origins=2, measures=DEFAULT_MEASURES[:2])
    two = forecast_all(store, horizon=4, origins=2, measures=DEFAULT_MEASURES[:2], workers=2)
    assert one.drop("seconds").equals(two.drop("seconds"))


def test_too_short_series_is_reported_not_raised(store):
    """As at 2 Sep 2019 + 5 weeks there are 6 weeks: too short for 13 weeks ahead, which
    needs 19."""
    table = forecast_all(store, horizon=13, as_at=START + dt.timedelta(weeks=5))
    assert table["problem"].str.contains("needs at least 19").all()
