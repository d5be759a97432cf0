"""Calibrated on the demo county, the model reproduces the 26 weeks it was calibrated on."""

from __future__ import annotations

import duckdb
import pytest

from ascdemand.models.scenario.calibrate import (
    CalibrationInputs,
    calibrate,
    fit_errors,
    fit_history,
)
from ascdemand.models.scenario.engine import simulate
from ascdemand.models.scenario.presets import apply_preset, discharges_to_social_care
from ascdemand.store import meta, scenario_inputs


@pytest.fixture(scope="module")
def calibration(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        inputs = scenario_inputs.calibration_inputs(con, 26, meta.as_at_date(con))
    return calibrate(CalibrationInputs(**inputs))


def test_fit_to_the_last_26_weeks_is_within_tolerance(calibration):
    """Mean absolute percentage error of the weekly stocks, started from the snapshot 26 weeks
    back and driven by the observed discharges: homecare and temporary beds within 5%,
    reablement (about 100 people, so noisy) within 12%, permanent placements within 2%.
    Stays are set to hold today's level (better out of sample, `test_backtest.py`), which
    costs reablement a little of its in-sample fit (10.0% where the window's average gave 8%)."""
    errors = fit_errors(fit_history(calibration))
    assert errors["homecare"] < 0.05, errors
    assert errors["homecare_hours"] < 0.05, errors
    assert errors["temporary"] < 0.05, errors
    assert errors["reablement"] < 0.12, errors
    assert errors["permanent"] < 0.02, errors


def test_baseline_resembles_the_report_in_autumn_2021(calibration):
    """About 2,400 people in homecare at about 12.5 hours, over 500 in temporary beds, and
    placements averaging roughly £700-£800 a week including additional payments."""
    params = calibration.params
    assert 2_200 <= params.opening_homecare <= 2_600
    assert 12.0 <= params.hours_per_person <= 13.0
    assert params.opening_temporary > 500
    assert 650 <= params.residential_weekly_cost <= 850
    assert all(note for note in calibration.notes.values())


def test_baseline_run_stays_plausible(calibration):
    """A year ahead on the baseline: no stock runs away or empties."""
    frame = simulate(calibration.params, 52).frame()
    assert frame["temporary"].min() > 300 and frame["temporary"].max() < 1_200
    assert frame["homecare"].min() > 1_800
    assert (frame["spend_total"] > 0).all()


def test_a_discharge_peak_fills_temporary_beds_and_more_homecare_relieves_them(calibration):
    """The report's mechanism on the calibrated county: at the March 2021 peak of 119
    discharges a week needing social care, homecare runs out, people are sent to temporary
    beds instead, and 1,000 more homecare hours a week send fewer there."""
    peak = discharges_to_social_care(calibration.params, 119.0)
    relieved = apply_preset("Homecare capacity +1,000 hours", peak)
    base_run, peak_run, relieved_run = (
        simulate(p, 26).frame() for p in (calibration.params, peak, relieved)
    )
    assert base_run["diverted_to_temporary"].sum() == 0
    assert peak_run["diverted_to_temporary"].sum() > 100
    assert relieved_run["diverted_to_temporary"].sum() < peak_run["diverted_to_temporary"].sum()
    assert peak_run["temporary"][-1] > base_run["temporary"][-1] + 100
    assert relieved_run["temporary"][-1] < peak_run["temporary"][-1]


def test_the_baseline_holds_today_s_level(calibration):
    """Issue 15: temporary residential care had fallen for six months to the as-at date, and
    the baseline used to climb back towards the window's average (594 by week 26 from 530)
    while the statistical forecast stayed flat. Now, with nothing changed, it stays within 5%
    of today's level for 26 weeks, as the statistical forecasts do."""
    frame = simulate(calibration.params, 26).frame()
    opening = calibration.params.opening_temporary
    assert abs(frame["temporary"][-1] - opening) < 0.05 * opening, (opening, frame["temporary"][-1])
