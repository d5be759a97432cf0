"""Nested evaluation: the selection rule, calibration, and that the choice at an origin never
sees the data it is scored on."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from ascdemand.models.forecast import calibration, forecast
from ascdemand.models.forecast.backtest import Grid
from ascdemand.models.forecast.calibration import adaptive_quantiles, step_quantiles
from ascdemand.models.forecast.nested import Rule, evaluate

H = 2


def _grid(errors: dict[str, float], *, windows: int = 30, season_length: int = 1) -> Grid:
    """A hand-made grid: the actual is 100 at every step, naive misses by 1, and every other
    model by its factor in `errors` (so its MASE is that factor times naive's)."""
    rows = windows + 1
    origins = np.append(np.arange(20, 20 + windows), 20 + windows + H)
    actual = np.full((rows, H), 100.0)
    actual[-1] = np.nan
    means = {"naive": np.full((rows, H), 101.0)}
    for name, factor in errors.items():
        means[name] = np.full((rows, H), 100.0 + factor)
    return Grid(
        origins=origins,
        horizon=H,
        season_length=season_length,
        actual=actual,
        scale=np.ones(rows),
        spread=np.ones((rows, H)),
        mean=means,
        sd={name: np.ones((rows, H)) for name in means},
    )


def _chosen(errors: dict[str, float], **kwargs) -> str:
    grid = _grid(errors, **{k: v for k, v in kwargs.items() if k != "rule"})
    (ev,) = evaluate([grid], candidates=["naive", *errors], rule=kwargs.get("rule"))
    return ev.chosen


class TestRule:
    def test_a_small_gain_keeps_naive(self):
        """Errors 0.9 x naive's: 10% better, short of the 15% margin."""
        assert _chosen({"ses": 0.9}) == "naive"

    def test_a_clear_gain_replaces_naive(self):
        """Errors 0.8 x naive's over 30 windows (4 needed for a 2-step horizon)."""
        assert _chosen({"ses": 0.8}) == "ses"

    def test_the_margin_is_a_setting(self):
        assert _chosen({"ses": 0.9}, rule=Rule(margin=0.05)) == "ses"

    def test_ties_go_to_the_simpler_model(self):
        """0.80 and 0.795 are within the 0.01 tie: the earlier listed (simpler) wins; 0.70
        beats 0.80 outright."""
        assert _chosen({"ses": 0.80, "theta": 0.795}) == "ses"
        assert _chosen({"ses": 0.80, "theta": 0.70}) == "theta"

    def test_too_few_windows_keep_naive(self):
        """Three complete windows, four needed (two horizons' worth): naive, and the reason
        says so."""
        grid = _grid({"ses": 0.5}, windows=3)
        (ev,) = evaluate([grid], candidates=["naive", "ses"])
        assert ev.chosen == "naive"
        assert "only 3 backtest origins" in ev.reason

    def test_benchmarks_are_never_chosen(self):
        """Drift is scored but not choosable, however good."""
        assert _chosen({"drift": 0.1}) == "naive"

    def test_seasonal_naive_needs_three_seasons(self):
        """Perfect seasonal naive (errors 0) with season 20: the end origin is 52 points, less
        than 3 x 20 = 60, so naive; with season 17 (51 <= 52) it is chosen."""
        assert _chosen({"seasonal_naive": 0.0}, season_length=20) == "naive"
        assert _chosen({"seasonal_naive": 0.0}, season_length=17) == "seasonal_naive"

    def test_pooled_selection_makes_one_choice_for_a_panel(self):
        """One series where ses is 0.7 x naive, another where it is 1.2 x: per series they
        differ; pooled, (0.7 + 1.2) / 2 = 0.95 is not 15% better, so naive for both."""
        grids = [_grid({"ses": 0.7}), _grid({"ses": 1.2})]
        alone = evaluate(grids, candidates=["naive", "ses"])
        assert [ev.chosen for ev in alone] == ["ses", "naive"]
        pooled = evaluate(grids, candidates=["naive", "ses"], rule=Rule(pooled=True))
        assert [ev.chosen for ev in pooled] == ["naive", "naive"]


# A trend for 90 weeks, then flat: a trend model wins the backtest up to the break and is
# wrong after it; the break is the "known way" the future differs from the past.
RNG = np.random.default_rng(16)
T = np.arange(120.0)
BREAK = 90
TREND_THEN_FLAT = np.where(T < BREAK, 100 + 2 * T, 100 + 2 * (BREAK - 1)) + RNG.normal(0, 0.5, 120)


@pytest.fixture(scope="module")
def broken():
    return forecast(TREND_THEN_FLAT, 4)


class TestNestedEvaluation:
    def test_each_origin_is_exactly_a_forecast_from_the_data_before_it(self, broken):
        """The procedure's forecast from origin T (model, mean and intervals) equals a fresh
        forecast of `y[:T]`: the choice and the calibration at T saw nothing after T."""
        rows = broken.backtest.filter(model="chosen")
        for origin in (40, BREAK, BREAK + 3, 110):
            alone = forecast(TREND_THEN_FLAT[:origin], 4)
            replay = rows.filter(origin=origin).sort("step")
            assert replay["picked"][0] == alone.chosen, origin
            for column in ("mean", "lo_80", "hi_80", "lo_95", "hi_95"):
                assert replay[column].to_numpy() == pytest.approx(
                    alone.forecast[column].to_numpy(), rel=1e-12
                ), (origin, column)

    def test_the_break_is_paid_for_out_of_sample(self, broken):
        """Up to the break the trend model is picked on its record; just after it, with no
        complete window past the break, it is still picked and misses: over origins 88-100
        the procedure's mean absolute error exceeds naive's, which selection scores built on
        the whole history could not show."""
        rows = broken.backtest.filter(pl.col("origin").is_between(BREAK - 2, BREAK + 10))
        picked = rows.filter(model="chosen")["picked"].unique().to_list()
        assert picked == ["theta"]
        mae = dict(
            rows.group_by("model").agg((pl.col("actual") - pl.col("mean")).abs().mean()).iter_rows()
        )
        assert mae["chosen"] > 2 * mae["naive"], mae

    def test_the_winners_selection_score_flatters_the_procedure(self, broken):
        """One row per model plus the procedure ("chosen"), which has no selection score. The
        score the final choice was made on (theta's, over every window) is better than what
        choosing at each origin actually achieved out of sample. Scored origins: windows train
        on 6 to 116 points; the first four have no complete window before them: 107."""
        scores = broken.scores
        assert scores["model"].to_list()[-1] == "chosen"
        procedure = scores.filter(model="chosen").row(0, named=True)
        assert np.isnan(procedure["selection_vs_naive"])
        theta = scores.filter(model=broken.chosen).row(0, named=True)
        assert procedure["vs_naive"] > theta["selection_vs_naive"]
        assert procedure["origins"] == 107


class TestOneSeasonOfHistory:
    """Seasonal naive with exactly one season had sd 0: a calibration stretch of 2.4e9 and a
    published 80% interval from 0 to 2.3e10. Fifteen months, season 12, horizon 3."""

    Y = np.array([50.0, 52, 55, 53, 58, 60, 59, 62, 61, 65, 64, 66, 63, 67, 70])

    def test_seasonal_naive_is_never_chosen_and_intervals_stay_sane(self):
        result = forecast(self.Y, 3, season_length=12)
        picked = result.backtest.filter(model="chosen")["picked"].unique().to_list()
        assert "seasonal_naive" not in picked + [result.chosen]
        width = (result.forecast["hi_80"] - result.forecast["lo_80"]).max()
        assert 0 < width < 3 * np.ptp(self.Y), width

    def test_its_spread_is_naive_spread_at_one_season(self):
        rows = forecast(self.Y, 3, season_length=12).backtest.filter(origin=12)
        seasonal = rows.filter(model="seasonal_naive").sort("step")["sd"].to_numpy()
        naive = rows.filter(model="naive").sort("step")["sd"].to_numpy()
        assert seasonal == pytest.approx(naive)
        assert (seasonal > 0).all()


class TestCalibration:
    def test_step_quantiles_hand_worked(self):
        """Scores 1..9 at step 1 and 2..18 at step 2, share 0.8: ceil(10 x 0.8) = 8th
        smallest, 8 and 16."""
        scores = np.column_stack([np.arange(1.0, 10), 2 * np.arange(1.0, 10)])
        assert step_quantiles(scores, 0.8, 80).tolist() == [8.0, 16.0]

    def test_too_few_scores_never_narrower_than_the_largest(self):
        """Two scores (1 and 3) at 80%: too few for a rank, so the wider of the Gaussian
        quantile (1.28) and the largest score, 3."""
        assert step_quantiles(np.array([[1.0], [3.0]]), 0.8, 80).tolist() == [3.0]

    def test_adapting_to_misses_keeps_coverage_through_changes_of_regime(self, monkeypatch):
        """Errors whose scale switches between 1 and 4 every 40 windows (seeded): quantiles of
        the recent errors alone cover 76% at 80%; adapting the share to the misses, 79%."""
        rng = np.random.default_rng(3)
        n = 400
        scale = np.where((np.arange(n) // 40) % 2 == 0, 1.0, 4.0)
        scores = (np.abs(rng.normal(0, 1, n)) * scale)[None, :, None]
        complete = np.arange(n)  # row r sees the r windows before it

        def covered(rate: float) -> float:
            monkeypatch.setattr(calibration, "ADAPT_RATE", rate)
            q = adaptive_quantiles(scores, scores, complete, 80)[:, 0]
            return float((scores[0, 20:, 0] <= q[20:]).mean())

        fixed, adaptive = covered(0.0), covered(0.03)
        assert fixed < 0.77 < 0.78 < adaptive < 0.82, (fixed, adaptive)


def test_hand_worked_forecast_interval():
    """Naive, one step ahead on 100, 102, 100, 102, 100, 102, 100, 102, 100, 106.

    Windows train on 6 to 9 points; their errors over the yardstick (RMS of the recent
    changes, all 2 by then) are 1, 1, 1 and then 6 / 2 = 3. The first three fell inside their
    (Gaussian) intervals and the last did not, so the share taken ends at
    0.8 + 0.03 x (1 - 0.2) - 3 x 0.03 x 0.2 = 0.806; with four scores the rank is
    ceil(5 x 0.806) = 5, capped at 4: the largest, 3. At 95% four scores are too few, so the
    largest, 3, again. The yardstick at the end is sqrt((8 x 4 + 36) / 9) = 2.7487, so both
    intervals are 106 +- 8.2462 = 97.7538 to 114.2462.
    """
    y = np.array([100, 102, 100, 102, 100, 102, 100, 102, 100, 106], dtype=float)
    result = forecast(y, 1, candidates=("naive",))
    row = result.forecast.row(0, named=True)
    assert row["mean"] == 106.0
    for level in (80, 95):
        assert row[f"lo_{level}"] == pytest.approx(97.753788, abs=1e-6)
        assert row[f"hi_{level}"] == pytest.approx(114.246212, abs=1e-6)
