"""Weekly series for forecasting, against a small store whose answers were worked by hand."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from ascdemand.store.series import MEASURES, districts, weekly_series

D = dt.date


@pytest.fixture
def small(mem_con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """As at Monday 30 March 2020; Mondays 2, 9, 16, 23, 30 March.

    - Melton p1: homecare from Tue 3 Mar, open, 10 h; and 10-20 Mar, 5 h.
    - Blaby p2: homecare Sun 1 to Mon 9 Mar, 7 h; p4: from 2010 to Tue 17 Mar, 3 h.
    - Temporary placements, both admitted the week of 2 Mar: t1 4-17 Mar, t2 2 Mar only.
    - Discharges: d1 4 Mar to temporary care, d2 5 Mar with no ongoing package, d3 12 Mar to
      homecare.
    """
    con = mem_con
    con.execute("INSERT INTO settings VALUES ('as_at_date', '2020-03-30')")
    con.execute("INSERT INTO settings VALUES ('history_start', '2020-03-01')")
    con.execute(
        """INSERT INTO care_packages VALUES
        ('a','p1','homecare','Melton','older_adults','2020-03-03',NULL,10,200,NULL,'community',NULL),
        ('b','p1','homecare','Melton','older_adults','2020-03-10','2020-03-20',5,100,NULL,'community',NULL),
        ('c','p2','homecare','Blaby','older_adults','2020-03-01','2020-03-09',7,100,NULL,'community',NULL),
        ('e','p4','homecare','Blaby','mental_health','2010-03-01','2020-03-17',3,60,NULL,'community',NULL)"""
    )
    con.execute(
        """INSERT INTO placements VALUES
        ('t1','p3','temporary','residential','Melton','older_adults','2020-03-04','2020-03-17',700,615,85,NULL,NULL,NULL),
        ('t2','p5','temporary','residential','Melton','older_adults','2020-03-02','2020-03-02',700,615,85,NULL,NULL,NULL)"""
    )
    con.execute(
        """INSERT INTO discharges VALUES
        ('d1','p3','2020-03-04','Melton','RWE','P2','temporary_residential',NULL),
        ('d2','p7','2020-03-05','Melton','RWE','P0','no_ongoing_package',NULL),
        ('d3','p1','2020-03-12','Melton','RWE','P1','homecare',NULL)"""
    )
    return con


def test_county_hours_sum_the_districts(small):
    """Blaby 10, 10, 3, 0, 0 plus Melton 0, 10, 15, 10, 10 = 10, 20, 18, 10, 10."""
    frame = weekly_series(small, "homecare_hours")
    assert frame["week_start"].to_list() == [D(2020, 3, d) for d in (2, 9, 16, 23, 30)]
    assert frame["value"].to_list() == [10.0, 20.0, 18.0, 10.0, 10.0]


def test_one_district(small):
    """Melton's people in homecare: nobody on 2 Mar, then p1 alone."""
    assert weekly_series(small, "homecare_people", district="Melton")["value"].to_list() == [
        0.0,
        1.0,
        1.0,
        1.0,
        1.0,
    ]


def test_earlier_as_at_date_cuts_the_series(small):
    """As at 16 Mar the county hours are 10, 20, 18."""
    frame = weekly_series(small, "homecare_hours", as_at=D(2020, 3, 16))
    assert frame["value"].to_list() == [10.0, 20.0, 18.0]


def test_flows_stop_at_the_last_complete_week(small):
    """As at Monday 30 Mar the week of 30 Mar has one day: flows end with the week of 23 Mar.
    Admissions: t1 and t2 in the week of 2 Mar -> 2, 0, 0, 0."""
    frame = weekly_series(small, "temp_residential_admissions")
    assert frame["week_start"][-1] == D(2020, 3, 23)
    assert frame["value"].to_list() == [2.0, 0.0, 0.0, 0.0]


def test_discharges_to_social_care_leave_out_no_ongoing_package(small):
    """d1 (week of 2 Mar) and d3 (week of 9 Mar) count; d2 had no ongoing package."""
    frame = weekly_series(small, "discharges_to_social_care")
    assert frame["value"].to_list() == [1.0, 1.0, 0.0, 0.0]


def test_people_in_temporary_care(small):
    """t2 on 2 Mar; t1 on 9 and 16 Mar."""
    assert weekly_series(small, "temp_residential_people")["value"].to_list() == [
        1.0,
        1.0,
        1.0,
        0.0,
        0.0,
    ]


def test_unknown_measure_raises(small):
    with pytest.raises(KeyError):
        weekly_series(small, "nonsense")


def test_districts_and_measures(small):
    assert districts(small) == ["Blaby", "Melton"]
    assert set(MEASURES) >= {"homecare_hours", "temp_residential_admissions"}
