"""Small-number disclosure control for anything shown to a public audience.

The rules follow NHS statistical practice (BRIEF.md, "Disclosure control"): counts of 1 to 7
people are suppressed (`*`), other counts are rounded to the nearest 5, 0 stays 0, percentages
are worked out from the rounded counts, averages over fewer than 8 people are suppressed, and
further cells are suppressed (secondary suppression) until no suppressed cell can be worked out
from the published totals. Money and rates over large populations are left alone.

In the numeric form a suppressed cell is null; `display_table` turns nulls into `*`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from ascdemand.store.contract import EXTRACT_TABLES

__all__ = [
    "MIN_PUBLISHED",
    "ROUND_TO",
    "SUPPRESSED",
    "PUBLIC_GEOGRAPHY_NOTE",
    "PersonLevelData",
    "SubsetOfDistricts",
    "check_public_geography",
    "publish_mean",
    "protect_column",
    "assert_aggregate",
    "display_table",
    "format_count",
    "protect_counts",
    "publish_average",
    "publish_count",
    "publish_percent",
    "publishable",
    "suppression_pattern",
    "with_totals",
]

SUPPRESSED = "*"
MIN_PUBLISHED = 8
"""Counts of 1 to MIN_PUBLISHED - 1 people are suppressed; so are averages over fewer people."""
ROUND_TO = 5

# Columns that identify a person or a single record: a frame holding one of them is person-level.
_RECORD_COLUMNS = frozenset(
    {c.name for t in EXTRACT_TABLES.values() for c in t.columns if c.person_id}
    | {"package_id", "discharge_id", "placement_id", "person_name", "nhs_number"}
)


class PersonLevelData(ValueError):
    """A frame with person-level or record-level identifiers was about to be published."""


def assert_aggregate(frame: pl.DataFrame) -> None:
    """Refuse a frame that holds person-level rows (it carries a person or record identifier).

    Raises:
        PersonLevelData: A column such as `person_id` or `package_id` is present.
    """
    found = sorted(_RECORD_COLUMNS.intersection(frame.columns))
    if found:
        raise PersonLevelData(
            f"Refusing to publish person-level rows (identifier columns: {', '.join(found)})."
        )


def publish_count(n: float | None) -> int | None:
    """The published form of one count of people: None (suppressed) for 1-7, else nearest 5.

    Args:
        n: An exact count (a whole number; None means missing and stays None).

    Returns:
        0 for 0; None for 1 to 7 or a missing value; otherwise `n` rounded to the nearest 5.
    """
    if n is None:
        return None
    exact = int(round(n))
    if exact < 0:
        raise ValueError(f"A count of people cannot be negative: {n}")
    if exact == 0:
        return 0
    if exact < MIN_PUBLISHED:
        return None
    return ROUND_TO * ((exact + ROUND_TO // 2) // ROUND_TO)


def publish_percent(
    numerator: float | None, denominator: float | None, *, digits: int = 0
) -> float | None:
    """A percentage worked out from the published (rounded) counts, never from the exact ones.

    Returns None when either count is suppressed or the published denominator is 0.
    """
    num, den = publish_count(numerator), publish_count(denominator)
    if num is None or den is None or den == 0:
        return None
    return round(100.0 * num / den, digits)


MEAN_STEP = 0.5
"""Published averages per person are rounded to this step (hours a week)."""


PUBLIC_GEOGRAPHY_NOTE = (
    "The committee briefing covers the whole council or one district at a time: figures "
    "published for other combinations of districts could be subtracted from each other to "
    "reveal the small numbers that are hidden. Choose one district in the sidebar, or none for "
    "the whole council."
)


class SubsetOfDistricts(ValueError):
    """A public output was asked for a combination of districts (see `check_public_geography`)."""


def check_public_geography(districts: Sequence[str]) -> None:
    """Public outputs cover fixed geographies only: the whole council or one district.

    Figures published for overlapping sets of districts (A, then A and B) can be subtracted
    from each other to reveal a count that both roundings hid; with fixed geographies every
    published cell belongs to one table whose secondary suppression already accounts for the
    totals.

    Raises:
        SubsetOfDistricts: More than one district was chosen.
    """
    if len(districts) > 1:
        raise SubsetOfDistricts(PUBLIC_GEOGRAPHY_NOTE)


def publish_mean(total: float | None, people: float | None) -> float | None:
    """An average per person (e.g. hours a week), published only over 8 or more people and
    rounded to `MEAN_STEP`, so that it cannot be divided into a published total to recover an
    exact count."""
    if publish_average(total, people) is None or not people:
        return None
    return MEAN_STEP * round(total / people / MEAN_STEP)


def publish_average(value: float | None, people: float | None) -> float | None:
    """An average (or any amount summed over people) is shown only when it covers 8 or more."""
    if value is None or people is None or people < MIN_PUBLISHED:
        return None
    return value


def format_count(value: int | None, *, thousands: bool = True) -> str:
    """Text for a published count: `*` when suppressed, else the number (with commas)."""
    if value is None:
        return SUPPRESSED
    return f"{value:,}" if thousands else str(value)


def with_totals(
    frame: pl.DataFrame,
    count_columns: Sequence[str],
    *,
    label_column: str,
    total_label: str = "Total",
    total_column: str | None = "Total",
) -> pl.DataFrame:
    """Append a total row (last) and, if `total_column` is given, a row-total column.

    Returns:
        The frame with exact totals, ready for `protect_counts(..., total_row=-1)`.
    """
    out = frame
    cols = list(count_columns)
    if total_column is not None:
        out = out.with_columns(pl.sum_horizontal(cols).alias(total_column))
        cols.append(total_column)
    sums = out.select(pl.col(c).sum() for c in cols)
    total = sums.with_columns(pl.lit(total_label).alias(label_column))
    missing = [c for c in out.columns if c not in total.columns]
    total = total.with_columns(pl.lit(None).alias(c) for c in missing).select(out.columns)
    return pl.concat([out, total.cast(out.schema)], how="vertical")


def _lines(
    n_rows: int, n_cols: int, total_row: int | None, total_col: int | None
) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Every additive relation of the table: (the cells of a line, the cell holding its total)."""
    lines = []
    body_rows = [r for r in range(n_rows) if r != total_row]
    body_cols = [c for c in range(n_cols) if c != total_col]
    if total_col is not None:
        for r in range(n_rows):
            lines.append(([(r, c) for c in body_cols], (r, total_col)))
    if total_row is not None:
        for c in range(n_cols):
            lines.append(([(r, c) for r in body_rows], (total_row, c)))
    return lines


def _derivable(
    hidden: np.ndarray, lines: list[tuple[list[tuple[int, int]], tuple[int, int]]]
) -> list[tuple[int, int]]:
    """Hidden cells whose value follows exactly from the published cells and the totals.

    Each line gives `sum(cells) - total = 0`; with the published cells moved to the right-hand
    side, a hidden cell is determined exactly when its unit vector lies in the row space of the
    coefficients of the hidden cells, i.e. when every null-space vector is 0 at that cell.
    """
    unknown = [tuple(map(int, rc)) for rc in np.argwhere(hidden)]
    if not unknown or not lines:
        return []
    index = {rc: k for k, rc in enumerate(unknown)}
    rows = []
    for cells, total in lines:
        coef = np.zeros(len(unknown))
        for rc in cells:
            if rc in index:
                coef[index[rc]] = 1.0
        if total in index:
            coef[index[total]] = -1.0
        if coef.any():
            rows.append(coef)
    if not rows:
        return []
    a = np.vstack(rows)
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9 * max(1.0, s[0])).sum())
    null = vt[rank:].T  # columns span the null space
    if null.shape[1] == 0:
        return unknown
    return [rc for rc, k in index.items() if np.all(np.abs(null[k]) < 1e-9)]


def _protections(
    exposed: tuple[int, int],
    hidden: np.ndarray,
    values: np.ndarray,
    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]],
) -> list[frozenset[tuple[int, int]]]:
    """Sets of published non-zero cells whose suppression may hide `exposed`: one more cell in
    its row or column, or the rest of a rectangle through it (a cycle that no sum can undo)."""
    r, c = exposed
    n_rows, n_cols = values.shape

    def hideable(rc: tuple[int, int]) -> bool:
        return bool(values[rc] > 0)

    options: set[frozenset[tuple[int, int]]] = set()
    for cells, total in lines:
        if exposed in cells or exposed == total:
            options.update(
                frozenset([rc]) for rc in [*cells, total] if not hidden[rc] and hideable(rc)
            )
    for r2 in range(n_rows):
        for c2 in range(n_cols):
            if r2 == r or c2 == c:
                continue
            corners = [(r, c2), (r2, c), (r2, c2)]
            need = frozenset(rc for rc in corners if not hidden[rc])
            if need and all(hideable(rc) for rc in corners):
                options.add(need)
    return list(options)


def _published_low(value: float) -> float:
    """The least a published cell's exact count can be: 0 stays 0; a rounded count P came from
    P - 2 or more, and from 8 or more."""
    shown = publish_count(value) or 0
    return 0.0 if shown == 0 else float(max(shown - ROUND_TO // 2, MIN_PUBLISHED))


def _pinned_line(
    hidden: np.ndarray,
    values: np.ndarray,
    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]],
) -> tuple[list[tuple[int, int]], tuple[int, int]] | None:
    """A line whose published total leaves its hidden cells no room: the most they can add up
    to (the total's upper bound less the published cells' lower bounds) is no more than one
    each, so every hidden cell must be exactly 1. Rounding alone cannot stop this; hiding one
    more cell of the line does."""
    for cells, total in lines:
        if hidden[total]:
            continue
        inside = [rc for rc in cells if hidden[rc]]
        if not inside:
            continue
        shown_total = publish_count(values[total]) or 0
        most = (
            shown_total
            + ROUND_TO // 2
            - sum(_published_low(values[rc]) for rc in cells if not hidden[rc])
        )
        if most <= len(inside):
            return cells, total
    return None


def _cheapest(
    line: tuple[list[tuple[int, int]], tuple[int, int]], hidden: np.ndarray, values: np.ndarray
) -> tuple[int, int]:
    """The published cell of `line` whose hiding loses least: the smallest non-zero body cell,
    else the total."""
    cells, total = line
    body = [rc for rc in cells if not hidden[rc] and values[rc] > 0]
    return min(body, key=lambda rc: values[rc]) if body else total


def protect_column(counts: Sequence[float]) -> list[int | None]:
    """Publish one column of counts (e.g. each district's) with its total appended last, so
    every geography shows the same value for the same cell wherever it appears."""
    exact = np.append(np.asarray(counts, dtype=float), float(np.sum(counts))).reshape(-1, 1)
    hidden = suppression_pattern(exact, total_row=-1)[:, 0]
    return [None if h else publish_count(v) for v, h in zip(exact[:, 0], hidden, strict=True)]


def suppression_pattern(
    counts: np.ndarray, *, total_row: int | None = None, total_col: int | None = None
) -> np.ndarray:
    """Which cells of a count table to suppress, primary and secondary.

    Primary: cells of 1 to 7. Secondary: while some suppressed cell can be worked out from the
    published cells and totals, also suppress the cheapest set of published non-zero cells that
    hides it (another cell in its row or column, or the rest of a rectangle through it), cheapest
    meaning fewest totals, then the smallest sum: the least information lost. Hiding more cells
    never exposes a hidden one, so each step is final and the loop ends.

    Args:
        counts: Exact counts (rows x columns), totals included where they exist.
        total_row: Index of the row holding column totals, if any.
        total_col: Index of the column holding row totals, if any.

    Returns:
        A boolean array the shape of `counts`, True where the cell is suppressed.
    """
    values = np.asarray(counts, dtype=float)
    n_rows, n_cols = values.shape
    if total_row is not None:
        total_row %= n_rows
    if total_col is not None:
        total_col %= n_cols
    hidden = (values > 0) & (values < MIN_PUBLISHED)
    lines = _lines(n_rows, n_cols, total_row, total_col)

    def cost(option: frozenset[tuple[int, int]]) -> tuple[int, float, list[tuple[int, int]]]:
        totals = sum(rc[0] == total_row or rc[1] == total_col for rc in option)
        return totals, float(sum(values[rc] for rc in option)), sorted(option)

    while True:
        exposed = _derivable(hidden, lines)
        if not exposed:
            pinned = _pinned_line(hidden, values, lines)
            if pinned is None:
                return hidden
            hidden[_cheapest(pinned, hidden, values)] = True
            continue
        target = exposed[0]
        for option in sorted(_protections(target, hidden, values, lines), key=cost):
            trial = hidden.copy()
            for rc in option:
                trial[rc] = True
            if target not in _derivable(trial, lines):
                hidden = trial
                break
        else:
            rest = np.argwhere((values > 0) & ~hidden)
            if rest.size == 0:
                return hidden  # everything non-zero is hidden: the totals were not true sums
            hidden[tuple(rest[np.argmin(values[tuple(rest.T)])])] = True


def protect_counts(
    frame: pl.DataFrame,
    count_columns: Sequence[str],
    *,
    total_column: str | None = None,
    total_row: int | None = None,
    averages: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Apply disclosure control to a table of counts, keeping numbers numeric.

    Args:
        frame: An aggregate table (no person-level identifiers).
        count_columns: Columns holding exact counts of people (the table body).
        total_column: A column holding each row's total of `count_columns`, if any.
        total_row: Index of a row holding each column's total (e.g. -1 for the last), if any.
        averages: Average columns mapped to the column counting the people they cover;
            averages over fewer than 8 people become null.

    Returns:
        The frame with counts rounded to the nearest 5 as Int64 and suppressed cells null.

    Raises:
        PersonLevelData: The frame has person-level identifiers.
    """
    assert_aggregate(frame)
    cols = list(count_columns) + ([total_column] if total_column else [])
    out = frame
    if averages:
        out = out.with_columns(
            pl.when(pl.col(people) >= MIN_PUBLISHED).then(pl.col(avg)).otherwise(None).alias(avg)
            for avg, people in averages.items()
        )
    if not cols or frame.height == 0:
        return out.with_columns(pl.col(c).cast(pl.Int64) for c in cols)
    exact = out.select(pl.col(c).cast(pl.Float64).fill_null(0.0) for c in cols).to_numpy()
    hidden = suppression_pattern(
        exact,
        total_row=total_row,
        total_col=len(cols) - 1 if total_column else None,
    )
    published = {
        c: [None if hidden[i, j] else publish_count(exact[i, j]) for i in range(frame.height)]
        for j, c in enumerate(cols)
    }
    null_in = {c: out[c].is_null().to_list() for c in cols}
    return out.with_columns(
        pl.Series(
            c,
            [None if n else v for v, n in zip(published[c], null_in[c], strict=True)],
            dtype=pl.Int64,
        )
        for c in cols
    )


def display_table(frame: pl.DataFrame, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """Turn a protected numeric table into text for print or download: null counts become `*`.

    Args:
        frame: Output of `protect_counts`.
        columns: The columns to render (default: every integer column).
    """
    cols = (
        columns if columns is not None else [c for c, t in frame.schema.items() if t.is_integer()]
    )
    return frame.with_columns(
        pl.col(c).cast(pl.String).fill_null(SUPPRESSED).alias(c) for c in cols
    )


def publishable(
    frame: pl.DataFrame,
    *,
    count_columns: Sequence[str] | None = None,
    total_column: str | None = None,
    total_row: int | None = None,
    averages: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """Make any aggregate table safe for a public audience, ready to print or download.

    By default every integer column is treated as a count of people; pass `count_columns`
    when some integer columns are not (years, periods) or some float columns are counts.

    Raises:
        PersonLevelData: The frame has person-level identifiers.
    """
    assert_aggregate(frame)
    if count_columns is None:
        count_columns = [
            c
            for c, t in frame.schema.items()
            if t.is_integer() and c != total_column and c not in {"financial_year", "period"}
        ]
    protected = protect_counts(
        frame, count_columns, total_column=total_column, total_row=total_row, averages=averages
    )
    shown = list(count_columns) + ([total_column] if total_column else [])
    return display_table(protected, shown)
