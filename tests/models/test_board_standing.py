"""A care board's standing among all boards on a sitrep comparator."""

from __future__ import annotations

import polars as pl

from ascdemand.models.board_standing import board_standing

TABLE = pl.DataFrame(
    {
        "org_code": ["A", "B", "C", "D", "E"],
        "p3_share": [0.02, 0.04, 0.06, 0.08, None],
        "remaining_per_1000": [10.0, 30.0, 20.0, None, 5.0],
    }
)


def test_sentence_and_rank_by_hand():
    """C has 6%; A (2%) and B (4%) are lower; E has no value and does not count."""
    found = board_standing(TABLE, "C", "p3_share")
    assert (found.value, found.lower, found.boards) == (0.06, 2, 4)
    assert found.sentence == (
        "C discharges 6.0% of patients to a new care-home place; 2 of 4 boards discharge fewer."
    )


def test_counts_are_shown_as_whole_numbers():
    found = board_standing(TABLE, "B", "remaining_per_1000")
    assert (found.lower, found.boards) == (3, 4)
    assert "has 30 patients a day" in found.sentence


def test_missing_board_or_value_gives_none():
    assert board_standing(TABLE, "Z", "p3_share") is None
    assert board_standing(TABLE, "E", "p3_share") is None
