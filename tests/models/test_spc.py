"""Making Data Count XmR charts: limits and rules worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from ascdemand.models.spc import spc_chart


def _weeks(n: int) -> list[dt.date]:
    return [dt.date(2021, 1, 4) + dt.timedelta(weeks=i) for i in range(n)]


def test_limits_from_mean_and_mean_moving_range():
    """Values 10, 12, 11, 13, 12: mean 58/5 = 11.6; moving ranges 2, 1, 2, 1, mean 1.5;
    limits 11.6 ± 2.66 × 1.5 = 11.6 ± 3.99 -> 7.61 and 15.59. Nothing special."""
    chart = spc_chart(_weeks(5), [10, 12, 11, 13, 12], direction="up_is_bad")
    assert chart.mean == pytest.approx(11.6)
    assert (chart.lower, chart.upper) == (pytest.approx(7.61), pytest.approx(15.59))
    assert chart.variation == "common" and chart.rule == ""
    assert chart.points["rule"].to_list() == [""] * 5


def test_a_point_outside_the_limits_is_special_cause_concern_when_up_is_bad():
    """Baseline the first five points as above (limits 7.61 to 15.59); 20 is above 15.59."""
    weeks = _weeks(6)
    chart = spc_chart(weeks, [10, 12, 11, 13, 12, 20], direction="up_is_bad", baseline_to=weeks[4])
    assert chart.upper == pytest.approx(15.59)
    assert chart.rule == "a point outside the process limits"
    assert chart.variation == "concerning_high"
    good = spc_chart(weeks, [10, 12, 11, 13, 12, 20], direction="up_is_good", baseline_to=weeks[4])
    assert good.variation == "improving_high"


def test_a_run_of_seven_above_the_mean():
    """Baseline 10, 12, 10 (mean 10.67, moving range 2, limits 5.35 to 15.99); then seven points
    of 12, all above the mean and inside the limits: the run rule fires on the seven only.
    Six in a row are not enough."""
    weeks = _weeks(10)
    chart = spc_chart(weeks, [10, 12, 10] + [12] * 7, direction="up_is_bad", baseline_to=weeks[2])
    rules = chart.points["rule"].to_list()
    assert rules[:3] == ["", "", ""]
    assert all("run of 7" in r for r in rules[3:])
    assert chart.variation == "concerning_high"
    short = spc_chart(
        weeks[:9], [10, 12, 10] + [12] * 6, direction="up_is_bad", baseline_to=weeks[2]
    )
    assert short.rule == "" and short.variation == "common"


def test_a_trend_of_seven_rising_points():
    """Baseline 0, 20, 0, 20 (mean 10, moving range 20, limits -43.2 to 63.2), then 7 to 13
    rising by one (seven points, six rises), crossing the mean: the trend rule, not a run."""
    weeks = _weeks(11)
    values = [0, 20, 0, 20, 7, 8, 9, 10, 11, 12, 13]
    chart = spc_chart(weeks, values, direction="up_is_bad", baseline_to=weeks[3])
    rules = chart.points["rule"].to_list()
    assert all("trend of 7" in r for r in rules[4:]), rules
    assert rules[3] == ""


def test_two_of_three_near_a_limit():
    """Baseline 10, 12, 10, 12 (mean 11, moving range 2, sigma 2/1.128 = 1.773, two sigma up
    to 14.55, upper limit 16.32); then 15, 11, 15: two of three beyond 14.55, inside 16.32."""
    weeks = _weeks(7)
    chart = spc_chart(
        weeks, [10, 12, 10, 12, 15, 11, 15], direction="up_is_good", baseline_to=weeks[3]
    )
    rules = chart.points["rule"].to_list()
    assert rules[4] == rules[6] == "two of three points close to a process limit"
    assert rules[5] == ""
    assert chart.variation == "improving_high"


def test_assurance_against_a_target():
    """Limits 7.61 to 15.59 (first test): a target of 20 (down is good) is always met; 5 is
    never met; 12 lies inside the limits, so it is hit and miss."""
    values = [10, 12, 11, 13, 12]
    met = spc_chart(_weeks(5), values, direction="up_is_bad", target=20)
    missed = spc_chart(_weeks(5), values, direction="up_is_bad", target=5)
    both = spc_chart(_weeks(5), values, direction="up_is_bad", target=12)
    assert (met.assurance, missed.assurance, both.assurance) == ("pass", "fail", "hit_and_miss")
    assert spc_chart(_weeks(5), values, direction="up_is_bad").assurance == "none"


def test_a_baseline_needs_two_points():
    with pytest.raises(ValueError, match="needs at least 2"):
        spc_chart(_weeks(3), [1, 2, 3], direction="neutral", baseline_to=dt.date(2021, 1, 4))


def test_weekly_spc_skips_nulls_and_gives_none_without_a_baseline():
    """Weeks with no value are left out; a baseline starting after the last week is too short."""
    import polars as pl

    from ascdemand.models.spc import weekly_spc

    weeks = _weeks(6)
    frame = pl.DataFrame({"week_start": weeks, "n": [10, None, 12, 11, 13, 12]})
    chart = weekly_spc(frame, "n", direction="up_is_bad", baseline_from=weeks[0])
    assert chart.points.height == 5 and chart.mean == pytest.approx(11.6)
    late = weekly_spc(frame, "n", direction="up_is_bad", baseline_from=weeks[-1])
    assert late is None
