"""Calibration on a hand-built steady window, where every estimate can be worked by hand."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ascdemand.models.scenario.calibrate import (
    CalibrationInputs,
    calibrate,
    fit_errors,
    fit_history,
    with_sitrep_volumes,
)
from ascdemand.models.scenario.params import DEFAULT_ROUTES, ScenarioParams

MONDAYS = [dt.date(2021, 10, 4), dt.date(2021, 10, 11), dt.date(2021, 10, 18)]


def steady_inputs() -> CalibrationInputs:
    """Three Mondays of a steady county: 500 in homecare (6,000 h), 40 in reablement, 100 in
    temporary and 1,000 in permanent care; 10, 10, 10 and 5 starts and as many leavers a week.
    Each week 16 discharges: 2 P0 (none), 4 P1 to homecare, 4 P1 to reablement, 6 P2 to a
    temporary bed."""
    flows = pl.DataFrame(
        {
            "week_start": MONDAYS,
            "homecare_people": [500] * 3,
            "homecare_hours": [6_000.0] * 3,
            "reablement_people": [40] * 3,
            "temporary_people": [100] * 3,
            "permanent_people": [1_000] * 3,
            **{f"{s}_starts": [10] * 3 for s in ("homecare", "reablement", "temporary")},
            **{f"{s}_ends": [10] * 3 for s in ("homecare", "reablement", "temporary")},
            "permanent_starts": [5] * 3,
            "permanent_ends": [5] * 3,
        }
    )
    rows = [
        ("P0", "no_ongoing_package", 2),
        ("P1", "homecare", 4),
        ("P1", "reablement", 4),
        ("P2", "temporary_residential", 6),
    ]
    discharges = pl.DataFrame(
        [(monday, *row) for monday in MONDAYS[:2] for row in rows],
        schema=["week_start", "pathway", "outcome", "discharges"],
        orient="row",
    )
    return CalibrationInputs(
        flows=flows,
        discharges=discharges,
        reablement_next={"ended": 20, "to_homecare": 10, "to_permanent": 0},
        temporary_next={"ended": 20, "to_homecare": 6, "to_permanent": 4},
        unit_costs={
            "homecare_hourly_rate": 19.5,
            "reablement_weekly_cost": None,
            "residential_weekly_rate": 615.0,
            "additional_payment_share": 0.42,
            "additional_payment_weekly": 250.0,
        },
    )


def test_volumes_mix_and_routes_come_from_discharges():
    """32 discharges in 2 weeks = 16 a week; P0 2/16, P1 8/16, P2 6/16, P3 none."""
    params = calibrate(steady_inputs()).params
    assert params.discharges_per_week == 16.0
    assert params.pathway_shares == (0.125, 0.5, 0.375, 0.0)
    assert params.routes[1] == (0.0, 0.5, 0.5, 0.0, 0.0)
    assert params.routes[2] == (0.0, 0.0, 0.0, 1.0, 0.0)
    assert params.routes[3] == DEFAULT_ROUTES[3]


def test_lengths_of_stay_by_littles_law_and_next_steps():
    """500/10 = 50, 40/10 = 4, 100/10 = 10, 1000/5 = 200 weeks; 10 of 20 reablement endings
    went on to homecare (0.5 independent); of 20 temporary stays 4 became permanent, 6 went home."""
    params = calibrate(steady_inputs()).params
    assert (params.homecare_weeks, params.reablement_weeks) == (50.0, 4.0)
    assert (params.temporary_weeks, params.permanent_weeks) == (10.0, 200.0)
    assert params.reablement_independent_share == 0.5
    assert params.temporary_to_permanent_share == pytest.approx(0.2)
    assert params.temporary_to_homecare_share == pytest.approx(0.3)
    assert (params.hours_per_person, params.homecare_capacity_hours) == (12.0, 6_000.0)
    assert params.reablement_starts_per_week == 10.0


def test_community_referrals_are_the_unexplained_starts():
    """Reablement: 10 starts - 16 x 0.5 x 0.5 = 6. Homecare: 4 from hospital + 10 x 0.5 after
    reablement + 10 x 0.3 from temporary = 12 >= 10 starts: 0. Temporary: 10 - 6 = 4.
    Permanent: 5 - 10 x 0.2 = 3. In all 13 a week, split 6/13, 0, 4/13, 3/13."""
    params = calibrate(steady_inputs()).params
    assert params.community_referrals_per_week == pytest.approx(13.0)
    assert params.routes[4] == pytest.approx((0.0, 6 / 13, 0.0, 4 / 13, 3 / 13))


def test_opening_stocks_costs_and_notes():
    calibration = calibrate(steady_inputs())
    params = calibration.params
    assert params.start_date == MONDAYS[-1]
    assert (params.opening_homecare, params.opening_temporary) == (500.0, 100.0)
    assert params.homecare_hourly_rate == 19.5
    assert params.residential_weekly_cost == pytest.approx(615 + 0.42 * 250)
    assert "Little's law" in calibration.notes["homecare_weeks"]
    assert "assumption" in calibration.notes["shortfall_to_temporary_share"]
    assert "default" in calibration.notes["reablement_weekly_cost"]
    assert set(calibration.notes) >= {"discharges_per_week", "routes", "opening_permanent"}


def test_fit_of_a_steady_window_is_close():
    """The window is steady, so the model started from its first snapshot stays near it."""
    calibration = calibrate(steady_inputs())
    fit = fit_history(calibration)
    assert fit.height == 2 * 5
    errors = fit_errors(fit)
    assert max(errors.values()) < 0.02, errors


def test_calibration_needs_two_snapshots_and_discharges():
    inputs = steady_inputs()
    with pytest.raises(ValueError, match="two weekly snapshots"):
        calibrate(CalibrationInputs(**{**_fields(inputs), "flows": inputs.flows.head(1)}))
    with pytest.raises(ValueError, match="load a discharge extract"):
        calibrate(CalibrationInputs(**{**_fields(inputs), "discharges": inputs.discharges[:0]}))


def _fields(inputs: CalibrationInputs) -> dict:
    return {name: getattr(inputs, name) for name in CalibrationInputs.__slots__}


def test_sitrep_volumes_replace_p1_to_p3_and_keep_council_p0():
    """Two months: P1 80 and 90 a week (mean 85), P2 40 then suppressed (mean 40), P3 none; at
    50% residents that is 42.5 + 20 + 0; P0 stays 100 x 0.1 = 10. Total 72.5."""
    monthly = pl.DataFrame(
        {
            "month": [dt.date(2023, 4, 1)] * 3 + [dt.date(2023, 5, 1)] * 3,
            "pathway": ["P0", "P1", "P2"] * 2,
            "weekly_patients": [1_400.0, 80.0, 40.0, 1_500.0, 90.0, None],
        }
    )
    base = ScenarioParams(discharges_per_week=100.0)
    params, note = with_sitrep_volumes(base, monthly, months=2, resident_share=0.5)
    assert params.discharges_per_week == pytest.approx(72.5)
    assert params.pathway_shares == pytest.approx((10 / 72.5, 42.5 / 72.5, 20 / 72.5, 0.0))
    assert "April 2023 to May 2023" in note and "50%" in note
    with pytest.raises(ValueError, match="No NHS discharge sitrep months"):
        with_sitrep_volumes(base, monthly.head(0))


def test_without_homecare_data_capacity_and_package_size_keep_their_defaults():
    inputs = steady_inputs()
    no_homecare = inputs.flows.with_columns(homecare_people=0, homecare_hours=0.0)
    calibration = calibrate(CalibrationInputs(**{**_fields(inputs), "flows": no_homecare}))
    defaults = ScenarioParams()
    assert calibration.params.homecare_capacity_hours == defaults.homecare_capacity_hours
    assert calibration.params.hours_per_person == defaults.hours_per_person
    assert "default" in calibration.notes["homecare_capacity_hours"]
