"""Series as published: date formats, weeks dated by their Monday (a change of labelling day
mid-series included), gaps filled and named, and refusals."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ascdemand.models.forecast.regular import (
    check_length,
    infer_freq,
    parse_date,
    period_start,
    regular_series,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-03-26", D(2021, 3, 26)),
        ("2021-03-26 00:00:00", D(2021, 3, 26)),
        ("2021-03-26T00:00:00.000", D(2021, 3, 26)),
        ("26/03/2021", D(2021, 3, 26)),
        ("6/4/2021", D(2021, 4, 6)),
        ("26/03/2021 00:00", D(2021, 3, 26)),
        ("44286", D(2021, 3, 31)),  # Excel: days since 30 Dec 1899
        ("44286.0", D(2021, 3, 31)),
        (44286, D(2021, 3, 31)),
        (dt.datetime(2021, 3, 26, 0, 0), D(2021, 3, 26)),
    ],
)
def test_published_date_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2021", "03/26/2021", "March 2021", "123", "", None])
def test_not_dates(text):
    """An impossible day, US month-first order, words, a small number, blanks."""
    assert parse_date(text) is None


def test_period_start():
    """Friday 17 June 2022 is in the week of Monday 13 June; a month starts on the 1st."""
    assert period_start(D(2022, 6, 17), "W") == D(2022, 6, 13)
    assert period_start(D(2022, 6, 13), "W") == D(2022, 6, 13)
    assert period_start(D(2022, 6, 19), "W") == D(2022, 6, 13)  # Sunday
    assert period_start(D(2022, 6, 30), "M") == D(2022, 6, 1)


def _frame(dates, values) -> pl.DataFrame:
    return pl.DataFrame({"d": [str(d) for d in dates], "v": [str(v) for v in values]})


def test_a_change_of_labelling_day_mid_series():
    """NHS England's weekly series: weeks ending on Fridays until 17 June 2022, then starting
    on Mondays from 20 June, written as midnight date-times. Dated by Monday they run on
    without a gap or a repeat, and the note names the change."""
    fridays = [dt.datetime(2022, 4, 1) + dt.timedelta(weeks=i) for i in range(12)]
    mondays = [dt.datetime(2022, 6, 20) + dt.timedelta(weeks=i) for i in range(10)]
    series = regular_series(
        _frame([f"{d:%Y-%m-%d %H:%M:%S}" for d in fridays + mondays], range(22)),
        date_col="d",
        value_col="v",
    )
    assert series.freq == "W"
    dates = series.frame["date"].to_list()
    assert dates == [D(2022, 3, 28) + dt.timedelta(weeks=i) for i in range(22)]
    assert series.frame["value"].to_list() == list(range(22))
    assert series.warnings == (
        "The weeks change labelling day: Fridays (01 Apr 2022 to 17 Jun 2022), then Mondays "
        "(20 Jun 2022 to 22 Aug 2022); each is dated by its Monday.",
    )


def test_a_change_that_skips_a_week_is_filled_and_named():
    """The sitrep's own weeks: Fridays to 17 June 2022, then Mondays from 27 June. The week
    of Monday 20 June has no row: it is the mean of its neighbours, 11 and 12 -> 11.5."""
    fridays = [D(2022, 4, 1) + dt.timedelta(weeks=i) for i in range(12)]
    mondays = [D(2022, 6, 27) + dt.timedelta(weeks=i) for i in range(5)]
    series = regular_series(_frame(fridays + mondays, range(17)), date_col="d", value_col="v")
    values = dict(zip(series.frame["date"], series.frame["value"], strict=True))
    assert values[D(2022, 6, 20)] == 11.5
    assert series.frame.height == 18
    assert "Filled 1 missing week(s)" in series.warnings[1]
    assert "20 Jun 2022" in series.warnings[1]


def test_blank_and_suppressed_values_are_filled_blank_ends_left_out():
    """Values 1, *, 3, '', 5, then two blank weeks at the end (published tables often run on
    to the year's end): 2 and 4 are interpolated, the last two weeks left out, both noted."""
    weeks = [D(2023, 1, 2) + dt.timedelta(weeks=i) for i in range(7)]
    series = regular_series(
        _frame(weeks, ["1", "*", "3", "", "5", "", ""]), date_col="d", value_col="v"
    )
    assert series.frame["value"].to_list() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert series.warnings[0].startswith("Left out 2 week(s) with no value at the start or end")
    assert series.warnings[1].endswith("neighbours: 09 Jan 2023, 23 Jan 2023.")


def test_thousands_separators():
    weeks = [D(2023, 1, 2) + dt.timedelta(weeks=i) for i in range(3)]
    frame = pl.DataFrame({"d": [str(w) for w in weeks], "v": ["1,234", "12,345.5", "7"]})
    series = regular_series(frame, date_col="d", value_col="v")
    assert series.frame["value"].to_list() == [1234.0, 12345.5, 7.0]


def test_monthly_dates_anywhere_in_the_month():
    """Month-end dates, and one mid-month: dated by the first of each month."""
    dates = [D(2022, 4, 30), D(2022, 5, 31), D(2022, 6, 15), D(2022, 7, 31)]
    series = regular_series(_frame(dates, [1, 2, 3, 4]), date_col="d", value_col="v")
    assert series.freq == "M"
    assert series.frame["date"].to_list() == [D(2022, m, 1) for m in (4, 5, 6, 7)]


def test_two_rows_in_one_week_are_refused():
    """Monday 13 and Friday 17 June 2022 fall in one week: which value is that week's?"""
    dates = [D(2022, 6, 6), D(2022, 6, 13), D(2022, 6, 17), D(2022, 6, 20)]
    with pytest.raises(ValueError, match="Two rows fall in the week of 13 Jun 2022"):
        regular_series(_frame(dates, [1, 2, 3, 4]), date_col="d", value_col="v", freq="W")


def test_a_bad_date_is_named_with_its_row():
    frame = pl.DataFrame({"d": ["2022-01-03", "sometime", "2022-01-17"], "v": ["1", "2", "3"]})
    with pytest.raises(ValueError, match="'sometime' on row 3"):
        regular_series(frame, date_col="d", value_col="v")


def test_infer_freq():
    weeks = [D(2022, 1, 3) + dt.timedelta(weeks=i) for i in range(5)]
    days = [D(2022, 1, 3) + dt.timedelta(days=i) for i in range(5)]
    assert infer_freq(weeks) == "W"
    with pytest.raises(ValueError, match="1 days apart"):
        infer_freq(days)


def test_too_short_says_how_many_periods_it_needs():
    """Three months ahead needs 6 training months plus 3: 9."""
    check_length(9, 3, "M")
    with pytest.raises(ValueError, match="8 months; 3 months ahead needs at least 9 months"):
        check_length(8, 3, "M")
