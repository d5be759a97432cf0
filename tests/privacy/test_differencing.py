"""Disclosure control holds across every geography a committee member can ask for (issue 18,
item 2): derived figures never undo the rounding of counts, and no combination of published
outputs pins down a hidden count.

The attacker here sees everything the briefing publishes for the whole council and for each
district on its own (the only geographies a public output may cover): each one's count of
people, average hours and total hours, and the table of counts by district with its total. It
then searches every possible set of true counts for those consistent with all of it.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ascdemand import privacy


def _published(counts: list[int], hours: list[float]) -> dict[str, object]:
    """What the briefing publishes for these districts: per geography (each district, and the
    whole council as "all"), the count, average and total hours. Every geography takes its
    count from the one protected column of districts and total, as the briefing does."""
    column = privacy.protect_column(counts)
    single = {}
    for name, people, total, shown in [
        *((str(i), n, h, column[i]) for i, (n, h) in enumerate(zip(counts, hours, strict=True))),
        ("all", sum(counts), sum(hours), column[-1]),
    ]:
        mean = privacy.publish_mean(total, people) if shown is not None else None
        single[name] = (shown, mean, None if mean is None else shown * mean)
    return {"single": single}


def _candidates(seen: int | None, most: int) -> list[int]:
    """Every true count that could show as `seen`: a hidden cell (`*`) holds 1 or more (an
    attacker cannot tell a small count from one hidden to protect it), up to `most`."""
    if seen is None:
        return list(range(1, most + 1))
    return [n for n in range(max(0, seen - 2), seen + 3) if privacy.publish_count(n) == seen]


def _consistent(published: dict[str, object], k: int) -> np.ndarray:
    """Every vector of k true counts consistent with all the published counts: each
    district's own figure bounds it, and the whole council's must match their sum."""
    single = published["single"]
    whole = single["all"][0]
    most = 5 * k * 10 if whole is None else whole + 2
    grid = np.array(
        list(itertools.product(*(_candidates(single[str(i)][0], most) for i in range(k))))
    )
    if whole is None:
        return grid
    keep = np.array([privacy.publish_count(int(v)) == whole for v in grid.sum(axis=1)])
    return grid[keep]


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.integers(0, 30), min_size=2, max_size=4),
    mean_hours=st.floats(5.0, 25.0, allow_nan=False),
)
def test_no_hidden_count_can_be_recovered(counts, mean_hours):
    """For every district whose count is hidden, at least two values of it remain consistent
    with everything published (the true one among them)."""
    hours = [n * mean_hours for n in counts]
    published = _published(counts, hours)
    hidden = [i for i in range(len(counts)) if published["single"][str(i)][0] is None]
    if not hidden:
        return
    consistent = _consistent(published, len(counts))
    assert len(consistent), "the true counts must themselves be consistent"
    for i in hidden:
        values = set(consistent[:, i].tolist())
        assert counts[i] in values
        assert len(values) >= 2, f"district {i} ({counts[i]}) recovered from {published}"


@settings(max_examples=200, deadline=None)
@given(
    people=st.integers(0, 500),
    hours=st.floats(0.0, 40.0, allow_nan=False).map(lambda h: round(h, 2)),
)
def test_derived_figures_say_nothing_beyond_the_published_count(people, hours):
    """Total hours divided by average hours gives back the published (rounded) count, never
    the exact one; and when the count is hidden, so are both."""
    total = people * hours
    count = privacy.publish_count(people)
    mean = privacy.publish_mean(total, people)
    shown = None if count is None or mean is None else count * mean
    if count is None:
        assert mean is None and shown is None
    elif mean:
        assert shown / mean == pytest.approx(count)
        assert (mean / privacy.MEAN_STEP).is_integer()


def test_the_issue_s_attack_no_longer_works():
    """Tinyton 9 people, Smallville 3, both 14 hours each a week. Before: Tinyton showed 130
    hours and 14.0 (so exactly 9), and Tinyton + Smallville 170 and 14.0 (so 12). Now the
    pair is not a geography a public output may cover, and Tinyton's 10 x 14.0 = 140 hours
    divide back to the published 10, not 9."""
    with pytest.raises(privacy.SubsetOfDistricts):
        privacy.check_public_geography(["Tinyton", "Smallville"])
    mean = privacy.publish_mean(9 * 14.0, 9)
    assert (privacy.publish_count(9), mean, privacy.publish_count(9) * mean) == (10, 14.0, 140.0)


def test_the_briefing_refuses_a_combination_of_districts(mem_con):
    """The facts behind every public output (page, PDF, HTML) check the geography first."""
    import datetime as dt

    from ascdemand.briefing.facts import gather

    with pytest.raises(privacy.SubsetOfDistricts, match="one district at a time"):
        gather(mem_con, dt.date(2021, 10, 31), ["Blaby", "Melton"])


def test_no_peak_is_claimed_when_weeks_since_were_hidden():
    """A district with 0 people at the start of the pandemic, then 1 to 7 (hidden): the old
    briefing printed "Peak since March 2020: 0 (Mar 2020)" beside a hidden "Now"."""
    import datetime as dt

    import polars as pl

    from ascdemand.briefing.facts import _measure

    weeks = [dt.date(2020, 3, 2) + dt.timedelta(weeks=i) for i in range(4)]
    weekly = pl.DataFrame({"week_start": weeks, "homecare_people": [0, None, None, None]})
    m = _measure(
        weekly, "homecare_people", "homecare_people", "People", "people", weeks[-1], weeks[0]
    )
    assert m.now is None and m.peak is None and m.peak_week is None
