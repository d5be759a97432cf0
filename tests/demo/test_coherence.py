"""The generated people's stories hang together (read from the raw frames, before the loader)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from ascdemand.demo.build import DemoFrames, generate
from ascdemand.demo.params import DemoParams

AS_AT = date.fromisoformat(DemoParams().as_at)


@pytest.fixture(scope="module")
def frames() -> DemoFrames:
    return generate()


def _linked(frames: DemoFrames, outcome: str, other: pl.DataFrame) -> pl.DataFrame:
    discharges = frames.discharges.filter(pl.col("outcome") == outcome)
    return discharges.join(other, on="person_id", how="left")


def test_homecare_discharges_start_a_homecare_package(frames: DemoFrames):
    """Each discharge with outcome homecare is followed, within 2 days (never after the as-at
    date) and in the same district, by a homecare package for the same person whose source is
    hospital_discharge."""
    packages = frames.care_packages.filter(pl.col("service_type") == "homecare").select(
        "person_id", "start_date", "source", pl.col("district").alias("package_district")
    )
    linked = _linked(frames, "homecare", packages).filter(pl.col("source") == "hospital_discharge")
    discharged = frames.discharges.filter(pl.col("outcome") == "homecare")
    lag = (linked["start_date"] - linked["discharge_date"]).dt.total_days()
    assert linked["person_id"].n_unique() == discharged.height
    assert lag.min() >= 0 and lag.max() <= 2
    assert (linked["district"] == linked["package_district"]).all()


def test_temporary_residential_discharges_enter_a_temporary_bed(frames: DemoFrames):
    """Each discharge to temporary residential care has a temporary placement for the same
    person starting that day or the next, with reason hospital_discharge."""
    stays = frames.placements.filter(pl.col("placement_type") == "temporary")
    linked = _linked(
        frames, "temporary_residential", stays.select("person_id", "start_date", "reason")
    )
    assert linked["start_date"].null_count() == 0
    lag = (linked["start_date"] - linked["discharge_date"]).dt.total_days()
    assert lag.min() >= 0 and lag.max() <= 1
    assert (linked["reason"] == "hospital_discharge").all()


def test_some_temporary_stays_become_permanent(frames: DemoFrames):
    """Permanent placements converted from temporary ones start the day after the stay ends, for
    the same person, in the same home and setting."""
    stays = frames.placements.filter(pl.col("placement_type") == "temporary")
    converted = frames.placements.filter(pl.col("reason") == "converted_from_temporary")
    joined = converted.join(stays, on="person_id", suffix="_temp")
    assert converted.height > 500
    assert joined.height == converted.height
    assert ((joined["start_date"] - joined["end_date_temp"]).dt.total_days() == 1).all()
    assert (joined["provider"] == joined["provider_temp"]).all()
    assert (joined["setting"] == joined["setting_temp"]).all()


def test_reablement_lasts_up_to_six_weeks_and_some_need_nothing_after(frames: DemoFrames):
    """Reablement episodes run 10 to 42 days; between a third and two thirds of those that have
    ended lead to no homecare package."""
    reablement = frames.care_packages.filter(pl.col("service_type") == "reablement")
    ended = reablement.drop_nulls("end_date")
    days = (ended["end_date"] - ended["start_date"]).dt.total_days() + 1
    assert days.min() >= 10 and days.max() <= 42
    homecare = frames.care_packages.filter(pl.col("service_type") == "homecare")
    followed = ended.join(homecare, on="person_id", how="semi").height
    assert 1 / 3 < 1 - followed / ended.height < 2 / 3


def test_nothing_after_the_as_at_date(frames: DemoFrames):
    """No start, end or discharge date falls after 31 October 2021; open episodes have no end."""
    for frame, columns in (
        (frames.care_packages, ("start_date", "end_date")),
        (frames.placements, ("start_date", "end_date")),
        (frames.discharges, ("discharge_date",)),
    ):
        for column in columns:
            assert frame[column].max() <= AS_AT, column
    assert frames.care_packages["end_date"].null_count() > 0


def test_placement_cost_is_standard_plus_additional(frames: DemoFrames):
    """weekly_cost = standard_rate + additional_payment, to the penny."""
    p = frames.placements
    gap = (p["weekly_cost"] - p["standard_rate"] - p["additional_payment"]).abs()
    assert gap.max() < 0.011


def test_rural_homecare_costs_more_an_hour(frames: DemoFrames):
    """2021/22 homecare packages cost £20.50 an hour in urban zones and £22.00 in rural ones; a
    rural district (Melton, 70% rural) averages more an hour than Oadby and Wigston (5%)."""
    homecare = frames.care_packages.filter(
        (pl.col("service_type") == "homecare") & (pl.col("start_date") >= date(2021, 4, 1))
    ).with_columns((pl.col("weekly_cost") / pl.col("hours_per_week")).round(2).alias("rate"))
    assert set(homecare["rate"].unique().to_list()) <= {20.50, 22.00, 20.49, 20.51, 21.99, 22.01}
    by_district = dict(homecare.group_by("district").agg(pl.col("rate").mean()).iter_rows())
    assert by_district["Melton"] > by_district["Oadby and Wigston"] + 0.5


def test_reviews_recommission_with_fewer_hours(frames: DemoFrames):
    """A package re-commissioned after a 2021 review starts the day after the old one ends, for
    the same person and provider, with fewer (or the minimum) hours."""
    homecare = frames.care_packages.filter(pl.col("service_type") == "homecare").sort(
        "person_id", "start_date"
    )
    pairs = homecare.with_columns(
        pl.col("end_date").shift().over("person_id").alias("previous_end"),
        pl.col("hours_per_week").shift().over("person_id").alias("previous_hours"),
        pl.col("provider").shift().over("person_id").alias("previous_provider"),
    ).filter(
        (pl.col("source") == "transfer")
        & ((pl.col("start_date") - pl.col("previous_end")).dt.total_days() == 1)
        & (pl.col("start_date") >= date(2021, 4, 1))
    )
    assert pairs.height > 500
    assert (pairs["provider"] == pairs["previous_provider"]).all()
    assert (pairs["hours_per_week"] <= pairs["previous_hours"]).all()


def test_districts_weighted_by_population(frames: DemoFrames):
    """Charnwood (186k people) has more discharges than Melton (51k), about 3.6 times."""
    counts = dict(frames.discharges.group_by("district").len().iter_rows())
    assert len(counts) == 7
    assert counts["Charnwood"] / counts["Melton"] == pytest.approx(185_900 / 51_400, rel=0.1)


def test_most_discharges_from_the_leicester_trust(frames: DemoFrames):
    """About 88% of discharges come from University Hospitals of Leicester (RWE)."""
    share = (frames.discharges["hospital_trust"] == "RWE").mean()
    assert share == pytest.approx(0.88, abs=0.01)
