"""The calibration SQL on a hand-built county: stocks, flows, next steps and unit costs."""

from __future__ import annotations

import datetime as dt

import pytest

from ascdemand.store import scenario_inputs as si

D = dt.date
MON = D(2021, 10, 4)  # a Monday


def package(con, pid, person, service, start, end, hours, cost):
    con.execute(
        "INSERT INTO care_packages VALUES (?, ?, ?, 'Melton', 'older_adults', ?, ?, ?, ?, "
        "NULL, 'community', 'b')",
        [pid, person, service, start, end, hours, cost],
    )


def placement(con, pid, person, kind, start, end, standard, extra):
    con.execute(
        "INSERT INTO placements VALUES (?, ?, ?, 'residential', 'Melton', 'older_adults', ?, ?, "
        "?, ?, ?, NULL, NULL, 'b')",
        [pid, person, kind, start, end, standard + extra, standard, extra],
    )


@pytest.fixture
def county(mem_con):
    con = mem_con
    # homecare: a (10 h, £200) throughout; b (20 h, £400) starts Tue 5 Oct -> first Monday 11 Oct
    package(con, "h1", "a", "homecare", D(2021, 1, 1), None, 10.0, 200.0)
    package(con, "h2", "b", "homecare", D(2021, 10, 5), None, 20.0, 400.0)
    # reablement of c ends Fri 8 Oct (last Monday 4 Oct); c starts homecare Monday 11 Oct
    package(con, "r1", "c", "reablement", D(2021, 9, 20), D(2021, 10, 8), 10.0, 300.0)
    package(con, "h3", "c", "homecare", D(2021, 10, 11), None, 5.0, 100.0)
    # temporary stay of d ends 10 Oct and becomes permanent on 11 Oct
    placement(con, "t1", "d", "temporary", D(2021, 9, 1), D(2021, 10, 10), 615.0, 0.0)
    placement(con, "p1", "d", "permanent", D(2021, 10, 11), None, 615.0, 200.0)
    placement(con, "p2", "e", "permanent", D(2020, 1, 1), None, 600.0, 0.0)
    con.execute(
        "INSERT INTO discharges VALUES ('x1', 'f', DATE '2021-10-05', 'Melton', 'RWE', 'P1', "
        "'homecare', 'b'), ('x2', 'g', DATE '2021-10-06', 'Melton', 'RWE', 'P3', "
        "'permanent_residential', 'b'), ('x3', 'h', DATE '2021-10-12', 'Melton', 'RWE', 'P0', "
        "'no_ongoing_package', 'b')"
    )
    return con


def test_window_ends_on_the_monday_of_the_as_at_date():
    assert si.window(None, 26, D(2021, 10, 31)) == (D(2021, 4, 26), D(2021, 10, 25))


def test_weekly_stocks_and_flows_balance(county):
    """4 Oct: a, c in services; 11 Oct: a, b, c(homecare) in homecare, d permanent."""
    frame = si.weekly_stocks_and_flows(county, MON, MON + dt.timedelta(days=14))
    first, second = frame.row(0, named=True), frame.row(1, named=True)
    assert (first["homecare_people"], first["homecare_hours"]) == (1, 10.0)
    assert (first["reablement_people"], first["temporary_people"]) == (1, 1)
    assert first["permanent_people"] == 1
    assert (second["homecare_people"], second["homecare_hours"]) == (3, 35.0)
    assert (second["homecare_starts"], second["reablement_ends"]) == (2, 1)
    assert (second["temporary_ends"], second["permanent_starts"]) == (1, 1)
    assert (second["temporary_people"], second["permanent_people"]) == (0, 2)


def test_discharges_are_counted_in_the_week_they_happen(county):
    frame = si.discharge_counts(county, MON, MON + dt.timedelta(days=14))
    assert frame.rows() == [
        (MON, "P1", "homecare", 1),
        (MON, "P3", "permanent_residential", 1),
        (MON + dt.timedelta(days=7), "P0", "no_ongoing_package", 1),
    ]


def test_next_steps_follow_the_same_person_within_14_days(county):
    assert si.next_steps(county, "reablement", MON, D(2021, 11, 1)) == {
        "ended": 1,
        "to_homecare": 1,
        "to_permanent": 0,
    }
    assert si.next_steps(county, "temporary", MON, D(2021, 11, 1)) == {
        "ended": 1,
        "to_homecare": 0,
        "to_permanent": 1,
    }
    with pytest.raises(ValueError, match="kind"):
        si.next_steps(county, "homecare", MON, MON)


def test_unit_costs_of_what_is_in_place(county):
    """On 12 Oct: homecare (200 + 400 + 100) / (10 + 20 + 5) = £20 an hour; placements p1 and
    p2: standard (615 + 600) / 2 = 607.5, half with an additional payment of £200."""
    costs = si.unit_costs(county, D(2021, 10, 12))
    assert costs["homecare_hourly_rate"] == pytest.approx(20.0)
    assert costs["reablement_weekly_cost"] is None
    assert costs["residential_weekly_rate"] == pytest.approx(607.5)
    assert costs["additional_payment_share"] == pytest.approx(0.5)
    assert costs["additional_payment_weekly"] == pytest.approx(200.0)


def test_weekly_stocks_count_people_once_and_flows_at_the_window_edges(mem_con):
    """Snapshots Mon 4, 11 and 18 Oct 2021. Homecare: a has h1 (10 h, from 1 Sep, open) and h2
    (4 h, Tue 5 Oct - Sun 17 Oct: Monday 11 Oct only); b has h3 (6 h, 20 Sep - Mon 11 Oct: last
    active that Monday); c's Tue 12 - Fri 15 Oct spans no Monday; d has h5 (5 h, from Mon 18
    Oct to after the window); g has g1 (2 h, 1 Sep - Sun 10 Oct) and g2 (2 h, from Mon 18 Oct).
    People: 4 Oct a, b, g = 3; 11 Oct a (once), b = 2; 18 Oct a, d, g = 3. Hours: 10 + 6 + 2 =
    18; 10 + 4 + 6 = 20; 10 + 5 + 2 = 17. Starts: 11 Oct h2; 18 Oct h5, g2. Ends: 11 Oct g1;
    18 Oct h2, h3. Reablement of e ends Mon 27 Sep: an end on 4 Oct, nobody in the window.
    Temporary stay of f, Wed 29 Sep - Sun 10 Oct: in on 4 Oct (a start), out by 11 Oct (an end).
    Permanent placement of p since 2020: 1 on every snapshot though no week has an event.
    """
    con = mem_con
    package(con, "h1", "a", "homecare", D(2021, 9, 1), None, 10.0, 0.0)
    package(con, "h2", "a", "homecare", D(2021, 10, 5), D(2021, 10, 17), 4.0, 0.0)
    package(con, "h3", "b", "homecare", D(2021, 9, 20), D(2021, 10, 11), 6.0, 0.0)
    package(con, "h4", "c", "homecare", D(2021, 10, 12), D(2021, 10, 15), 3.0, 0.0)
    package(con, "h5", "d", "homecare", D(2021, 10, 18), D(2022, 1, 1), 5.0, 0.0)
    package(con, "g1", "g", "homecare", D(2021, 9, 1), D(2021, 10, 10), 2.0, 0.0)
    package(con, "g2", "g", "homecare", D(2021, 10, 18), None, 2.0, 0.0)
    package(con, "r1", "e", "reablement", D(2021, 9, 1), D(2021, 9, 27), 8.0, 0.0)
    placement(con, "t1", "f", "temporary", D(2021, 9, 29), D(2021, 10, 10), 600.0, 0.0)
    placement(con, "p1", "p", "permanent", D(2020, 1, 1), None, 600.0, 0.0)
    frame = si.weekly_stocks_and_flows(con, MON, MON + dt.timedelta(days=14))
    assert frame.columns[1:6] == [
        "homecare_people",
        "homecare_hours",
        "reablement_people",
        "temporary_people",
        "permanent_people",
    ]
    # stocks, then starts and ends of homecare, reablement, temporary, permanent
    assert frame.rows() == [
        (MON, 3, 18.0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0),
        (D(2021, 10, 11), 2, 20.0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0),
        (D(2021, 10, 18), 3, 17.0, 0, 0, 1, 2, 0, 0, 0, 2, 0, 0, 0),
    ]
