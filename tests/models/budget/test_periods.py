"""Financial years and periods."""

from datetime import date

import pytest

from ascdemand.models.budget.periods import (
    last_complete_period,
    period_bounds,
    period_of,
    start_year,
    year_label,
)


def test_period_one_is_april_and_twelve_is_march_of_the_next_year():
    assert period_bounds("2021/22", 1) == (date(2021, 4, 1), date(2021, 4, 30))
    assert period_bounds("2021/22", 12) == (date(2022, 3, 1), date(2022, 3, 31))
    assert period_bounds("2019/20", 11) == (date(2020, 2, 1), date(2020, 2, 29))


def test_day_maps_to_its_year_and_period():
    assert period_of(date(2021, 10, 31)) == ("2021/22", 7)
    assert period_of(date(2022, 1, 5)) == ("2021/22", 10)
    assert year_label(1999) == "1999/00"


def test_last_complete_period_needs_the_whole_month():
    assert last_complete_period("2021/22", date(2021, 10, 31)) == 7
    assert last_complete_period("2021/22", date(2021, 10, 30)) == 6
    assert last_complete_period("2021/22", date(2021, 3, 31)) == 0


@pytest.mark.parametrize("label", ["2021-22", "2021/23", "21/22"])
def test_malformed_year_is_refused(label):
    with pytest.raises(ValueError, match="2021/22"):
        start_year(label)
