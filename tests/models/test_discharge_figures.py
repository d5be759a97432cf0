"""Headline figures of hospital discharges and delays, worked by hand on small frames."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ascdemand.models import discharges
from ascdemand.store.sitrep.queries import CARE_AFTER_HOSPITAL, HOSPITAL_TASKS

MONTHS = [dt.date(2023, m, 1) for m in (4, 5, 6)]


def test_recent_weekly_mean_sums_pathways_first():
    """Weeks of 3, 5, 7 and 9 discharges (two pathways each): the last two average 8."""
    weeks = [dt.date(2021, 1, 4) + dt.timedelta(weeks=i) for i in range(4)]
    frame = pl.DataFrame({"week_start": weeks * 2, "discharges": [1, 2, 3, 4, 2, 3, 4, 5]})
    assert discharges.recent_weekly_mean(frame, "discharges", weeks=2) == 8.0


def test_pre_pandemic_share_is_pooled():
    """Before March 2020: (4 + 1) / (10 + 10) = 25%, not the mean of 40% and 10%."""
    share = pl.DataFrame(
        {
            "month": [dt.date(2020, 1, 1), dt.date(2020, 2, 1), dt.date(2020, 4, 1)],
            "no_ongoing_package": [4, 1, 9],
            "discharges": [10, 10, 10],
        }
    )
    assert discharges.pre_pandemic_share(share, dt.date(2020, 3, 1)) == 0.25
    assert discharges.pre_pandemic_share(share, dt.date(2019, 1, 1)) is None


def test_pathway_mix_over_the_latest_months_without_p0():
    """Last two months: P1 3 + 5 = 8, P2 1 + 1 = 2 of 10; April and P0 left out."""
    frame = pl.DataFrame(
        {
            "month": [MONTHS[0], MONTHS[1], MONTHS[1], MONTHS[2], MONTHS[2], MONTHS[2]],
            "pathway": ["P1", "P1", "P2", "P0", "P1", "P2"],
            "patients": [100, 3, 1, 50, 5, 1],
        }
    )
    mix = discharges.pathway_mix(frame, months=2)
    assert mix["pathway"].to_list() == ["P1", "P2"]
    assert mix["share"].to_list() == pytest.approx([0.8, 0.2])
    labels = {"P0": "none", "P1": "Home", "P2": "Bed", "P3": "Care home"}
    table = discharges.mix_table(frame, frame, "NHS X INTEGRATED CARE BOARD", labels)
    assert table.columns == ["Pathway", "Council", "NHS X ICB"]
    assert table["Pathway"].to_list() == ["Home", "Bed", "Care home"]
    assert table["Council"][2] is None


def test_still_in_hospital_and_its_change():
    criteria = pl.DataFrame(
        {
            "month": MONTHS[1:],
            "remaining_per_day": [50.0, 56.0],
            "discharged_share": [0.3, 0.25],
            "days_reported": [31, 28],
            "days_in_month": [31, 30],
        }
    )
    now = discharges.still_in_hospital(criteria)
    assert (now.month, now.per_day, now.change, now.previous_month) == (
        MONTHS[2],
        56.0,
        6.0,
        MONTHS[1],
    )
    assert "28 of 30 in June 2023" in discharges.criteria_note(criteria)
    assert discharges.still_in_hospital(criteria.tail(1)).change is None


def test_care_waits_and_reasons_note():
    groups = pl.DataFrame(
        {
            "month": [MONTHS[1], MONTHS[2], MONTHS[2]],
            "reason_group": [CARE_AFTER_HOSPITAL, CARE_AFTER_HOSPITAL, HOSPITAL_TASKS],
            "average_patients": [10.0, 12.0, 8.0],
            "share": [0.5, 0.6, 0.4],
        }
    )
    assert discharges.care_waits(groups) == discharges.CareWaits(MONTHS[2], 12.0, 0.6)
    assert discharges.care_waits(groups.filter(pl.col("reason_group") == HOSPITAL_TASKS)) is None
    reasons = pl.DataFrame(
        {
            "month": [MONTHS[2]] * 2,
            "label": ["Awaiting X", "Awaiting Y"],
            "average_patients": [1.0, None],
        }
    )
    assert discharges.reasons_note(reasons).endswith("awaiting y.")
    assert discharges.months_note(groups) == "May 2023 to June 2023"
