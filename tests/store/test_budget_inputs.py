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


def _rows(con, period: int = 2) -> dict:
    evidence = budget_inputs.budget_inputs(con, "2021/22", period)["care"]
    return {(r["segment"], r["settling_left"]): r for r in evidence.iter_rows(named=True)}


def test_care_evidence_hides_later_starts_and_ends(con):
    """On 31 May (P2): d had not started and e ended over a year before; c's August end was not
    yet known, so c is in care 29 days (3-31 May), 13 days short of settled; t 22 days, 20
    short. a (since 4 Jan) is settled. Last year's evidence runs from 1 June 2020: a spent 42
    days settling (4 Jan - 14 Feb) and 106 after (15 Feb - 31 May); b 42 (1 Mar - 11 Apr) and 39
    (12 Apr - 20 May), then ended settled. This year to date: a 61 days at £140 and 7 hours,
    b 50 days at £210 and 10 hours. Recent starts are from 2 March: not a, not b."""
    rows = _rows(con)
    assert set(rows) == {
        ("direct_payment", 13),
        ("homecare", None),
        ("homecare", 0),
        ("temporary_placement", 20),
    }
    ended, settled = rows[("homecare", None)], rows[("homecare", 0)]
    assert (ended["people_now"], settled["people_now"]) == (0, 1)
    assert ended["late_endings"] + settled["late_endings"] == 1
    assert ended["early_endings"] + settled["early_endings"] == 0
    assert ended["early_days"] + settled["early_days"] == 84
    assert ended["late_days"] + settled["late_days"] == 106 + 39
    assert ended["days_to_date"] + settled["days_to_date"] == 111
    assert ended["cost_days_to_date"] + settled["cost_days_to_date"] == 61 * 140 + 50 * 210
    assert ended["hour_days_to_date"] + settled["hour_days_to_date"] == 61 * 7 + 50 * 10
    assert ended["recent_starts"] + settled["recent_starts"] == 0
    direct = rows[("direct_payment", 13)]
    assert (direct["people_now"], direct["weekly_cost_now"], direct["recent_starts"]) == (
        1,
        300.0,
        1,
    )
    assert direct["service_line"] == "direct_payments"
    assert direct["planned_days"] == 0
    assert rows[("temporary_placement", 20)]["service_line"] == "residential_nursing"


def test_future_end_on_the_extract_date_is_a_planned_end(con):
    """With the extract as at 31 May, c's 1 August end was in it on 31 May: planned, with 62
    days to come (1 June - 1 August) at £300 a week, and gone by 31 March."""
    set_as_at_date(con, date(2021, 5, 31))
    direct = _rows(con)[("direct_payment", None)]
    assert direct["people_now"] == 1
    assert direct["planned_days"] == 62
    assert direct["planned_cost_days"] == 62 * 300
    assert direct["planned_staying"] == 0


def test_no_evidence_beyond_the_last_period_with_actuals(con):
    with pytest.raises(ValueError, match="2021/22 period 4"):
        budget_inputs.budget_inputs(con, "2021/22", 4)


def test_years_periods_ledger_and_budget(con):
    assert budget_inputs.financial_years(con) == ["2021/22", "2020/21"]
    assert budget_inputs.last_period(con, "2021/22") == 2
    assert budget_inputs.last_period(con, "2019/20") == 0
    assert budget_inputs.ledger(con, "2021/22")["actual_spend"].to_list() == [10, 12]
    assert budget_inputs.budget(con, "2021/22")["budget"].to_list() == [100]
