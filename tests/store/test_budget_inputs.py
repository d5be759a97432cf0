"""The budget forecast's inputs: only what was known at a period end."""

from datetime import date

import pytest

from ascdemand.store import budget_inputs
from ascdemand.store.meta import set_as_at_date

PACKAGES = [
    # package_id, start, end, service_type, weekly_cost, hours
    ("a", "2021-01-04", None, "homecare", 140.0, 7.0),
    ("b", "2021-03-01", "2021-05-20", "homecare", 210.0, 10.0),  # ended before 31 May
    ("c", "2021-05-03", "2021-08-01", "direct_payment", 300.0, None),  # ends after 31 May
    ("d", "2021-06-07", None, "homecare", 99.0, 5.0),  # starts after 31 May
    ("e", "2019-01-07", "2019-06-30", "homecare", 50.0, 2.0),  # long gone
]


@pytest.fixture
def con(mem_con):
    for pid, start, end, kind, cost, hours in PACKAGES:
        mem_con.execute(
            "INSERT INTO care_packages VALUES (?, ?, ?, 'Blaby', 'older_adults', ?, ?, ?, ?, "
            "NULL, 'community', 'b1')",
            [pid, "p" + pid, kind, start, end, hours, cost],
        )
    mem_con.execute(
        "INSERT INTO placements VALUES ('t', 'pt', 'temporary', 'residential', 'Blaby', "
        "'older_adults', '2021-05-10', NULL, 721, 615, 106, NULL, NULL, 'b1')"
    )
    mem_con.execute(
        "INSERT INTO ledger VALUES ('2021/22', 1, 'homecare', 10, 0, 'b1'), "
        "('2021/22', 2, 'homecare', 12, 0, 'b1'), ('2020/21', 12, 'grants', 0, 5, 'b1')"
    )
    mem_con.execute("INSERT INTO budget_lines VALUES ('2021/22', 'homecare', 100, 'b1')")
    set_as_at_date(mem_con, date(2021, 8, 31))
    return mem_con


def test_care_known_at_hides_later_starts_and_ends(con):
    """On 31 May: d had not started and e ended over a year before; c's August end was not yet
    known (so it is open, not planned); b's May end was known; placements join as segments."""
    care = budget_inputs.care_known_at(con, date(2021, 5, 31), since=date(2021, 4, 1))
    rows = {(r["segment"], r["weekly_cost"]): r for r in care.iter_rows(named=True)}
    assert sorted(rows) == [
        ("direct_payment", 300.0),
        ("homecare", 140.0),
        ("homecare", 210.0),
        ("temporary_placement", 721.0),
    ]
    assert rows[("homecare", 210.0)]["end_date"] == date(2021, 5, 20)
    assert rows[("direct_payment", 300.0)]["end_date"] is None
    assert rows[("direct_payment", 300.0)]["planned_end"] is None
    assert rows[("direct_payment", 300.0)]["service_line"] == "direct_payments"
    assert rows[("temporary_placement", 721.0)]["service_line"] == "residential_nursing"


def test_future_end_on_the_extract_date_is_a_planned_end(con):
    """On the extract's own as-at date (31 Aug) nothing has a later end; on 31 July c's
    1 August end is in the extract, so it was planned."""
    set_as_at_date(con, date(2021, 7, 31))
    care = budget_inputs.care_known_at(con, date(2021, 7, 31), since=date(2021, 4, 1))
    planned = care.filter(care["segment"] == "direct_payment")["planned_end"].to_list()
    assert planned == [date(2021, 8, 1)]


def test_years_periods_ledger_and_budget(con):
    assert budget_inputs.financial_years(con) == ["2021/22", "2020/21"]
    assert budget_inputs.last_period(con, "2021/22") == 2
    assert budget_inputs.last_period(con, "2019/20") == 0
    assert budget_inputs.ledger(con, "2021/22")["actual_spend"].to_list() == [10, 12]
    assert budget_inputs.budget(con, "2021/22")["budget"].to_list() == [100]
