"""Jump detection on a hand-built weekly series."""

import polars as pl

from ascdemand.models.quality import flag_jumps


def test_a_doubled_week_is_flagged_and_steady_weeks_are_not():
    """Eight weeks of 10 then 20: expected 10, change +100%, flagged; the steady weeks are not.
    The week after (10) expects (7*10 + 20) / 8 = 11.25: change -11%, not flagged."""
    frame = pl.DataFrame({"week": range(10), "n": [10] * 8 + [20, 10]})
    jumps = flag_jumps(frame, "n", window=8, threshold=0.5)
    assert jumps["week"].to_list() == [8]
    assert jumps["expected"].to_list() == [10.0]
    assert jumps["change"].to_list() == [1.0]


def test_short_history_flags_nothing():
    frame = pl.DataFrame({"week": range(5), "n": [1, 50, 1, 50, 1]})
    assert flag_jumps(frame, "n", window=8).is_empty()
