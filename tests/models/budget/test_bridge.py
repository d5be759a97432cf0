"""The bridge between two forecasts adds up exactly to the change in net overspend."""

import math
from datetime import date

import polars as pl
import pytest
from budget_frames import budget, care, care_segments, ledger, lines

from ascdemand.models.budget.bridge import bridge, bridge_summary
from ascdemand.models.budget.outturn import BudgetInputs, Forecast, forecast_outturn, position


def _hand_forecasts() -> tuple[Forecast, Forecast]:
    """Homecare: 100 person-weeks x 10 hours x £20 = 20,000, then 110 x 11 x £22 = 26,620.
    Ledger outturns: homecare 20,500 then 27,300 (records gap 500 then 680); staffing 3,000
    then 2,900; NHS income -1,000 then -1,500. Budgets unchanged."""
    before = Forecast(
        "2021/22",
        4,
        lines(
            [
                ("homecare", 18000.0, 20500.0),
                ("staffing", 3000.0, 3000.0),
                ("nhs_discharge_income", 0.0, -1000.0),
            ]
        ),
        care_segments([("homecare", "homecare", 10.0, 100.0, 1000.0, 20000.0)]),
    )
    after = Forecast(
        "2021/22",
        5,
        lines(
            [
                ("homecare", 18000.0, 27300.0),
                ("staffing", 3000.0, 2900.0),
                ("nhs_discharge_income", 0.0, -1500.0),
            ]
        ),
        care_segments([("homecare", "homecare", 11.0, 110.0, 1210.0, 26620.0)]),
    )
    return before, after


def test_components_by_hand():
    """Volume (110 - 100) x 10 x 20 = 2,000; intensity 110 x (11 - 10) x 20 = 2,200; price
    110 x 11 x (22 - 20) = 2,420; records 680 - 500 = 180; staffing -100; income -500.
    Total 6,200 = (6,800 - 100 - 500), the change in net overspend."""
    detail = bridge(*_hand_forecasts())
    total = dict(bridge_summary(detail).iter_rows())
    assert total["volume"] == pytest.approx(2000)
    assert total["intensity"] == pytest.approx(2200)
    assert total["price"] == pytest.approx(2420)
    assert total["records"] == pytest.approx(180)
    assert total["other_spend"] == pytest.approx(-100)
    assert total["income"] == pytest.approx(-500)
    assert total["budget"] == 0
    assert math.fsum(detail["amount"]) == pytest.approx(6200, abs=1e-9)


def test_new_segment_is_all_volume():
    """A segment absent before adds its whole cost as volume."""
    before, after = _hand_forecasts()
    after = Forecast(
        after.year,
        after.period,
        after.lines,
        pl.concat([after.care, care_segments([("temp", "homecare", 1.0, 5.0, 0.0, 3500.0)])]),
    )
    total = dict(bridge_summary(bridge(before, after)).iter_rows())
    assert total["volume"] == pytest.approx(2000 + 3500)
    assert total["records"] == pytest.approx(180 - 3500)


def test_bridge_of_real_forecasts_sums_exactly_to_change_in_net():
    """Period 2 to period 3 on a small ledger with care that starts, ends and changes cost."""
    book = ledger(
        [
            (1, "homecare", 900.0, 0.0),
            (2, "homecare", 1000.0, 0.0),
            (3, "homecare", 1300.0, 0.0),
            (1, "staffing", 400.0, 0.0),
            (2, "staffing", 420.0, 0.0),
            (3, "staffing", 380.0, 0.0),
            (2, "nhs_discharge_income", 0.0, 90.0),
            (3, "nhs_discharge_income", 0.0, 160.0),
        ]
    )
    plan = budget({"homecare": 9000, "staffing": 5000, "nhs_discharge_income": 0})
    rows = [
        ("homecare", date(2020, 6, 1), None, 140.0, 7.0),
        ("homecare", date(2021, 2, 1), date(2021, 5, 20), 210.0, 10.0),
        ("homecare", date(2021, 6, 10), None, 300.0, 12.0),
    ]
    at = {
        p: forecast_outturn(BudgetInputs("2021/22", p, book, plan, care(rows, period=p)))
        for p in (2, 3)
    }
    detail = bridge(at[2], at[3])
    change = position(at[3].lines).net_overspend - position(at[2].lines).net_overspend
    assert math.fsum(detail["amount"]) == pytest.approx(change, abs=1e-6)
    assert set(detail["component"]) >= {"volume", "intensity", "price", "income"}
