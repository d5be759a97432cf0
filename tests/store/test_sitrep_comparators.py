"""Board comparators from the sitrep: hand-built rows, and all 42 boards of the real months."""

from __future__ import annotations

import datetime as dt

import pytest

from ascdemand.store.sitrep.comparators import board_comparators

MAY, JUNE = dt.date(2023, 5, 1), dt.date(2023, 6, 1)


def _month(con, month: dt.date) -> None:
    con.execute(
        "INSERT INTO sitrep_months VALUES (?, 'f.xlsx', 'x', NULL, TIMESTAMP '2023-07-01', 't')",
        [month],
    )


def _discharges(con, month, code, counts: dict[str, int]) -> None:
    for pathway, patients in counts.items():
        con.execute(
            "INSERT INTO sitrep_discharges VALUES (?, 'icb', 'R', ?, ?, ?, ?, ?)",
            [month, code, f"Board {code}", f"dest {pathway}", pathway, patients],
        )


def test_measures_by_hand(mem_con):
    """Board X over May and June: 900 + 60 + 30 + 10 = 1,000 a month, 2,000 in all, P3 20
    (1%). Table 2, two days: ready 40 and 60, left 10 and 30 -> 40/100 = 40% the same day;
    remaining 30 and 30 -> 30 a day per 1,000 a month = 30. Table 5 in June: pathway 1 wait 6,
    transport 4 a day -> 6/10 = 60% (over two months: 3 and 5 a day, same share)."""
    for month in (MAY, JUNE):
        _month(mem_con, month)
        _discharges(mem_con, month, "X", {"P0": 900, "P1": 60, "P2": 30, "P3": 10})
    mem_con.execute(
        "INSERT INTO sitrep_criteria_to_reside VALUES "
        "(?, DATE '2023-06-01', 'icb', 'R', 'X', 'Board X', 40, 10, 30), "
        "(?, DATE '2023-06-02', 'icb', 'R', 'X', 'Board X', 60, 30, 30)",
        [JUNE, JUNE],
    )
    mem_con.execute(
        "INSERT INTO sitrep_delay_reasons VALUES "
        "(?, 'icb', 'R', 'X', 'Board X', 'Pathway 1 - awaiting availability', 6.0), "
        "(?, 'icb', 'R', 'X', 'Board X', 'Awaiting transport', 4.0)",
        [JUNE, JUNE],
    )
    row = board_comparators(mem_con, months=2).row(0, named=True)
    assert (row["discharges"], row["p3"]) == (2000, 20)
    assert row["p3_share"] == pytest.approx(0.01)
    assert row["same_day_share"] == pytest.approx(0.4)
    assert row["remaining_per_1000"] == pytest.approx(30.0)
    assert row["care_delay_share"] == pytest.approx(0.6)


def test_only_the_latest_months_count(mem_con):
    """With months=1 only June's 1,000 discharges count."""
    for month in (MAY, JUNE):
        _month(mem_con, month)
        _discharges(mem_con, month, "X", {"P0": 900, "P1": 60, "P2": 30, "P3": 10})
    assert board_comparators(mem_con, months=1)["discharges"].to_list() == [1000]


@pytest.mark.slow
def test_every_board_of_the_real_sitrep(sitrep_db):
    """All 42 integrated care boards, every measure a proportion or a positive rate."""
    import duckdb

    with duckdb.connect(str(sitrep_db), read_only=True) as con:
        table = board_comparators(con)
    assert table.height == 42
    for share in ("p1_share", "p2_share", "p3_share", "same_day_share", "care_delay_share"):
        assert table[share].is_between(0, 1).all(), share
    assert (table["remaining_per_1000"] > 0).all()
