"""Disclosure control: hand-worked examples and properties over random count tables."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ascdemand import privacy


@pytest.mark.parametrize(
    ("exact", "published"),
    [(0, 0), (1, None), (7, None), (8, 10), (12, 10), (13, 15), (1801, 1800), (2379, 2380)],
)
def test_publish_count_suppresses_one_to_seven_and_rounds_to_five(exact, published):
    """8 -> 10 and 12 -> 10 (nearest 5), 13 -> 15; 1,801 -> 1,800; 2,379 -> 2,380."""
    assert privacy.publish_count(exact) == published


def test_publish_count_refuses_negative_counts():
    with pytest.raises(ValueError, match="negative"):
        privacy.publish_count(-1)


def test_percent_comes_from_rounded_counts():
    """23 of 101: exact 22.8%, but published counts are 25 and 100, so 25%."""
    assert privacy.publish_percent(23, 101) == 25.0
    assert privacy.publish_percent(5, 101) is None
    assert privacy.publish_percent(0, 0) is None


def test_average_needs_eight_people():
    assert privacy.publish_average(12.5, 7) is None
    assert privacy.publish_average(12.5, 8) == 12.5


def test_format_count():
    assert privacy.format_count(None) == "*"
    assert privacy.format_count(2380) == "2,380"
    assert privacy.format_count(2380, thousands=False) == "2380"


def test_row_with_one_small_cell_loses_its_smallest_other_cell():
    """Row 3, 20, 40, total 63: the 3 alone could be read off as 63 - 20 - 40, so the 20 (the
    smaller companion) is hidden too; 40 -> 40 and 63 -> 65 are rounded."""
    frame = pl.DataFrame({"a": [3], "b": [20], "c": [40], "total": [63]})
    out = privacy.publishable(frame, count_columns=["a", "b", "c"], total_column="total")
    assert out.row(0) == ("*", "*", "40", "65")


def test_zero_is_never_suppressed_so_the_other_cell_goes():
    """Row 3, 0, 12, total 15: the 0 cannot be hidden (0 stays 0), so the 12 is hidden."""
    frame = pl.DataFrame({"a": [3], "b": [0], "c": [12], "total": [15]})
    out = privacy.publishable(frame, count_columns=["a", "b", "c"], total_column="total")
    assert out.row(0) == ("*", "0", "*", "15")


def test_total_that_would_reveal_a_lone_cell_is_suppressed():
    """Row 3, 0, 0, total 3: the total is itself 1-7; row 9, 0, 0, total 9: nothing hidden."""
    hidden = privacy.suppression_pattern(np.array([[3, 0, 0, 3], [9, 0, 0, 9]]), total_col=-1)
    assert hidden.tolist() == [[True, False, False, True], [False] * 4]


def test_lone_small_cell_with_zeros_forces_the_total_out():
    """Row 3, 0, total 3 is primary anyway; row 9 | 0 | 9 with column totals 12, 0, 12: the
    column of the 3 reads 3 + 9 = 12, so a second cell of that column must go as well."""
    counts = np.array([[3, 0, 3], [9, 0, 9], [12, 0, 12]])
    hidden = privacy.suppression_pattern(counts, total_row=-1, total_col=-1)
    assert hidden[0, 0]
    assert hidden.sum() >= 4
    assert not _exposed(counts, hidden, total_row=2, total_col=2)


def test_bridge_between_two_hidden_blocks_is_protected():
    """Two 2x2 blocks of small cells joined by one small cell (row 0, column 2): every row and
    column holds two hidden cells, yet rows 0+1 minus columns 0+1 give that cell exactly; the
    algorithm must hide more."""
    counts = np.full((4, 4), 20)
    for rc in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)]:
        counts[rc] = 3
    table = _with_totals(counts)
    primary = (table > 0) & (table < 8)
    assert not _exposed_by_line(table, primary, total_row=4, total_col=4)
    assert _exposed(table, primary, total_row=4, total_col=4) == [(0, 2)]
    hidden = privacy.suppression_pattern(table, total_row=-1, total_col=-1)
    assert hidden.sum() > primary.sum()
    assert not _exposed(table, hidden, total_row=4, total_col=4)


def test_averages_over_fewer_than_eight_people_are_suppressed():
    frame = pl.DataFrame({"district": ["A", "B"], "people": [7, 40], "mean_hours": [14.0, 12.5]})
    out = privacy.protect_counts(frame, ["people"], averages={"mean_hours": "people"})
    assert out["mean_hours"].to_list() == [None, 12.5]
    assert out["people"].to_list() == [None, 40]


def test_with_totals_adds_exact_total_row_and_column():
    frame = pl.DataFrame({"district": ["A", "B"], "x": [1, 10], "y": [2, 20]})
    out = privacy.with_totals(frame, ["x", "y"], label_column="district")
    assert out.rows() == [("A", 1, 2, 3), ("B", 10, 20, 30), ("Total", 11, 22, 33)]


@pytest.mark.parametrize("column", ["person_id", "package_id", "discharge_id", "placement_id"])
def test_person_level_frames_are_refused(column):
    frame = pl.DataFrame({column: ["x"], "people": [10]})
    with pytest.raises(privacy.PersonLevelData, match=column):
        privacy.publishable(frame)


def test_publishable_defaults_to_integer_columns_and_keeps_money():
    frame = pl.DataFrame({"district": ["A"], "people": [3], "spend_gbp": [1234.5], "period": [4]})
    out = privacy.publishable(frame)
    assert out.row(0) == ("A", "*", 1234.5, 4)


# ---------------------------------------------------------------- properties


def _with_totals(body: np.ndarray) -> np.ndarray:
    rows, cols = body.shape
    table = np.zeros((rows + 1, cols + 1), dtype=int)
    table[:rows, :cols] = body
    table[:rows, cols] = body.sum(axis=1)
    table[rows, :] = table[:rows, :].sum(axis=0)
    return table


def _relations(shape, total_row, total_col):
    rows, cols = shape
    out = []
    if total_col is not None:
        out += [
            ([(r, c) for c in range(cols) if c != total_col], (r, total_col)) for r in range(rows)
        ]
    if total_row is not None:
        out += [
            ([(r, c) for r in range(rows) if r != total_row], (total_row, c)) for c in range(cols)
        ]
    return out


def _exposed_by_line(table, hidden, *, total_row, total_col):
    """Lines whose total is published but which hide exactly one cell (the simple attack)."""
    bad = []
    for cells, total in _relations(table.shape, total_row, total_col):
        if not hidden[total] and sum(hidden[rc] for rc in cells) == 1:
            bad.append(total)
    return bad


def _exposed(table, hidden, *, total_row, total_col):
    """Hidden cells an attacker can solve for exactly by linear algebra on all the totals:
    cell k is solvable when adding the unit row e_k does not raise the rank of the system."""
    unknown = [tuple(int(i) for i in rc) for rc in np.argwhere(hidden)]
    rows = []
    for cells, total in _relations(table.shape, total_row, total_col):
        rows.append([1.0 if rc in cells else (-1.0 if rc == total else 0.0) for rc in unknown])
    if not unknown or not rows:
        return []
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    solvable = []
    for k, rc in enumerate(unknown):
        unit = np.zeros((1, len(unknown)))
        unit[0, k] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            solvable.append(rc)
    return solvable


counts = st.one_of(st.integers(0, 9), st.integers(0, 60), st.integers(0, 5000))
bodies = st.integers(1, 6).flatmap(
    lambda r: st.integers(1, 5).flatmap(
        lambda c: st.lists(st.lists(counts, min_size=c, max_size=c), min_size=r, max_size=r)
    )
)


@settings(max_examples=300, deadline=None)
@given(body=bodies, totals=st.sampled_from(["none", "row", "column", "both"]))
def test_published_tables_are_safe(body, totals):
    """No published cell of 1-7; every published count a multiple of 5 (0 included); every
    line with a published total hides 0 or at least 2 cells; no hidden cell is solvable."""
    array = _with_totals(np.array(body, dtype=int))
    rows, cols = array.shape
    total_row = rows - 1 if totals in ("row", "both") else None
    total_col = cols - 1 if totals in ("column", "both") else None
    array = array[
        : rows if total_row is not None else rows - 1, : cols if total_col is not None else cols - 1
    ]
    names = [f"c{j}" for j in range(array.shape[1])]
    frame = pl.DataFrame(array, schema=names, orient="row")
    body_names = names[:-1] if total_col is not None else names
    out = privacy.protect_counts(
        frame,
        body_names,
        total_column=names[-1] if total_col is not None else None,
        total_row=-1 if total_row is not None else None,
    )
    published = out.select(names).to_numpy()
    hidden = np.array([[v is None for v in row] for row in out.select(names).rows()])
    values = [v for row in out.select(names).rows() for v in row if v is not None]
    assert all(v == 0 or (v >= 10 and v % 5 == 0) for v in values), published
    assert not ((array > 0) & (array < 8) & ~hidden).any()
    assert not (hidden & (array == 0)).any(), "a zero was suppressed"
    assert not _exposed_by_line(array, hidden, total_row=total_row, total_col=total_col)
    assert not _exposed(array, hidden, total_row=total_row, total_col=total_col)
    text = privacy.display_table(out).select(names).rows()
    assert all(s == "*" or (s.isdigit() and int(s) % 5 == 0) for row in text for s in row)


@given(st.integers(0, 1_000_000))
def test_published_count_is_within_two_of_the_truth(n):
    out = privacy.publish_count(n)
    if 1 <= n <= 7:
        assert out is None
    else:
        assert out % 5 == 0 and abs(out - n) <= 2 and (out == 0) == (n == 0)


def test_publishable_hides_amounts_summed_over_few_people():
    """The lead's download path: hours and mean hours of a week with 5 people are hidden, the
    week with 40 keeps them; the people counts become '*' and '40'."""
    frame = pl.DataFrame(
        {
            "week": ["w1", "w2"],
            "people": [5, 40],
            "hours": [60.0, 500.0],
            "mean_hours": [12.0, 12.5],
        }
    )
    out = privacy.publishable(frame, averages={"hours": "people", "mean_hours": "people"})
    assert out.rows() == [("w1", "*", None, None), ("w2", "40", 500.0, 12.5)]
