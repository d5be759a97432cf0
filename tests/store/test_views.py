"""The weekly views against a hand-built fixture whose answers were worked out by hand."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

D = dt.date


@pytest.fixture
def small(mem_con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Four homecare packages, two temporary placements, three discharges, as at 30 March 2020.

    Mondays in March 2020: 2, 9, 16, 23, 30.
    - p1 (Melton): package a from Tue 3 Mar, open, 10 h; package b 10-20 Mar, 5 h (overlaps a).
    - p2 (Blaby): package c Sun 1 Mar to Mon 9 Mar, 7 h.
    - p4 (Blaby, mental health): package e from 2010 to Tue 17 Mar, 3 h (before the calendar).
    - p3 (Melton): temporary placement 4-17 Mar; p5 (Melton): temporary 2-2 Mar (one day).
    """
    con = mem_con
    con.execute("INSERT INTO settings VALUES ('as_at_date', '2020-03-30')")
    con.execute("INSERT INTO settings VALUES ('history_start', '2020-03-01')")
    con.execute(
        """INSERT INTO care_packages VALUES
        ('a','p1','homecare','Melton','older_adults','2020-03-03',NULL,10,200,NULL,'community',NULL),
        ('b','p1','homecare','Melton','older_adults','2020-03-10','2020-03-20',5,100,NULL,'community',NULL),
        ('c','p2','homecare','Blaby','older_adults','2020-03-01','2020-03-09',7,100,NULL,'community',NULL),
        ('e','p4','homecare','Blaby','mental_health','2010-03-01','2020-03-17',3,60,NULL,'community',NULL),
        ('r','p9','reablement','Blaby','older_adults','2020-03-01',NULL,9,300,NULL,'community',NULL)"""
    )
    con.execute(
        """INSERT INTO placements VALUES
        ('t1','p3','temporary','residential','Melton','older_adults','2020-03-04','2020-03-17',700,615,85,NULL,NULL,NULL),
        ('t2','p5','temporary','residential','Melton','older_adults','2020-03-02','2020-03-02',700,615,85,NULL,NULL,NULL),
        ('q1','p6','permanent','nursing','Melton','older_adults','2020-03-05',NULL,900,800,0,NULL,NULL,NULL)"""
    )
    con.execute(
        """INSERT INTO discharges VALUES
        ('d1','p3','2020-03-04','Melton','RWE','P2','temporary_residential',NULL),
        ('d2','p7','2020-03-05','Melton','RWE','P0','no_ongoing_package',NULL),
        ('d3','p1','2020-03-12','Melton','RWE','P1','homecare',NULL)"""
    )
    return con


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_homecare_weekly_counts_people_once_and_sums_hours(small):
    """Melton: a starts the week of 9 Mar; b adds 5 h on 16 Mar only; p1 is one person.
    Blaby: c on 2 and 9 Mar (7 h) plus e (3 h) to 16 Mar: 2 people, 10 h; then 1 person, 3 h.
    Reablement packages are not homecare."""
    rows = _rows(
        small,
        "SELECT district, week_start, people, hours FROM homecare_weekly ORDER BY 1, 2",
    )
    assert rows == [
        ("Blaby", D(2020, 3, 2), 2, 10.0),
        ("Blaby", D(2020, 3, 9), 2, 10.0),
        ("Blaby", D(2020, 3, 16), 1, 3.0),
        ("Blaby", D(2020, 3, 23), 0, 0.0),
        ("Blaby", D(2020, 3, 30), 0, 0.0),
        ("Melton", D(2020, 3, 2), 0, 0.0),
        ("Melton", D(2020, 3, 9), 1, 10.0),
        ("Melton", D(2020, 3, 16), 1, 15.0),
        ("Melton", D(2020, 3, 23), 1, 10.0),
        ("Melton", D(2020, 3, 30), 1, 10.0),
    ]


def test_temp_residential_weekly_stock_and_admissions(small):
    """t1 is in on 9 and 16 Mar and admitted the week of 2 Mar; t2 is in on Monday 2 Mar only
    and also admitted that week: 2 admissions; the permanent placement never counts."""
    rows = _rows(
        small,
        "SELECT week_start, people, admissions FROM temp_residential_weekly "
        "WHERE district = 'Melton' ORDER BY 1",
    )
    assert rows == [
        (D(2020, 3, 2), 1, 2),
        (D(2020, 3, 9), 1, 0),
        (D(2020, 3, 16), 1, 0),
        (D(2020, 3, 23), 0, 0),
        (D(2020, 3, 30), 0, 0),
    ]


def test_discharges_weekly_by_pathway(small):
    """Week of 2 Mar: one P2 (to social care) and one P0 (no package); week of 9 Mar: one P1."""
    rows = _rows(
        small,
        "SELECT week_start, pathway, discharges, to_social_care FROM discharges_weekly "
        "WHERE discharges > 0 ORDER BY 1, 2",
    )
    assert rows == [
        (D(2020, 3, 2), "P0", 1, 0),
        (D(2020, 3, 2), "P2", 1, 1),
        (D(2020, 3, 9), "P1", 1, 1),
    ]
    grid = _rows(small, "SELECT count(*) FROM discharges_weekly")[0][0]
    assert grid == 5 * 2 * 4, "every Monday x district x pathway appears, zeros included"


def test_page_queries_filter_by_district_and_group(small):
    """County 16 Mar: Blaby 1 person 3 h + Melton 1 person 15 h = 2 people, 18 h, 9 h each.
    Mental health only: Blaby's p4 until 16 Mar."""
    from ascdemand.store import queries

    county = queries.homecare_weekly(small, D(2020, 3, 30))
    row = county.filter(county["week_start"] == D(2020, 3, 16)).row(0, named=True)
    assert (row["people"], row["hours"], row["mean_hours"]) == (2, 18.0, 9.0)
    mh = queries.homecare_weekly(small, D(2020, 3, 30), (), "mental_health")
    assert mh["people"].to_list() == [1, 1, 1, 0, 0]
    melton = queries.homecare_weekly(small, D(2020, 3, 16), ["Melton"])
    assert melton["hours"].to_list() == [0.0, 10.0, 15.0]


def test_homecare_by_district_adds_up_to_the_county(small):
    """16 Mar: Blaby 1 person 3 h and Melton 1 person 15 h; their sum is the county's 2 and 18."""
    from ascdemand.store import queries

    rows = queries.homecare_weekly(small, D(2020, 3, 16), by_district=True)
    assert rows.filter(rows["week_start"] == D(2020, 3, 16)).select(
        "district", "people", "hours"
    ).rows() == [("Blaby", 1, 3.0), ("Melton", 1, 15.0)]


def test_weekly_new_packages_counts_starts_in_each_calendar_week(small):
    """Homecare starts: a on Tue 3 Mar (week of 2 Mar), b on 10 Mar (week of 9 Mar); c (Sunday
    1 Mar) and e (2010) start before the calendar; reablement is not homecare."""
    from ascdemand.store import quality

    weekly = quality.weekly_new_packages(small)
    assert weekly["new_packages"].to_list() == [1, 1, 0, 0, 0]
