"""Reads and writes of the Scenarios page: the baseline calibrated on the extracts, NHS sitrep
volumes, cached model runs, and saved scenarios.

Cached functions take scalars and JSON text (never frames or parameter objects) so their keys
stay cheap; a scenario travels as its parameters' JSON.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from ascdemand import settings
from ascdemand.models.scenario.backtest import MEASURE_SERIES, flow_backtest
from ascdemand.models.scenario.calibrate import (
    Calibration,
    CalibrationInputs,
    calibrate,
    fit_errors,
    fit_history,
    with_sitrep_volumes,
)
from ascdemand.models.scenario.engine import Trajectory
from ascdemand.models.scenario.montecarlo import run_many
from ascdemand.models.scenario.outturn_effect import OutturnEffect, outturn_effect
from ascdemand.models.scenario.params import ScenarioParams
from ascdemand.store import scenario_inputs, scenarios, series
from ascdemand.store.sitrep import queries as sitrep_queries
from ascdemand.ui import auth
from ascdemand.ui.services.cache import cached, cursor, state_cursor
from ascdemand.ui.services.council import has_data


@cached(show_spinner="Estimating the baseline from the extracts...", max_entries=8)
def _calibration(weeks: int, as_at: dt.date) -> Calibration:
    with cursor() as cur:
        inputs = scenario_inputs.calibration_inputs(cur, weeks, as_at)
    return calibrate(CalibrationInputs(**inputs))


def calibration(weeks: int, as_at: dt.date) -> Calibration | None:
    """The baseline estimated from the `weeks` weeks to `as_at`; None without discharges."""
    if not has_data():
        return None
    try:
        return _calibration(weeks, as_at)
    except ValueError:
        return None


@cached(max_entries=8)
def fit(weeks: int, as_at: dt.date) -> tuple[pl.DataFrame, dict[str, float]]:
    """How the baseline of `calibration(weeks, as_at)` reproduces recorded history, and its
    mean absolute percentage errors by series."""
    frame = fit_history(_calibration(weeks, as_at))
    return frame, fit_errors(frame)


@cached
def _sitrep_organisations() -> pl.DataFrame:
    # has_sitrep leaves its result open (fetchone), so each query takes its own cursor
    try:
        with cursor() as cur:
            if not sitrep_queries.has_sitrep(cur):
                return pl.DataFrame()
    except duckdb.CatalogException:
        return pl.DataFrame()
    frames = []
    for kind in ("trust", "icb"):
        with cursor() as cur:
            orgs = sitrep_queries.organisations(cur, kind)
        frames.append(orgs.with_columns(org_type=pl.lit(kind)))
    return pl.concat(frames).select("org_type", "org_code", "org_name")


def sitrep_organisations() -> pl.DataFrame:
    """Trusts and care boards in the imported NHS discharge sitrep (empty when none)."""
    if not has_data():
        return pl.DataFrame()
    return _sitrep_organisations()


@cached
def _sitrep_monthly(org_type: str, org: str) -> pl.DataFrame:
    with cursor() as cur:
        return sitrep_queries.monthly_by_pathway(cur, org_type, org)


def with_sitrep(
    baseline: ScenarioParams, org_type: str, org: str, months: int, resident_share: float
) -> tuple[ScenarioParams, str]:
    """The baseline with P1-P3 volumes from the sitrep of one trust or care board."""
    monthly = _sitrep_monthly(org_type, org)
    return with_sitrep_volumes(baseline, monthly, months=months, resident_share=resident_share)


@cached(max_entries=12)
def _trajectory(params_json: str, weeks: int, runs: int, seed: int) -> Trajectory:
    return run_many(ScenarioParams.from_json(params_json), weeks, runs=runs, seed=seed)


def trajectory(params: ScenarioParams, weeks: int, runs: int, seed: int) -> Trajectory:
    """Monte Carlo runs of a scenario (cached by its parameters, horizon, runs and seed)."""
    return _trajectory(params.to_json(), weeks, runs, seed)


def saved() -> pl.DataFrame:
    """Saved scenarios, most recently changed first."""
    try:
        return _saved()
    except FileNotFoundError:
        return pl.DataFrame(schema=scenarios.LIST_SCHEMA)


@cached(state=True)
def _saved() -> pl.DataFrame:
    with state_cursor() as app_state:
        return scenarios.list_scenarios(app_state)


def saved_changes(scenario_id: str) -> dict[str, object]:
    """The parameter changes of one saved scenario."""
    with state_cursor() as app_state:
        return scenarios.load_scenario(app_state, scenario_id)["changes"]


def save(name: str, description: str, changes: dict[str, object], *, replace: bool) -> str:
    """Save the scenario as the signed-in user (a write: the list shows it at once)."""
    return scenarios.save_scenario(
        settings.db_path(),
        name,
        changes,
        description=description,
        user=auth.user_name(),
        replace=replace,
    )


def rename(scenario_id: str, new_name: str) -> None:
    """Rename a saved scenario as the signed-in user."""
    scenarios.rename_scenario(settings.db_path(), scenario_id, new_name, user=auth.user_name())


def delete(scenario_id: str) -> None:
    """Delete a saved scenario as the signed-in user."""
    scenarios.delete_scenario(settings.db_path(), scenario_id, user=auth.user_name())


def saved_effect(scenario_id: str, as_at: dt.date, *, weeks: int = 26) -> OutturnEffect | None:
    """A saved scenario's effect on this year's outturn and next year, against the baseline
    calibrated on the `weeks` weeks to `as_at` (the Scenarios page's default), both run 200
    times with the same draws; None without a baseline."""
    found = calibration(weeks, as_at)
    if found is None:
        return None
    base = found.params
    scenario = ScenarioParams.from_dict(saved_changes(scenario_id), base)
    horizon = 52
    return outturn_effect(
        trajectory(base, horizon, 200, seed=2021), trajectory(scenario, horizon, 200, seed=2021)
    )


@cached(show_spinner="Testing the scenario model's baseline as a forecast ...", max_entries=8)
def flow_scores(as_at: dt.date, horizon: int) -> pl.DataFrame:
    """The scenario model's baseline scored as a forecast of each demand measure (12 origins
    four weeks apart before `as_at`, calibrated on the 26 weeks before each), with the
    forecasting engine's measures (`models.scenario.backtest`)."""
    with cursor() as cur:
        actual = {m: series.weekly_series(cur, m, as_at=as_at) for m in MEASURE_SERIES}
    last = actual["homecare_people"]["week_start"].max()
    if last is None:
        return pl.DataFrame()
    origins = [last - dt.timedelta(weeks=horizon + 4 * i) for i in range(12)]

    def calibrate_at(origin: dt.date) -> Calibration | None:
        try:
            return _calibration(26, origin)
        except ValueError:
            return None

    return flow_backtest(calibrate_at, actual, origins, horizon=horizon, runs=100)
