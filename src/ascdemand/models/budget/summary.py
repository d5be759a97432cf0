"""The budget forecast in words: where the year will end and how it moved, what rests on
one-off money, and which lines overspend most."""

from __future__ import annotations

import polars as pl

from ascdemand.formatting import money
from ascdemand.models.budget.labels import period_label
from ascdemand.models.budget.outturn import Forecast, Position, position

GROSS_SHOWN_FROM = 250_000.0
"""Overspends smaller than this are left out of the big numbers (they stay in the table)."""
_NOT_SPENDING = ("nhs_discharge_income", "nhs_one_off_transfer", "grants", "client_contributions")


def summary_sentence(latest: Forecast, previous: Forecast | None) -> str:
    """One plain-English sentence on where the year will end and how it moved."""
    now = position(latest.lines)
    text = (
        f"At {period_label(latest.year, latest.period)} the department is forecast to end "
        f"{latest.year} {money(abs(now.net_overspend))} "
        f"{'over' if now.net_overspend >= 0 else 'under'} budget: gross overspends of "
        f"{money(now.gross_overspend)} offset by {money(-now.offsets)} of "
        "underspends and income."
    )
    if previous:
        change = now.net_overspend - position(previous.lines).net_overspend
        word = "up" if change > 0 else "down"
        text += f" That is {word} {money(abs(change))} since the previous period."
    return text


def non_recurrent_note(summary: Position) -> str:
    """How much of the position rests on one-off money."""
    return (
        f"Recurrent items add up to {money(summary.recurrent, signed=True)}; one-off items "
        f"to {money(summary.non_recurrent, signed=True)}. One-off offsets such as NHS "
        "discharge income will not be there next year."
    )


def largest_overspends(latest: Forecast, top: int = 4) -> pl.DataFrame:
    """The spending lines overspending by `GROSS_SHOWN_FROM` or more, largest first (at most
    `top`): `service_line`, `variance`, `recurrent`."""
    return (
        latest.lines.filter(
            (pl.col("variance") >= GROSS_SHOWN_FROM)
            & ~pl.col("service_line").is_in(list(_NOT_SPENDING))
        )
        .sort("variance", descending=True)
        .head(top)
        .select("service_line", "variance", "recurrent")
    )
