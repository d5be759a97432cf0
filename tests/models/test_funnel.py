"""Funnel-plot limits for proportions, worked by hand."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ascdemand.models.funnel import funnel, funnel_limits


def test_limits_at_one_volume_by_hand():
    """Rate 0.1, n = 100: standard error sqrt(0.1 × 0.9 / 100) = 0.03; 95% limits
    0.1 ± 1.96 × 0.03 = 0.0412 to 0.1588; 99.8% limits 0.1 ± 3.09 × 0.03 = 0.0073 to 0.1927."""
    limits = funnel_limits(0.1, np.array([100]))
    assert limits["lo_95"][0] == pytest.approx(0.04120, abs=1e-4)
    assert limits["hi_95"][0] == pytest.approx(0.15880, abs=1e-4)
    assert limits["lo_998"][0] == pytest.approx(0.00729, abs=1e-4)
    assert limits["hi_998"][0] == pytest.approx(0.19271, abs=1e-4)


def test_limits_narrow_with_volume_and_stay_within_zero_and_one():
    limits = funnel_limits(0.02, np.array([10, 100, 10_000]))
    widths = limits["hi_95"] - limits["lo_95"]
    assert list(widths) == sorted(widths, reverse=True)
    assert limits["lo_998"][0] == 0.0


def test_pooled_rate_and_positions():
    """Boards: A 10/100, B 30/100, C 60/1000 -> pooled 100/1200 = 0.0833. At n = 100 the
    standard error is sqrt(0.0833 × 0.9167 / 100) = 0.02764, so the 99.8% upper limit is
    0.0833 + 3.09 × 0.02764 = 0.1687: B (0.30) is above it, A (0.10) is within the 95% limits
    (upper 0.0833 + 1.96 × 0.02764 = 0.1375). At n = 1000, C (0.06) is below the 95% lower
    limit 0.0833 - 1.96 × 0.00874 = 0.0662 but above the 99.8% one (0.0563)."""
    frame = pl.DataFrame({"org": ["A", "B", "C"], "p3": [10, 30, 60], "all": [100, 100, 1000]})
    rate, shown = funnel(frame, "p3", "all")
    assert rate == pytest.approx(100 / 1200)
    assert shown["position"].to_list() == ["within", "above_998", "below_95"]
    assert shown["hi_998"][1] == pytest.approx(0.1687, abs=1e-4)
