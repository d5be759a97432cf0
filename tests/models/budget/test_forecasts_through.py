"""One implementation of the year's period-by-period forecasts and of its trajectory: the
Budget page, the Overview and the briefing all read `models.budget.trajectory`."""

from __future__ import annotations

import duckdb
import pytest

from ascdemand.briefing.money import money_position
from ascdemand.models.budget.outturn import position
from ascdemand.models.budget.trajectory import forecasts_through, trajectory_table
from ascdemand.store.meta import as_at_date


@pytest.fixture
def demo(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        yield con


def test_forecasts_through_gives_one_forecast_per_period_in_order(demo):
    history = forecasts_through(demo, "2021/22", 4)
    assert [f.period for f in history] == [1, 2, 3, 4]
    assert {f.year for f in history} == {"2021/22"}


def test_briefing_trajectory_is_the_budget_pages(demo):
    """The briefing's money trajectory is `trajectory_table` of the same forecasts: each
    period's net overspend, and the latest equals the headline."""
    money = money_position(demo, as_at_date(demo))
    assert money is not None
    table = trajectory_table(forecasts_through(demo, money.financial_year, money.period))
    assert money.trajectory.equals(table.select("period", "net_overspend"))
    assert money.trajectory["net_overspend"][-1] == pytest.approx(money.net_overspend)
    assert money.previous_net_overspend == pytest.approx(table["net_overspend"][-2])


def test_trajectory_change_is_the_difference_of_net_overspends(demo):
    history = forecasts_through(demo, "2021/22", 3)
    table = trajectory_table(history)
    nets = [position(f.lines).net_overspend for f in history]
    assert table["net_overspend"].to_list() == pytest.approx(nets)
    assert table["change"][0] is None
    assert table["change"][2] == pytest.approx(nets[2] - nets[1])
