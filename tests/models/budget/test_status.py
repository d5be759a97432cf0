"""The net position's status is judged on the recurrent position too (issue 15)."""

from ascdemand.models.budget.outturn import Position
from ascdemand.models.budget.status import net_position_status


def _position(net: float, recurrent: float, budget: float = 100e6) -> Position:
    return Position(
        budget=budget,
        outturn=budget + net,
        gross_overspend=max(recurrent, 0.0),
        offsets=net - max(recurrent, 0.0),
        net_overspend=net,
        recurrent=recurrent,
        non_recurrent=net - recurrent,
        full_year_effect=recurrent,
    )


def test_one_off_money_does_not_make_a_recurrent_pressure_green():
    """Net +£0.2m (0.2%, green) but recurrent +£13.7m (13.7%, red): red, because of the
    recurrent position, and the rule says so in money, not in raw pounds."""
    status = net_position_status(_position(0.2e6, 13.7e6), amber=0.01, red=0.03)
    assert status.status == "red"
    assert "Judged on the recurrent position" in status.rule
    assert "+£13.7m" in status.rule and "£100.0m" in status.rule
    assert "100000000" not in status.rule


def test_both_small_is_green_on_the_net_position():
    status = net_position_status(_position(0.2e6, 0.5e6), amber=0.01, red=0.03)
    assert status.status == "green"
    assert "Judged on the net position" in status.rule
