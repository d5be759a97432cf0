"""Headline figures of the demand pages, worked by hand on small frames."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ascdemand.models import demand


def _weeks(n: int) -> list[dt.date]:
    return [dt.date(2021, 1, 4) + dt.timedelta(weeks=i) for i in range(n)]


def test_change_over_four_weeks_skips_nulls():
    """Values 10, 11, null, 12, 13, 15: the latest 15; four non-null values back, 10: +5."""
    frame = pl.DataFrame({"people": [10, 11, None, 12, 13, 15]})
    assert demand.change_over(frame, "people") == (15.0, 5.0)
    assert demand.change_over(frame.head(2), "people") == (11.0, 0.0)


def test_discharges_to_social_care_summed_over_pathways_and_smoothed():
    """Weeks of 4, 8, 12 (two pathways each): rolling means 4, 6, 8."""
    weeks = _weeks(3)
    frame = pl.DataFrame({"week_start": weeks * 2, "to_social_care": [1, 3, 5, 3, 5, 7]})
    assert demand.to_social_care_smoothed(frame, weeks=2).to_list() == [4.0, 6.0, 10.0]


def test_admissions_by_type_fills_missing_months_with_zero():
    admissions = pl.DataFrame(
        {
            "month": [dt.date(2021, 9, 1), dt.date(2021, 10, 1), dt.date(2021, 10, 1)],
            "placement_type": ["temporary", "temporary", "permanent"],
            "admissions": [4, 5, 1],
        }
    )
    monthly = demand.admissions_by_type(admissions).sort("month")
    assert monthly["temporary"].to_list() == [4, 5]
    assert monthly["permanent"].to_list() == [0, 1]
    assert demand.admissions_by_type(admissions.clear()).columns == ["month"]


def test_stays_counted_by_length_with_the_longest_capped():
    """Stays of 2, 2, 30 and 26 weeks: two of 2 weeks, two at the cap of 26."""
    stays = pl.DataFrame({"weeks": [2, 2, 30, 26], "converted": [False, True, True, False]})
    counts = demand.length_of_stay_counts(stays)
    assert counts.rows() == [(2, 2), (26, 2)]
    summary = demand.stay_summary(stays)
    assert summary == demand.StaySummary(
        median_weeks=14.0, share_12_weeks_or_more=0.5, converted_share=0.5
    )
    assert demand.stay_summary(stays.clear()) is None


def test_provider_market():
    """Shares 0.5, 0.3, 0.2: HHI = (0.25 + 0.09 + 0.04) x 10,000 = 3,800."""
    providers = pl.DataFrame({"share_of_hours": [0.5, 0.3, 0.2]})
    market = demand.provider_market(providers)
    assert market.providers == 3
    assert market.top_five_share == pytest.approx(1.0)
    assert market.hhi == pytest.approx(3800.0)
