"""Nested evaluation: replay the choice at every origin with only the data before it.

At each origin the selection rule looks only at backtest windows whose outcomes were all known
by then, and picks a model; the procedure's forecast from that origin is the picked model's.
Its errors, and every model's, are then scored on what happened after the origin: data the
choice never saw. Those out-of-sample scores are the only accuracy the product reports; the
scores the final choice was made on are shown beside them, labelled as such.

The rule keeps naive unless a choosable candidate's mean absolute scaled error (MASE) over at
least `min_windows` windows is `margin` below naive's on the same windows; among those that
qualify the lowest wins, and any within `TIE` of it go to the simpler (earlier listed) model.
Seasonal models need `SEASONS_TO_CHOOSE` full seasons. Over a panel (many series of one kind)
the comparison can be pooled across the series.

Intervals are split-conformal per horizon step (`calibration`): the half-width at step h is q_h
times naive's error sd measured on recent changes (the yardstick of the origin, never zero
unless the recent history was constant, so a model claiming no spread cannot shrink it), q_h
the conformal quantile of |error| / yardstick over the procedure's own earlier out-of-sample
errors (the last 52 windows, pooled across series for a panel, at a share that adapts to the
misses so far). The errors the choice was made on are never used. Half-widths never narrow
with the step, and a higher level is never narrower than a lower one.
Reference: Tashman (2000), "Out-of-sample tests of forecasting accuracy", IJF 16(4);
Angelopoulos & Bates (2021), "A gentle introduction to conformal prediction".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from ascdemand.models.forecast.backtest import Grid, grid_frame
from ascdemand.models.forecast.calibration import adaptive_quantiles
from ascdemand.models.forecast.catalogue import MODELS, POOLED, SEASONS_TO_CHOOSE, label

__all__ = ["MARGIN", "TIE", "Evaluation", "Rule", "evaluate"]

MARGIN = 0.15  # a candidate must be this much better than naive (chosen on other series)
TIE = 0.01  # ratios this close count as a tie, which the simpler model wins
PROCEDURE = "chosen"


@dataclass(frozen=True, slots=True)
class Rule:
    """The selection rule's settings.

    `margin`: share by which a candidate's MASE must undercut naive's; `min_windows`: fewest
    backtest windows behind a replacement (None: two horizons' worth); `pooled`: compare the
    candidates over all series of a panel together (one choice for all) rather than per series.
    """

    margin: float = MARGIN
    min_windows: int | None = None
    pooled: bool = False

    def windows_needed(self, horizon: int) -> int:
        return 2 * horizon if self.min_windows is None else self.min_windows


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One series' nested evaluation and its forecast from the end.

    `chosen` and `reason`: the model the rule picks at the end and why. `picks`: the model
    picked at every origin (the last is `chosen`). `scores`: one row per model and one for the
    procedure (`chosen`): out-of-sample `mase, smape, vs_naive, coverageL` over `origins`
    origins, and the scores the final choice was made on (`selection_*`). `mean`, `sd` and
    `half_widths` are the forecast from the end.
    """

    chosen: str
    reason: str
    picks: list[str]
    scores: pl.DataFrame
    mean: np.ndarray
    sd: np.ndarray
    half_widths: dict[int, np.ndarray] = field(default_factory=dict)
    backtest: pl.DataFrame | None = None


def _mase_rows(grid: Grid, mean: np.ndarray) -> np.ndarray:
    errors = np.abs(grid.actual - mean)
    complete = np.isfinite(errors).all(axis=1)
    out = np.full(grid.origins.size, np.nan)
    out[complete] = errors[complete].mean(axis=1) / grid.scale[complete]
    return out


def _smape_rows(grid: Grid, mean: np.ndarray) -> np.ndarray:
    a, f = grid.actual, mean
    denominator = np.abs(a) + np.abs(f)
    ratio = np.where(denominator > 0, np.abs(a - f) / np.where(denominator > 0, denominator, 1), 0)
    ratio = np.where(np.isfinite(a) & np.isfinite(f), ratio, np.nan)
    complete = np.isfinite(ratio).all(axis=1)
    out = np.full(grid.origins.size, np.nan)
    out[complete] = 200 * ratio[complete].mean(axis=1)
    return out


def _standardised(grid: Grid, mean: np.ndarray) -> np.ndarray:
    """|actual - mean| / naive's sd; where that sd is 0 (constant history), 0 for an exact
    forecast and infinity otherwise (such rows never calibrate, see `_calibration_scores`)."""
    error = np.abs(grid.actual - mean)
    spread = grid.spread
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(
            spread > 0, error / np.where(spread > 0, spread, 1), np.where(error > 0, np.inf, 0)
        )
    return np.where(np.isfinite(grid.actual) & np.isfinite(mean), z, np.nan)


def _calibration_scores(grid: Grid, z: np.ndarray) -> np.ndarray:
    return np.where(grid.spread > 0, z, np.nan)


def _half_widths(multipliers: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """Interval half-widths: multiplier times yardstick, never narrower than at an earlier
    step (the per-step quantiles are noisy; a later period is not more certain)."""
    return np.maximum.accumulate(multipliers * spread, axis=-1)


def _cumulative(values: np.ndarray) -> np.ndarray:
    """Running totals along the last axis with a leading 0."""
    pad = np.zeros(values.shape[:-1] + (1,))
    return np.concatenate([pad, np.cumsum(values, axis=-1)], axis=-1)


def _selection_ratios(
    grids: Sequence[Grid], mase: dict[str, np.ndarray], name: str, pooled: bool
) -> tuple[np.ndarray, np.ndarray]:
    """MASE of `name` over naive's on the same complete windows, at every row's origin.

    Returns:
        (ratio, windows), each series x rows (the same row repeated over series if pooled).
    """
    complete = grids[0].complete_before()
    both = np.isfinite(mase[name]) & np.isfinite(mase["naive"])
    model = _cumulative(np.where(both, mase[name], 0.0))[:, complete]
    naive = _cumulative(np.where(both, mase["naive"], 0.0))[:, complete]
    count = _cumulative(both.astype(float))[:, complete]
    if pooled:
        model, naive = model.sum(axis=0, keepdims=True), naive.sum(axis=0, keepdims=True)
        count = count.max(axis=0, keepdims=True)
        shape = (len(grids), complete.size)
        model, naive, count = (np.broadcast_to(a, shape) for a in (model, naive, count))
    ratio = np.divide(model, naive, out=np.full(model.shape, np.nan), where=naive > 0)
    return ratio, count


def _choosable_now(grid: Grid, name: str) -> np.ndarray:
    """Rows at whose origin `name` may be chosen: choosable, able to forecast, and seasonal
    models only with three full seasons."""
    rows = grid.origins
    if name == "naive":
        return np.ones(rows.size, dtype=bool)
    model = MODELS.get(name)
    if model is not None and not model.choosable:
        return np.zeros(rows.size, dtype=bool)
    ok = np.isfinite(grid.mean[name]).all(axis=1)
    if model is not None and model.seasonal:
        ok &= rows >= SEASONS_TO_CHOOSE * grid.season_length
    return ok


def _pick(
    grids: Sequence[Grid], candidates: Sequence[str], mase: dict[str, np.ndarray], rule: Rule
) -> tuple[np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """The model picked at every row of every series, and each candidate's ratio to naive."""
    horizon = grids[0].horizon
    s, rows = len(grids), grids[0].origins.size
    best_ratio = np.full((s, rows), np.inf)
    ratios: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    qualified: list[tuple[int, np.ndarray, np.ndarray]] = []
    for i, name in enumerate(candidates):
        if name == "naive":
            continue
        ratio, count = _selection_ratios(grids, mase, name, rule.pooled)
        ratios[name] = (ratio, count)
        now = np.array([_choosable_now(g, name) for g in grids])
        if rule.pooled:
            now = np.broadcast_to(now.all(axis=0, keepdims=True), now.shape)
        ok = now & (count >= rule.windows_needed(horizon)) & (ratio <= 1 - rule.margin)
        qualified.append((i, ok, ratio))
        better = ok & (ratio < best_ratio)
        best_ratio = np.where(better, ratio, best_ratio)
    # ties (within TIE of the best) go to the earliest listed, i.e. the simplest
    chosen = np.zeros((s, rows), dtype=int)
    decided = np.zeros((s, rows), dtype=bool)
    for i, ok, ratio in qualified:
        take = ok & ~decided & (ratio <= best_ratio + TIE)
        chosen = np.where(take, i, chosen)
        decided |= take
    return chosen, ratios


def _reason(
    chosen: str,
    candidates: Sequence[str],
    ratios: dict[str, tuple[np.ndarray, np.ndarray]],
    i: int,
    needed: int,
    margin: float,
    grid: Grid,
) -> str:
    """Why the rule picked `chosen` at the end, in plain words."""
    windows = int(grid.complete_before()[-1])
    if chosen != "naive":
        ratio = ratios[chosen][0][i, -1]
        return (
            f"{label(chosen)}: its errors were {1 - ratio:.0%} smaller than naive's over "
            f"{windows} backtest origins ({margin:.0%} needed to replace naive)."
        )
    if windows < needed:
        return (
            f"{label('naive')}: only {windows} backtest origins so far; another model may "
            f"replace it only after beating it clearly over {needed}."
        )
    shown = [
        (name, ratios[name][0][i, -1])
        for name in candidates
        if name in ratios and np.isfinite(ratios[name][0][i, -1]) and _choosable_now(grid, name)[-1]
    ]
    if not shown:
        return f"{label('naive')}: no other choosable model could be tried on this history."
    name, ratio = min(shown, key=lambda item: item[1])
    verdict = f"{1 - ratio:.0%} better" if ratio < 1 else f"{ratio - 1:.0%} worse"
    return (
        f"{label('naive')}: no model beat it by {margin:.0%} over {windows} backtest origins "
        f"(the best, {label(name)}, was {verdict})."
    )


def _scores_row(
    name: str,
    grid: Grid,
    mean: np.ndarray,
    mase_rows: np.ndarray,
    naive_mase: np.ndarray,
    inside: dict[int, np.ndarray],
    evaluated: np.ndarray,
) -> dict[str, float | int | str]:
    """Out-of-sample scores of one model (or the procedure) of one series."""
    rows = evaluated & np.isfinite(mase_rows) & np.isfinite(naive_mase)
    smape_rows = _smape_rows(grid, mean)
    row: dict[str, float | int | str] = {
        "model": name,
        "origins": int(rows.sum()),
        "mase": float(mase_rows[rows].mean()) if rows.any() else float("nan"),
        "smape": float(smape_rows[rows].mean()) if rows.any() else float("nan"),
        "vs_naive": (
            float(mase_rows[rows].sum() / naive_mase[rows].sum())
            if rows.any() and naive_mase[rows].sum() > 0
            else float("nan")
        ),
    }
    for level, hit in inside.items():
        cells = hit[rows]
        row[f"coverage{level}"] = float(np.mean(cells)) if cells.size else float("nan")
    return row


def evaluate(
    grids: Sequence[Grid],
    *,
    candidates: Sequence[str],
    rule: Rule | None = None,
    levels: Sequence[int] = (80, 95),
    pooled_calibration: bool | None = None,
) -> list[Evaluation]:
    """Nested evaluation of one series or a panel, and each series' calibrated forecast.

    Args:
        grids: One grid per series, all with the same origins (a panel), or just one.
        candidates: Models in tie-break order, naive first; all present in every grid.
        rule: Selection settings (default `Rule()`).
        levels: Interval coverages in percent.
        pooled_calibration: Calibrate on the errors of all series together (default: when
            there is more than one series).

    Returns:
        One `Evaluation` per grid, in order.
    """
    rule = rule or Rule()
    candidates = ["naive", *[c for c in candidates if c != "naive"]]
    pooled_calibration = len(grids) > 1 if pooled_calibration is None else pooled_calibration
    first = grids[0]
    if any(not np.array_equal(g.origins, first.origins) for g in grids):
        raise ValueError("A panel's series must have the same length (the same origins).")
    complete = first.complete_before()
    evaluated = (complete >= 1) & (np.arange(first.origins.size) < first.windows)
    mase = {c: np.array([_mase_rows(g, g.mean[c]) for g in grids]) for c in candidates}
    chosen_index, ratios = _pick(grids, candidates, mase, rule)

    names = list(dict.fromkeys([*candidates, *[n for n in first.mean if n not in candidates]]))
    means = {n: np.array([g.mean[n] for g in grids]) for n in names}
    pick_mean = np.take_along_axis(
        np.array([means[c] for c in candidates]), chosen_index[None, :, :, None], axis=0
    )[0]
    means[PROCEDURE] = pick_mean
    inside: dict[str, dict[int, np.ndarray]] = {}
    quantiles: dict[int, np.ndarray] = {}  # the procedure's half-widths
    for n in [*names, PROCEDURE]:
        z = np.array([_standardised(g, means[n][i]) for i, g in enumerate(grids)])
        cal = np.array([_calibration_scores(g, z[i]) for i, g in enumerate(grids)])
        if pooled_calibration:
            q = {
                lv: np.broadcast_to(adaptive_quantiles(cal, z, complete, lv), z.shape)
                for lv in levels
            }
        else:
            q = {
                lv: np.array(
                    [
                        adaptive_quantiles(cal[i : i + 1], z[i : i + 1], complete, lv)
                        for i in range(len(grids))
                    ]
                )
                for lv in levels
            }
        spread = np.array([g.spread for g in grids])
        error = np.abs(np.array([g.actual for g in grids]) - means[n])
        widths: dict[int, np.ndarray] = {}
        floor: np.ndarray | float = 0.0
        for lv in sorted(levels):  # a higher level is never narrower
            floor = np.maximum(_half_widths(q[lv], spread), floor)
            widths[lv] = floor
        inside[n] = {lv: error <= widths[lv] for lv in levels}
        if n == PROCEDURE:
            quantiles = widths

    needed = rule.windows_needed(first.horizon)
    results = []
    for i, grid in enumerate(grids):
        picks = [candidates[k] for k in chosen_index[i]]
        chosen = picks[-1]
        naive_mase = mase["naive"][i]
        rows = []
        for n in [*names, PROCEDURE]:
            m = means[n][i]
            row = _scores_row(
                n,
                grid,
                m,
                _mase_rows(grid, m),
                naive_mase,
                {lv: inside[n][lv][i] for lv in levels},
                evaluated,
            )
            role = (
                "procedure"
                if n == PROCEDURE
                else ("choosable" if n in candidates and _is_choosable(n) else "benchmark")
            )
            selection = ratios.get(n)
            window_rows = np.arange(grid.origins.size) < complete[-1]
            sel_mase = _mase_rows(grid, m)[window_rows]
            row.update(
                role=role,
                selection_mase=(
                    float(np.nanmean(sel_mase)) if np.isfinite(sel_mase).any() else float("nan")
                ),
                selection_vs_naive=(
                    1.0
                    if n == "naive"
                    else float(selection[0][i, -1])
                    if selection is not None
                    else float("nan")
                ),
                selection_windows=(
                    int(complete[-1])
                    if n == "naive"
                    else int(selection[1][i, -1])
                    if selection is not None
                    else 0
                ),
            )
            if n == PROCEDURE:
                row.update(selection_mase=float("nan"), selection_vs_naive=float("nan"))
            rows.append(row)
        scores = pl.DataFrame(rows).select(
            "model",
            "role",
            "mase",
            "smape",
            "vs_naive",
            *[f"coverage{lv}" for lv in levels],
            "origins",
            "selection_mase",
            "selection_vs_naive",
            "selection_windows",
        )
        final = grid.origins.size - 1
        half = {lv: quantiles[lv][i, final] for lv in levels}
        backtest = grid_frame(grid, names)
        procedure = grid_frame(
            Grid(
                grid.origins,
                grid.horizon,
                grid.season_length,
                grid.actual,
                grid.scale,
                grid.spread,
                {PROCEDURE: means[PROCEDURE][i]},
                {PROCEDURE: grid.spread},
            )
        ).with_columns(
            picked=pl.Series(np.repeat(picks[: grid.windows], grid.horizon), dtype=pl.String),
            **{
                f"{side}_{lv}": pl.Series(
                    (means[PROCEDURE][i] + sign * quantiles[lv][i])[: grid.windows].ravel()
                )
                for lv in levels
                for side, sign in (("lo", -1), ("hi", 1))
            },
        )
        results.append(
            Evaluation(
                chosen=chosen,
                reason=_reason(chosen, candidates, ratios, i, needed, rule.margin, grid),
                picks=picks,
                scores=scores,
                mean=grid.mean[chosen][final],
                sd=grid.sd[chosen][final],
                half_widths=half,
                backtest=pl.concat([backtest, procedure], how="diagonal"),
            )
        )
    return results


def _is_choosable(name: str) -> bool:
    model = MODELS.get(name)
    return model.choosable if model is not None else name == POOLED or name == "arimax"
