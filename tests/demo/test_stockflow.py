"""Stock-and-flow arithmetic of the demo generator, on hand-worked examples."""

from __future__ import annotations

import numpy as np
import pytest

from ascdemand.demo.calendar import Weeks, day_number, knot_curve
from ascdemand.demo.stockflow import (
    LengthOfStay,
    balanced_uniform,
    geometric,
    round_counts,
    solve_entries,
    stratified_uniform,
)


def test_survival_of_a_geometric_stay():
    """Mean 2 weeks: hazard 1/2, so P(length > k) = 0.5^k -> 1, 0.5, 0.25."""
    length = LengthOfStay((1.0,), (2.0,))
    assert length.survival(np.arange(3)) == pytest.approx([1.0, 0.5, 0.25])


def test_stock_weights_favour_long_stays():
    """Half the entrants stay 2 weeks on average, half 8: the stock holds 2:8, i.e. 20% / 80%."""
    assert LengthOfStay((0.5, 0.5), (2.0, 8.0)).stock_weights() == pytest.approx([0.2, 0.8])


def test_geometric_by_inversion():
    """Mean 2 (hazard 1/2): u = 0.5 gives 1 + floor(log 0.5 / log 0.5) = 2; u = 0.9 gives 1;
    u = 0.2 gives 1 + floor(2.32) = 3."""
    assert geometric(np.array([0.5, 0.9, 0.2]), np.full(3, 2.0)).tolist() == [2, 1, 3]


def test_solve_entries_keeps_the_stock_on_target():
    """Target 10 each week, 10 people at the start staying 2 weeks on average (survivors 10, 5,
    2.5). Week 0 needs none; week 1 needs 10 - 5 = 5; week 2 carries 2.5 + 5 x 0.5 = 5, so 5."""
    survival = np.array([1.0, 0.5, 0.25])
    extra = solve_entries(
        target=np.full(3, 10.0),
        known=np.zeros(3),
        initial=10 * survival,
        survival_by_lag=survival,
        floor=np.zeros(3),
    )
    assert extra == pytest.approx([0.0, 5.0, 5.0])


def test_solve_entries_counts_known_entries_and_floor():
    """As above with 2 known entries a week and a floor of 1: week 0 = max(10-10-2, 1) = 1;
    week 1 carries 5 + 3 x 0.5 = 6.5, so max(10 - 6.5 - 2, 1) = 1.5; with noise 2 on week 1 the
    extra doubles to 3, and week 2 (carrying 2.5 + 3 x 0.25 + 5 x 0.5 = 5.75) needs 2.25."""
    survival = np.array([1.0, 0.5, 0.25])
    args = dict(
        target=np.full(3, 10.0),
        known=np.full(3, 2.0),
        initial=10 * survival,
        survival_by_lag=survival,
        floor=np.ones(3),
    )
    assert solve_entries(**args)[:2] == pytest.approx([1.0, 1.5])
    noisy = solve_entries(**args, noise=np.array([1.0, 2.0, 1.0]))
    assert noisy == pytest.approx([1.0, 3.0, 2.25])


def test_round_counts_keeps_the_running_total():
    """0.4 a week: running totals 0.4, 0.8, 1.2, 1.6, 2.0 round to 0, 1, 1, 2, 2."""
    assert round_counts(np.full(5, 0.4)).tolist() == [0, 1, 0, 1, 0]


def test_stratified_uniform_one_draw_per_stratum():
    """Groups of 4 and 2: the first four fall one in each quarter, the last two one per half."""
    u = stratified_uniform(np.array([4, 2]), np.random.default_rng(1))
    assert sorted(np.floor(u[:4] * 4).tolist()) == [0, 1, 2, 3]
    assert sorted(np.floor(u[4:] * 2).tolist()) == [0, 1]


def test_balanced_uniform_spreads_every_tail():
    """In a group of 200 keyed 0..199, the 20, 50 and 100 largest keys each get values whose
    mean is within 0.05 of 1/2 and which cover every tenth of [0, 1)."""
    rng = np.random.default_rng(3)
    key = rng.permutation(200)
    u = balanced_uniform(np.zeros(200, dtype=int), key, rng)
    for top in (20, 50, 100):
        tail = u[key >= 200 - top]
        assert tail.mean() == pytest.approx(0.5, abs=0.05)
        assert len(set(np.floor(tail * 10).astype(int))) == 10


def test_weeks_and_knot_curve():
    """Mondays from 2 April 2018; a day on a Monday is active from that Monday, a Tuesday from
    the next; a knot curve from 0 to 14 over two weeks is 0, 7, 14 then flat."""
    weeks = Weeks(day_number("2018-04-02"), day_number("2018-04-29"))
    assert weeks.count == 4
    assert weeks.first_active_week(np.array([day_number("2018-04-02")])).tolist() == [0]
    assert weeks.first_active_week(np.array([day_number("2018-04-03")])).tolist() == [1]
    curve = knot_curve(weeks, (("2018-04-02", 0.0), ("2018-04-16", 14.0)))
    assert curve.tolist() == [0.0, 7.0, 14.0, 14.0]
