"""The outturn forecast's track record and the year-end range it gives, worked by hand."""

from __future__ import annotations

import polars as pl
import pytest

from ascdemand.models.budget.track_record import outturn_range, range_coverage, record_by_period


def _record(errors: dict[tuple[str, int], float], outturn: float = 0.0) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"year": y, "period": p, "forecast": outturn + e, "outturn": outturn, "error": e}
            for (y, p), e in errors.items()
        ]
    )


def test_range_from_the_errors_near_the_period():
    """Errors +2, -1 (period 3), +4 (period 4), 0 (period 5); forecast 13 at period 4: the
    absolute errors 0, 1, 2, 4 have an 80% quantile of 2 + 0.4 x 2 = 2.8 -> 10.2 to 15.8.
    Period 7's error (9) is too far from period 4 to count."""
    record = _record({("a", 3): 2, ("b", 3): -1, ("a", 4): 4, ("b", 5): 0, ("a", 7): 9})
    found = outturn_range(13.0, 4, record)
    assert (found.low, found.high) == (pytest.approx(10.2), pytest.approx(15.8))
    assert found.errors == 4 and found.years == ("a", "b")


def test_no_range_without_enough_history_or_at_year_end():
    record = _record({("a", 3): 2, ("a", 4): 1})
    assert outturn_range(13.0, 4, record) is None
    assert outturn_range(13.0, 12, _record({("a", 11): 1, ("b", 11): 1, ("c", 11): 1})) is None


def test_coverage_is_judged_on_years_the_range_never_saw():
    """Year a's errors are all 1 and year b's all 10: a's forecasts (off by 1) fall inside
    ranges built from b (half-width 10), but b's (off by 10) fall outside ranges built from
    a (half-width 1). Judged out of sample, half the forecasts are covered; in sample they
    would all be."""
    errors = {(y, p): (1.0 if y == "a" else 10.0) for y in ("a", "b") for p in range(1, 12)}
    assert range_coverage(_record(errors)) == pytest.approx(0.5)


def test_summary_by_period():
    record = _record({("a", 1): 3, ("b", 1): -1, ("a", 2): 2})
    summary = record_by_period(record).rows(named=True)
    assert summary[0] == {"period": 1, "typical_error": 2.0, "largest_error": 3.0, "years": 2}
