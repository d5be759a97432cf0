"""How the forecasting engine's settings were chosen, on series it is never reported on.

Tuning series: the demo county built with seed 7 (4 measures x county and 7 districts, 187
weeks; the README reports seed 2021), and NHS England's weekly count of patients not meeting
the criteria to reside, per integrated care board (42 boards, 64 weeks, from the daily sitrep
table; the README reports the monthly discharges by pathway). Settings chosen here:

- the models that may be chosen (`catalogue.MODELS`): out-of-sample MASE relative to naive of
  every model, statsmodels' included (origins 4 weeks apart on 16 demo series and 2 weeks
  apart on the boards, to keep the refits affordable);
- the selection margin (`nested.MARGIN`) and the windows it needs: the smallest margin with no
  tuning series worse than 1.02 x naive, then the lowest overall error;
- the pooled seasonal change's shrinkage (`pooled.SHRINK`): the lowest overall error;
- the calibration (`calibration.RECENT_WINDOWS`, `calibration.ADAPT_RATE`,
  `backtest.YARDSTICK_CHANGES`): 80% coverage closest to 80% on both sets.

Run from the checkout: `.venv/bin/python notebooks/forecast_tuning.py` (about half a minute;
add `--statsmodels` for the model table with ETS, ARIMA and the ensemble, several minutes).
The NHS part needs the sitrep workbooks (`ASCDEMAND_SITREP_DIR`, default
`../shared/data/nhse-acute-discharge-sitrep`); without them only the demo is used.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from ascdemand.demo.build import build_demo
from ascdemand.models.forecast import backtest, calibration, nested
from ascdemand.models.forecast.backtest import Grid, forecast_grid
from ascdemand.models.forecast.catalogue import POOLED
from ascdemand.models.forecast.nested import Rule, evaluate
from ascdemand.models.forecast.pooled import pooled_seasonal_change
from ascdemand.models.forecast.store_runs import DEFAULT_MEASURES
from ascdemand.store import series as store_series

ROOT = Path(__file__).resolve().parents[1]
SITREP_DIR = Path(
    os.environ.get(
        "ASCDEMAND_SITREP_DIR", ROOT.parent / "shared" / "data" / "nhse-acute-discharge-sitrep"
    )
)
FAST = ["naive", "seasonal_naive", "ses", "theta", "drift", "mean"]
WEEKS_AHEAD, WEEKLY = 13, 52

Panels = dict[str, dict[str, np.ndarray]]


def demo_panels(seed: int, workdir: Path) -> tuple[Panels, Panels]:
    """The demo built with `seed`: (district panels per measure, county series per measure)."""
    path = workdir / f"demo{seed}.duckdb"
    build_demo(path, seed=seed, force=True)
    con = duckdb.connect(str(path), read_only=True)
    panels, counties = {}, {}
    for measure in DEFAULT_MEASURES:
        panels[measure] = {
            d: store_series.weekly_series(con, measure, district=d)["value"].to_numpy()
            for d in store_series.districts(con)
        }
        counties[measure] = {"county": store_series.weekly_series(con, measure)["value"].to_numpy()}
    con.close()
    return panels, counties


def criteria_panel(sitrep_dir: Path = SITREP_DIR) -> Panels:
    """Weekly mean of patients not meeting the criteria to reside, per board (full weeks)."""
    from ascdemand.store.sitrep.importer import parse_workbook

    daily = pl.concat(
        [parse_workbook(p).criteria_to_reside for p in sorted(sitrep_dir.glob("*.xlsx"))]
    ).filter(org_type="icb")
    weekly = (
        daily.with_columns(week=pl.col("day").dt.truncate("1w"))
        .group_by("org_code", "week")
        .agg(value=pl.col("not_meeting_criteria").mean(), days=pl.len())
        .filter(pl.col("days") == 7)
        .sort("org_code", "week")
    )
    return {
        "criteria": {
            code: g["value"].to_numpy()
            for (code,), g in weekly.group_by("org_code", maintain_order=True)
        }
    }


def grids_of(
    panels: Panels, names: list[str], step: int = 1, suffix: str = ""
) -> dict[str, dict[str, Grid]]:
    return {
        p + suffix: {
            k: forecast_grid(
                y, horizon=WEEKS_AHEAD, season_length=WEEKLY, candidates=names, step=step
            )
            for k, y in panel.items()
        }
        for p, panel in panels.items()
    }


def add_pooled(grids: dict[str, dict[str, Grid]], panels: Panels, shrink: float) -> None:
    """The pooled seasonal change at `shrink` for every panel of more than one series."""
    for p, by_key in grids.items():
        if len(by_key) < 2:
            continue
        keys = list(by_key)
        first = by_key[keys[0]]
        forecasts = pooled_seasonal_change(
            np.array([panels[p][k] for k in keys]),
            first.origins,
            first.horizon,
            first.season_length,
            shrink=shrink,
        )
        for k, mean in zip(keys, forecasts, strict=True):
            by_key[k].mean[POOLED] = np.maximum(mean, 0.0)
            by_key[k].sd[POOLED] = by_key[k].spread.copy()


def procedure(grids: dict[str, dict[str, Grid]], names: list[str], rule: Rule) -> dict:
    """The selection procedure out of sample over every series: MASE over naive's (sums),
    series better / worse than naive, the worst series, and pooled 80% / 95% coverage."""
    rows = []
    for by_key in grids.values():
        present = [n for n in names if n in next(iter(by_key.values())).mean]
        evaluations = evaluate(list(by_key.values()), candidates=present, rule=rule)
        for ev in evaluations:
            s = {r["model"]: r for r in ev.scores.iter_rows(named=True)}
            rows.append(
                (
                    s["chosen"]["mase"],
                    s["naive"]["mase"],
                    s["chosen"]["coverage80"],
                    s["chosen"]["coverage95"],
                    s["chosen"]["origins"],
                )
            )
    chosen, naive, c80, c95, n = (np.array(c) for c in zip(*rows, strict=True))
    return {
        "vs_naive": round(chosen.sum() / naive.sum(), 3),
        "better": int((chosen < naive - 1e-9).sum()),
        "worse": int((chosen > naive + 1e-9).sum()),
        "worst": round(float((chosen / naive).max()), 3),
        "coverage80": round(float((c80 * n).sum() / n.sum()), 3),
        "coverage95": round(float((c95 * n).sum() / n.sum()), 3),
        "series": len(rows),
    }


def model_table(grids: dict[str, dict[str, Grid]], names: list[str]) -> pl.DataFrame:
    """Every model's out-of-sample MASE over naive's on the same origins (those with a
    complete window before them, where the model can forecast), summed over the series, and
    on how many series it beat naive."""
    totals = {n: 0.0 for n in names}
    naive_totals = {n: 0.0 for n in names}
    wins = {n: 0 for n in names}
    for by_key in grids.values():
        for g in by_key.values():
            scored = (g.complete_before() >= 1) & (np.arange(g.origins.size) < g.windows)
            naive = nested._mase_rows(g, g.mean["naive"])
            for n in names:
                m = nested._mase_rows(g, g.mean[n])
                rows = scored & np.isfinite(m) & np.isfinite(naive)
                if rows.any():
                    totals[n] += m[rows].mean()
                    naive_totals[n] += naive[rows].mean()
                    wins[n] += int(m[rows].mean() < naive[rows].mean() - 1e-9)
    return pl.DataFrame(
        {
            "model": names,
            "vs_naive": [
                round(totals[n] / naive_totals[n], 3) if naive_totals[n] else None for n in names
            ],
            "beats_naive": list(wins.values()),
        }
    )


@contextmanager
def calibration_settings(recent: int, adapt: float, yardstick: int) -> Iterator[None]:
    saved = (calibration.RECENT_WINDOWS, calibration.ADAPT_RATE, backtest.YARDSTICK_CHANGES)
    calibration.RECENT_WINDOWS, calibration.ADAPT_RATE = recent, adapt
    backtest.YARDSTICK_CHANGES = yardstick
    try:
        yield
    finally:
        calibration.RECENT_WINDOWS, calibration.ADAPT_RATE, backtest.YARDSTICK_CHANGES = saved


def tuning_sets(workdir: Path) -> dict[str, tuple[Panels, Panels]]:
    """Tuning set -> (panels, panels forecast alone), as the product forecasts them."""
    panels, counties = demo_panels(7, workdir)
    sets = {"demo (seed 7)": (panels, counties)}
    if SITREP_DIR.is_dir() and any(SITREP_DIR.glob("*.xlsx")):
        sets["boards' weekly criteria to reside"] = (criteria_panel(), {})
    return sets


def sweeps(sets: dict[str, tuple[Panels, Panels]]) -> dict[str, pl.DataFrame]:
    """Margins and windows, shrinkages, and calibrations, on every tuning set."""
    names = [*FAST, POOLED]
    margin_rows, shrink_rows, calibration_rows = [], [], []
    for label, (panels, alone) in sets.items():
        grids = {**grids_of(panels, FAST), **grids_of(alone, FAST, suffix=" (alone)")}
        for shrink in (0.25, 0.5, 0.75, 1.0):
            add_pooled(grids, panels, shrink)
            table = model_table({k: v for k, v in grids.items() if k in panels}, [POOLED])
            shrink_rows.append({"set": label, "shrink": shrink, **table.row(0, named=True)})
        add_pooled(grids, panels, 0.25)
        for windows in (1, 2, 4):
            for margin in (0.0, 0.05, 0.10, 0.15, 0.20):
                rule = Rule(margin=margin, min_windows=windows * WEEKS_AHEAD)
                margin_rows.append(
                    {
                        "set": label,
                        "windows": f"{windows} horizon(s)",
                        "margin": margin,
                        **procedure(grids, names, rule),
                    }
                )
        for recent, adapt, yardstick in (
            (10_000, 0.0, 10_000),
            (52, 0.0, 26),
            (26, 0.0, 26),
            (52, 0.03, 26),
            (52, 0.03, 10_000),
            (26, 0.03, 26),
        ):
            with calibration_settings(recent, adapt, yardstick):
                regrids = {**grids_of(panels, FAST), **grids_of(alone, FAST, suffix=" (alone)")}
                add_pooled(regrids, panels, 0.25)
                result = procedure(regrids, names, Rule())
            calibration_rows.append(
                {
                    "set": label,
                    "recent_windows": "all" if recent == 10_000 else recent,
                    "adapt_rate": adapt,
                    "yardstick_changes": "all" if yardstick == 10_000 else yardstick,
                    "coverage80": result["coverage80"],
                    "coverage95": result["coverage95"],
                }
            )
    return {
        "margin": pl.DataFrame(margin_rows),
        "shrink": pl.DataFrame(shrink_rows),
        "calibration": pl.DataFrame(calibration_rows),
    }


def statsmodels_table(sets: dict[str, tuple[Panels, Panels]]) -> pl.DataFrame:
    """Every model out of sample, statsmodels' included, at thinned origins: 16 demo series
    (county and three districts per measure) 4 weeks apart, the boards 2 weeks apart."""
    names = [*FAST, "ets", "ets_damped", "arima", "ensemble"]
    parts = []
    for label, (panels, alone) in sets.items():
        merged = {p: {**panels[p], **alone.get(p, {})} for p in panels}
        if label.startswith("demo"):
            keep = ("county", "Blaby", "Charnwood", "Melton")
            merged = {p: {k: v for k, v in s.items() if k in keep} for p, s in merged.items()}
        grids = grids_of(merged, names, step=4 if label.startswith("demo") else 2)
        parts.append(model_table(grids, names).with_columns(set=pl.lit(label)))
    return pl.concat(parts).pivot(on="set", index="model", values=["vs_naive", "beats_naive"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statsmodels", action="store_true", help="also the slow model table")
    args = parser.parse_args()
    pl.Config.set_tbl_rows(100)
    pl.Config.set_tbl_width_chars(200)
    with tempfile.TemporaryDirectory() as tmp:
        sets = tuning_sets(Path(tmp))
        for name, table in sweeps(sets).items():
            print(f"\n{name}\n{table}")
        if args.statsmodels:
            print(f"\nmodels, out of sample\n{statsmodels_table(sets)}")


if __name__ == "__main__":
    main()
