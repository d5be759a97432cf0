"""Where one care board stands among all the others on a sitrep comparator: its value, how
many boards are lower, and a plain-English sentence for councillors."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

# measure -> (how the board's value reads, what "fewer" boards do), as sentence templates.
_SENTENCES = {
    "p1_share": ("sends {value} of patients home with new support", "do so less often"),
    "p2_share": ("sends {value} of patients to a rehabilitation bed", "do so less often"),
    "p3_share": ("discharges {value} of patients to a new care-home place", "discharge fewer"),
    "same_day_share": ("discharges {value} of patients on the day they are ready", "do less well"),
    "remaining_per_1000": (
        "has {value} patients a day ready to leave but still in hospital per 1,000 discharges",
        "have fewer",
    ),
    "care_delay_share": (
        "attributes {value} of long delays to waiting for care after hospital",
        "attribute fewer",
    ),
}


@dataclass(frozen=True, slots=True)
class BoardStanding:
    """One board's value on one measure, and how many of the boards with a value are lower."""

    code: str
    value: float
    lower: int
    boards: int
    sentence: str


def _show(measure: str, value: float) -> str:
    return f"{value:,.0f}" if measure == "remaining_per_1000" else f"{value:.1%}"


def board_standing(table: pl.DataFrame, code: str, measure: str) -> BoardStanding | None:
    """The standing of board `code` on `measure` among the rows of `table` that have a value
    (None when the board is absent or has no value).

    Worked example: shares 2%, 4%, 6% and 8% for boards A to D; C has 6% and 2 boards lower:
    "C discharges 6.0% of patients to a new care-home place; 2 of 4 boards discharge fewer."
    """
    known = table.drop_nulls(measure)
    row = known.filter(pl.col("org_code") == code)
    if row.is_empty():
        return None
    value = float(row[measure][0])
    lower = int((known[measure] < value).sum())
    reads, fewer = _SENTENCES[measure]
    sentence = (
        f"{code} {reads.format(value=_show(measure, value))}; "
        f"{lower} of {known.height} boards {fewer}."
    )
    return BoardStanding(
        code=code, value=value, lower=lower, boards=known.height, sentence=sentence
    )
