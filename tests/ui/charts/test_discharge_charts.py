"""Figures of hospital discharges and delays, each built from a small frame."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ascdemand.store.sitrep.queries import CARE_AFTER_HOSPITAL, HOSPITAL_TASKS
from ascdemand.ui.charts import delays, discharges

WEEKS = [dt.date(2021, 10, 4), dt.date(2021, 10, 11)]
MONTHS = [dt.date(2023, 5, 1), dt.date(2023, 6, 1)]


def test_pathways_stack_in_pathway_order_with_their_labels():
    frame = pl.DataFrame(
        {
            "week_start": WEEKS * 2,
            "pathway": ["P1", "P1", "P0", "P0"],
            "discharges": [2, 3, 10, 11],
        }
    )
    fig = discharges.pathway_weekly_figure(frame)
    assert [t.name for t in fig.data] == [
        discharges.PATHWAY_LABELS["P0"],
        discharges.PATHWAY_LABELS["P1"],
    ]
    assert list(fig.data[0].y) == [10, 11]
    assert fig.layout.barmode == "stack"
    assert fig.layout.legend.orientation == "v"


def test_no_package_share_with_its_pre_pandemic_line():
    """Before the pandemic (February 2020): 4 of 10 = 40%."""
    frame = pl.DataFrame(
        {
            "month": [dt.date(2020, 2, 1), dt.date(2020, 4, 1)],
            "discharges": [10, 12],
            "no_ongoing_package": [4, 4],
            "share": [0.4, 1 / 3],
        }
    )
    fig = discharges.no_package_figure(frame, dt.date(2020, 3, 23))
    assert fig.layout.shapes[0].y0 == 0.4
    assert any("40%" in a.text for a in fig.layout.annotations)


def test_sitrep_and_side_by_side_name_the_organisation_readably():
    nhs = pl.DataFrame(
        {
            "month": MONTHS,
            "pathway": ["P1", "P1"],
            "patients": [30, 40],
            "weekly_patients": [7.0, 9.3],
        }
    )
    name = "NHS LEICESTER, LEICESTERSHIRE AND RUTLAND INTEGRATED CARE BOARD"
    fig = discharges.sitrep_figure(nhs, name, weekly=False)
    assert fig.layout.title.text.startswith("NHS Leicester, Leicestershire and Rutland ICB")
    assert list(fig.data[0].y) == [30, 40]
    both = discharges.side_by_side_figure(nhs, nhs, name)
    assert len(both.data) == 2
    assert [t.showlegend for t in both.data] == [True, False]


def test_delay_charts():
    criteria = pl.DataFrame(
        {"month": MONTHS, "remaining_per_day": [50.0, 60.0], "discharged_per_day": [20.0, 25.0]}
    )
    fig = delays.criteria_figure(criteria, "NHS X ICB")
    assert [t.name for t in fig.data] == [
        "Still in hospital at the end of the day",
        "Discharged the same day",
    ]
    assert "May 2023 to June 2023 (Table 2)" in fig.layout.annotations[0].text

    bed_days = pl.DataFrame(
        {
            "month": [dt.date(2022, 6, 1), MONTHS[1]],
            "stay": ["7 to 13 days", "7 to 13 days"],
            "bed_days": [100.0, 150.0],
        }
    )
    fig = delays.delay_length_figure(bed_days, "NHS X ICB")
    assert [t.name for t in fig.data] == ["June 2022", "June 2023"]
    assert fig.layout.yaxis.range[1] == 150.0 * 1.15

    reasons = pl.DataFrame(
        {
            "month": [MONTHS[1]] * 3,
            "reason_group": [HOSPITAL_TASKS, CARE_AFTER_HOSPITAL, CARE_AFTER_HOSPITAL],
            "label": ["Awaiting tests", "Awaiting homecare", "Not published"],
            "average_patients": [3.0, 8.0, None],
        }
    )
    fig = delays.reasons_figure(reasons, "NHS X ICB")
    assert [t.name for t in fig.data] == [CARE_AFTER_HOSPITAL, HOSPITAL_TASKS]
    assert list(fig.data[0].y) == ["Awaiting homecare"]  # the unpublished reason left out
    groups = pl.DataFrame(
        {"month": MONTHS, "reason_group": [CARE_AFTER_HOSPITAL] * 2, "average_patients": [5.0, 6.0]}
    )
    fig = delays.reason_groups_figure(groups, "NHS X ICB")
    assert fig.data[0].line.width == 3
