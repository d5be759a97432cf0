"""The status of the year's net position: judged on the recurrent position as well as the net,
because one-off money can hide a pressure that returns next year."""

from __future__ import annotations

from ascdemand.formatting import money
from ascdemand.models.budget.outturn import Position
from ascdemand.models.rag import Rag, rag_status

_SEVERITY = {"green": 0, "amber": 1, "red": 2}


def net_position_status(position: Position, *, amber: float, red: float) -> Rag:
    """Green, amber or red for the net position and for the recurrent position (the budget
    plus the recurrent variances: the pressure that continues next year), the worse counting.

    Worked example: budget £100m, net overspend £0.2m (0.2%: green at amber 1%, red 3%), but
    £13.7m of recurrent pressure (13.7%: red) offset by £13.5m of one-off money: red, and the
    rule says it is the recurrent position that makes it so.
    """
    budget = position.budget
    net = rag_status(position.outturn, budget, amber=amber, red=red)
    recurrent = rag_status(budget + position.recurrent, budget, amber=amber, red=red)
    worse = max((net, recurrent), key=lambda r: _SEVERITY[r.status])
    which = (
        "the recurrent position"
        if worse is recurrent and recurrent.status != net.status
        else "the net position"
    )
    rule = (
        f"Net position {money(position.net_overspend, signed=True)} ({net.label.lower()}); "
        f"recurrent position {money(position.recurrent, signed=True)}, the pressure that "
        f"continues next year ({recurrent.label.lower()}). Judged on {which}: green within "
        f"{amber:.0%} of the net budget of {money(budget)}, amber to {red:.0%}, red beyond."
    )
    return Rag(status=worse.status, rule=rule)
