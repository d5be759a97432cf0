"""Checking an extract against the data contract before anything is written.

Every check is a vectorised polars filter, so a million-row file is checked in about a second,
and every problem is counted; the first `MAX_SHOWN` (by row) are kept with file, row, column and
a plain-English message. Row numbers are the ones a spreadsheet shows when it opens the file
(a CSV's header = row 1, its first record = row 2; a quoted value holding line breaks is still one
row); `Problem.line` adds the line of the file where a CSV row starts elsewhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ascdemand.profile.districts import canonical_districts, closest
from ascdemand.store.contract import Column, Table

MAX_SHOWN = 200
ROW = "__row__"
EARLIEST_DATE = dt.date(1950, 1, 1)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MAX_EXCEL_SERIAL = 2_958_465  # 31 December 9999
_DATE_LIKE = r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/-]\d{1,2}[/-]\d{4})$"
_FORMULA_START = r"^[=+\-@\t\r]"
_FINANCIAL_YEAR = r"^(\d{4})[/-](\d{2}|\d{4})$"
_MAX_VALUE_SHOWN = 40
# The longest text a column may hold, in characters: identifiers, districts and trust codes
# are short, a provider's name or a reason a sentence at most. A longer value is a problem on
# its row (it would break the committee pack's tables and is never a real name). Columns with
# allowed values, and the financial year, are held to their own spellings instead.
MAX_TEXT = {"provider": 200, "reason": 200}
DEFAULT_MAX_TEXT = 100
_POLARS_TYPES = {"text": pl.String, "date": pl.Date, "number": pl.Float64, "integer": pl.Int32}


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding in an extract: where it is (file, row, column) and what is wrong.

    `row` is the row a spreadsheet shows; `line` is the line of the file where that row
    starts, set only for a CSV in which an earlier quoted value holds line breaks.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    kind: str = "other"
    line: int | None = None

    def __str__(self) -> str:
        place = [self.file]
        if self.row is not None:
            line = f" (line {self.line} of the file)" if self.line not in (None, self.row) else ""
            place.append(f"row {self.row}{line}")
        if self.column is not None:
            place.append(f"column {self.column}")
        return ", ".join(place) + ": " + self.message


@dataclass(frozen=True, slots=True)
class Validation:
    """The outcome of validating one extract.

    `frame` holds the contract's columns, typed and cleaned, plus the row-number column `ROW`;
    it is only fit to load when `ok`. `problems` lists the first `MAX_SHOWN` problems by row,
    `total` and `counts` (per kind) count all of them; `notes` are findings that do not stop
    the load (ignored columns, formula-like text, overlapping packages); `invalid_rows` holds the
    row of every problem found in a data row, all of them, so a caller can set those rows aside.
    """

    frame: pl.DataFrame
    problems: tuple[Problem, ...]
    total: int
    counts: dict[str, int]
    notes: tuple[Problem, ...] = field(default=())
    invalid_rows: pl.Series = field(default_factory=lambda: pl.Series(ROW, [], pl.Int64))

    @property
    def ok(self) -> bool:
        return self.total == 0


def normalise_header(name: str) -> str:
    """`' Start Date '` -> `'start_date'`: lower case, runs of other characters become `_`."""
    return re.sub(r"[^0-9a-z]+", "_", str(name).replace("\ufeff", "").strip().lower()).strip("_")


def text_limit(column: Column) -> int | None:
    """The most characters a value of `column` may have; None where its values are held to
    a list (allowed values) or a pattern (financial year) instead."""
    if column.type != "text" or column.allowed is not None or column.name == "financial_year":
        return None
    return MAX_TEXT.get(column.name, DEFAULT_MAX_TEXT)


def _canonical(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", value.strip().lower())


def _show(value: Any) -> str:
    text = str(value)
    if len(text) > _MAX_VALUE_SHOWN:
        text = text[: _MAX_VALUE_SHOWN - 3] + "..."
    return repr(text) if isinstance(value, str) else text


class _Findings:
    """Collects problems (kept up to `MAX_SHOWN` per check, all counted) and notes."""

    def __init__(self, file_name: str) -> None:
        self.file = file_name
        self.kept: list[Problem] = []
        self.counts: Counter[str] = Counter()
        self.notes: list[Problem] = []
        self.bad_rows: list[pl.Series] = []

    def add(self, kind: str, row: int | None, column: str | None, message: str) -> None:
        self.counts[kind] += 1
        self.kept.append(Problem(self.file, row, column, message, kind))

    def rows(
        self,
        kind: str,
        column: str | None,
        bad: pl.DataFrame,
        message: Callable[[dict[str, Any]], str],
    ) -> None:
        if bad.height == 0:
            return
        self.counts[kind] += bad.height
        self.bad_rows.append(bad[ROW])
        for rec in bad.head(MAX_SHOWN).iter_rows(named=True):
            self.kept.append(Problem(self.file, rec[ROW], column, message(rec), kind))

    def note(self, row: int | None, column: str | None, message: str) -> None:
        self.notes.append(Problem(self.file, row, column, message, "note"))


def _clean_text(expr: pl.Expr) -> pl.Expr:
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_chars() > 0).then(text)


def _raw_value(column: Column, dtype: pl.DataType) -> pl.Expr:
    """The value as the file gave it: trimmed text (blank -> null) for text, else as typed.

    Typed columns (dates, numbers from Parquet or the demo) are not turned into text; that
    would cost more than everything else the validator does with them.
    """
    if column.type == "text" or dtype == pl.String:
        return _clean_text(pl.col(column.name))
    return pl.col(column.name)


def _apply(series: pl.Series, expr: Callable[[pl.Expr], pl.Expr]) -> pl.Series:
    """Evaluate an expression over one series (column `v`)."""
    return pl.DataFrame({"v": series}).select(expr(pl.col("v"))).to_series()


def _from_excel_serial(serial: pl.Expr) -> pl.Expr:
    whole = (serial >= 1) & (serial <= _MAX_EXCEL_SERIAL) & (serial == serial.floor())
    return pl.when(whole).then(
        pl.lit(_EXCEL_EPOCH) + pl.duration(days=serial.cast(pl.Int64, strict=False))
    )


def _any_date_format(text: pl.Expr) -> pl.Expr:
    text = text.str.replace(r"^(\d{4}-\d{1,2}-\d{1,2})[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "${1}")
    serial = pl.when(text.str.contains(r"^\d{1,7}(\.0+)?$")).then(
        text.cast(pl.Float64, strict=False)
    )
    return pl.coalesce(
        text.str.to_date("%Y-%m-%d", strict=False),
        text.str.to_date("%d/%m/%Y", strict=False),
        text.str.to_date("%d-%m-%Y", strict=False),
        _from_excel_serial(serial),
    )


def _parse_date(original: pl.Series, text: pl.Series) -> pl.Series:
    """Dates as ISO, dd/mm/yyyy, dd-mm-yyyy or Excel serial numbers; impossible dates -> null.

    A column that is all ISO dates (the usual case) is parsed once, without the fallbacks.
    """
    dtype = original.dtype
    if dtype == pl.Date:
        return original
    if isinstance(dtype, pl.Datetime):
        return original.dt.date()
    if dtype.is_numeric():
        return _apply(original, lambda v: _from_excel_serial(v.cast(pl.Float64)))
    iso = text.str.to_date("%Y-%m-%d", strict=False)
    if iso.null_count() == text.null_count():
        return iso
    return _apply(text, _any_date_format)


def _parse_number(original: pl.Series, text: pl.Series) -> pl.Series:
    """Numbers, tolerating `£`, thousands separators and spaces; NaN and infinity -> null."""
    if original.dtype.is_numeric():
        number = original.cast(pl.Float64)
    else:
        number = text.cast(pl.Float64, strict=False)
        if number.null_count() != text.null_count():
            number = text.str.replace_all(r"[£,\s]", "").cast(pl.Float64, strict=False)
    return _apply(number, lambda v: pl.when(v.is_finite()).then(v))


def _allowed_value(column: Column, text: pl.Series) -> pl.Series:
    """Allowed values, matched ignoring case, spaces and hyphens (`Supported Living`)."""
    allowed = list(column.allowed or ())
    if text.is_in(allowed).fill_null(True).all():
        return text
    mapping = {_canonical(v): v for v in allowed}
    return _apply(
        text,
        lambda v: (
            v.str.to_lowercase()
            .str.replace_all(r"[\s\-]+", "_")
            .replace_strict(mapping, default=None, return_dtype=pl.String)
        ),
    )


def _financial_year(expr: pl.Expr) -> pl.Expr:
    """`2021/22`, `2021-22` or `2021/2022` -> `2021/22` when the years follow on; else null."""
    first = expr.str.extract(_FINANCIAL_YEAR, 1).cast(pl.Int32, strict=False)
    second = expr.str.extract(_FINANCIAL_YEAR, 2).cast(pl.Int32, strict=False)
    follows = (second == (first + 1) % 100) | (second == first + 1)
    return pl.when(follows).then(
        pl.format("{}/{}", first, ((first + 1) % 100).cast(pl.String).str.zfill(2))
    )


def _typed_column(column: Column, original: pl.Series, text: pl.Series) -> pl.Series:
    """The column's values in its contract type; null where the text does not parse."""
    if column.type == "date":
        typed = _parse_date(original, text)
    elif column.type in ("number", "integer"):
        typed = _parse_number(original, text)
    elif column.allowed is not None:
        typed = _allowed_value(column, text)
    elif column.name == "financial_year":
        typed = _apply(text, _financial_year)
    else:
        typed = text
    return typed.alias(column.name)


def _check_headers(
    frame: pl.DataFrame, table: Table, findings: _Findings, header_row: int | None
) -> tuple[pl.DataFrame, list[Column]]:
    """Rename headers to contract names; report missing and duplicate columns, note extras."""
    originals = [c for c in frame.columns if c != ROW]
    names = [normalise_header(c) for c in originals]
    seen: Counter[str] = Counter(names)
    for name, count in seen.items():
        if count > 1 and name in table.column_names:
            findings.add(
                "duplicate column",
                header_row,
                name,
                f"the column {name} appears {count} times in the header",
            )
    keep: dict[str, str] = {}
    for original, name in zip(originals, names, strict=True):
        if name in table.column_names and name not in keep.values():
            keep[original] = name
        elif name not in table.column_names:
            label = original.strip() or "(blank)"
            findings.note(header_row, label, "unknown column, ignored")
    frame = frame.select([pl.col(o).alias(n) for o, n in keep.items()] + [pl.col(ROW)])
    present = []
    for column in table.columns:
        if column.name in frame.columns:
            present.append(column)
        elif column.required:
            findings.add(
                "missing column",
                header_row,
                column.name,
                f"required column {column.name} is missing",
            )
    return frame, present


def _check_values(
    typed: pl.DataFrame,
    present: list[Column],
    findings: _Findings,
    as_at: dt.date,
) -> None:
    """Blank, wrong-type, not-allowed, out-of-range and out-of-period values, column by column."""
    for column in present:
        name, raw = column.name, f"{column.name}__raw"
        value = pl.col(name)
        shown = "a value" if column.person_id else None

        def says(
            rec: dict[str, Any], text: str, _shown: str | None = shown, _raw: str = raw
        ) -> str:
            return text.format(v=_shown or _show(rec[_raw]))

        if not column.nullable:
            findings.rows(
                "blank value",
                name,
                typed.filter(pl.col(raw).is_null()).select(ROW),
                lambda _r: "blank, but a value is required",
            )
        limit = text_limit(column)
        if limit is not None:
            findings.rows(
                "text too long",
                name,
                typed.filter(pl.col(raw).str.len_chars() > limit).select(ROW, raw),
                lambda r, raw=raw, limit=limit, says=says: says(
                    r, f"{{v}} is {len(r[raw]):,} characters long; the limit is {limit}"
                ),
            )
        if column.type == "date":
            bad = typed.filter(pl.col(raw).is_not_null() & value.is_null()).select(ROW, raw)
            findings.rows(
                "invalid date",
                name,
                bad,
                lambda r, raw=raw: (
                    f"{_show(r[raw])} is not a real calendar date"
                    if re.match(_DATE_LIKE, str(r[raw]))
                    else f"{_show(r[raw])} is not a date "
                    "(use YYYY-MM-DD, DD/MM/YYYY or an Excel date)"
                ),
            )
            findings.rows(
                "date out of range",
                name,
                typed.filter(value < EARLIEST_DATE).select(ROW, name),
                lambda r, name=name: f"{r[name]} is before {EARLIEST_DATE:%Y}: check the date",
            )
            findings.rows(
                "date after as-at date",
                name,
                typed.filter(value > as_at).select(ROW, name),
                lambda r, name=name: f"{r[name]} is after the as-at date {as_at.isoformat()}",
            )
        elif column.type in ("number", "integer"):
            bad = typed.filter(pl.col(raw).is_not_null() & value.is_null()).select(ROW, raw)
            findings.rows("not a number", name, bad, lambda r: says(r, "{v} is not a number"))
            if column.type == "integer":
                findings.rows(
                    "not a whole number",
                    name,
                    typed.filter(value != value.floor()).select(ROW, name),
                    lambda r, name=name: f"{r[name]:g} is not a whole number",
                )
            if column.minimum is not None:
                findings.rows(
                    "below minimum",
                    name,
                    typed.filter(value < column.minimum).select(ROW, name),
                    lambda r, c=column: f"{r[c.name]:g} is below the minimum of {c.minimum:g}",
                )
            if column.maximum is not None:
                findings.rows(
                    "above maximum",
                    name,
                    typed.filter(value > column.maximum).select(ROW, name),
                    lambda r, c=column: (
                        f"{r[c.name]:g} is above the maximum of {c.maximum:g}"
                        + (" hours in a week" if c.name == "hours_per_week" else "")
                    ),
                )
        elif column.allowed is not None:
            bad = typed.filter(pl.col(raw).is_not_null() & value.is_null()).select(ROW, raw)
            allowed = ", ".join(column.allowed)
            findings.rows(
                "not an allowed value",
                name,
                bad,
                lambda r, allowed=allowed: says(r, "{v} is not allowed; use one of: " + allowed),
            )
        elif name == "financial_year":
            bad = typed.filter(pl.col(raw).is_not_null() & value.is_null()).select(ROW, raw)
            findings.rows(
                "bad financial year",
                name,
                bad,
                lambda r: says(r, "{v} is not a financial year like 2021/22"),
            )


def _check_districts(
    typed: pl.DataFrame, districts: Sequence[str], findings: _Findings
) -> pl.DataFrame:
    """District values in the profile's spelling (case and spacing forgiven); any other value
    is a problem, with the closest district suggested."""
    canonical = canonical_districts(typed["district"], districts)
    bad = typed.with_columns(canonical.alias("__district__")).filter(
        pl.col("district").is_not_null()
        & pl.col("__district__").is_null()
        & (pl.col("district").str.len_chars() <= MAX_TEXT.get("district", DEFAULT_MAX_TEXT))
    )
    if bad.height:
        names = ", ".join(districts)
        hints = {v: closest(v, districts) for v in bad["district"].head(MAX_SHOWN).unique()}

        def says(rec: dict[str, Any]) -> str:
            hint = hints.get(rec["district"])
            guess = f"; did you mean {hint}?" if hint else f"; the districts are: {names}"
            return f"{_show(rec['district'])} is not one of the council's districts{guess}"

        findings.rows("unknown district", "district", bad.select(ROW, "district"), says)
    return typed.with_columns(pl.coalesce(canonical, pl.col("district")).alias("district"))


def _check_rows(
    typed: pl.DataFrame, table: Table, present: list[Column], findings: _Findings
) -> None:
    """Checks across columns: end before start, duplicate keys, and notes on overlaps/formulas."""
    names = {c.name for c in present}
    if {"start_date", "end_date"} <= names:
        findings.rows(
            "end before start",
            "end_date",
            typed.filter(pl.col("end_date") < pl.col("start_date")).select(
                ROW, "start_date", "end_date"
            ),
            lambda r: f"end date {r['end_date']} is before start date {r['start_date']}",
        )
    key = list(table.key)
    if set(key) <= names:
        keyed = typed.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key))
        dupes = keyed.filter(pl.struct(key).is_duplicated()).with_columns(
            pl.col(ROW).min().over(key).alias("__first__")
        )
        dupes = dupes.filter(pl.col(ROW) != pl.col("__first__")).sort(ROW)
        findings.rows(
            "duplicate key",
            key[-1] if len(key) > 1 else key[0],
            dupes,
            lambda r: (
                "duplicate "
                + ", ".join(f"{k} {_show(r[k])}" for k in key)
                + f": already on row {r['__first__']}"
            ),
        )
    if {"person_id", "start_date", "end_date"} <= names:
        _note_overlaps(typed, table, findings)
    for column in present:
        if column.type != "text" or column.person_id or column.allowed is not None:
            continue
        formulas = typed.filter(pl.col(column.name).str.contains(_FORMULA_START)).select(ROW)
        if formulas.height:
            findings.note(
                formulas[ROW][0],
                column.name,
                f"{formulas.height} value(s) start with =, +, -, @ or a tab; they are stored as "
                "plain text and neutralised in every CSV or Excel export",
            )


def _note_overlaps(typed: pl.DataFrame, table: Table, findings: _Findings) -> None:
    """Note rows whose span overlaps an earlier span of the same person and service or type.

    Rows are sorted by person and start; a running maximum of end dates within each person
    says whether a row starts before an earlier one ended. The running maximum is taken over
    `group number * 10^7 + end day`, so one pass over the whole frame never mixes people
    (a window per person is ten times slower with hundreds of thousands of people).
    """
    group = ["person_id"] + [c for c in ("service_type", "placement_type") if c in typed.columns]
    scale = 10_000_000  # more than the day number of 9999-12-31
    spans = (
        typed.select(group + ["start_date", "end_date", ROW])
        .drop_nulls([*group, "start_date"])
        .sort(group + ["start_date"])
        .with_columns(
            pl.any_horizontal(pl.col(c) != pl.col(c).shift(1) for c in group)
            .fill_null(True)
            .cum_sum()
            .cast(pl.Int64)
            .alias("__group__"),
            pl.col("start_date").cast(pl.Int64).alias("__start__"),
            pl.col("end_date").fill_null(dt.date(9999, 12, 31)).cast(pl.Int64).alias("__end__"),
        )
        .with_columns(
            (pl.col("__group__") * scale + pl.col("__end__")).cum_max().shift(1).alias("__prev__")
        )
        .filter(
            (pl.col("__prev__") // scale == pl.col("__group__"))
            & (pl.col("__start__") <= pl.col("__prev__") % scale)
        )
        .sort(ROW)
    )
    if spans.height:
        findings.note(
            spans[ROW][0],
            "start_date",
            f"{spans.height} row(s) overlap an earlier {table.name} row of the same person; "
            "they are kept, and the weekly views count each person once",
        )


def validate(
    frame: pl.DataFrame,
    table: Table,
    *,
    file_name: str,
    as_at: dt.date,
    first_row: int = 2,
    districts: Sequence[str] | None = None,
) -> Validation:
    """Check `frame` against `table`; return the typed frame and every problem found.

    Args:
        frame: The extract as read (text columns, or already typed as the demo builds them).
        table: The contract table it is meant for.
        file_name: Named in every problem.
        as_at: No date may fall after it.
        first_row: The row number a person sees for the frame's first row (CSV: 2).
        districts: The council profile's districts; a `district` value must be one of them
            (stored in the profile's spelling). None when no profile is loaded: not checked.

    Returns:
        A `Validation`; `ok` when nothing stops the load.
    """
    findings = _Findings(file_name)
    header_row = first_row - 1 if first_row > 1 else None
    frame = frame.with_columns(
        pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64).alias(ROW)
    )
    frame, present = _check_headers(frame, table, findings, header_row)

    texts = frame.select(
        pl.col(ROW), *(_raw_value(c, frame.schema[c.name]).alias(f"{c.name}__raw") for c in present)
    )
    if present:
        blank = texts.select(
            pl.all_horizontal(pl.col(f"{c.name}__raw").is_null() for c in present)
        ).to_series()
        if blank.any():
            findings.note(None, None, f"{blank.sum()} blank row(s) skipped")
            frame, texts = frame.filter(~blank), texts.filter(~blank)
    if frame.height == 0 and not findings.counts:
        findings.add("no data", first_row, None, "no data rows below the header")

    typed = texts.with_columns(
        _typed_column(c, frame[c.name], texts[f"{c.name}__raw"]) for c in present
    )
    _check_values(typed, present, findings, as_at)
    if districts is not None and any(c.name == "district" for c in present):
        typed = _check_districts(typed, districts, findings)
    _check_rows(typed, table, present, findings)

    if not findings.counts:
        typed = typed.with_columns(
            pl.col(c.name).cast(pl.Int32) for c in present if c.type == "integer"
        )
    out_cols = [
        pl.col(c.name) if c in present else pl.lit(None, _POLARS_TYPES[c.type]).alias(c.name)
        for c in table.columns
    ]
    kept = sorted(findings.kept, key=lambda p: p.row or 0)[:MAX_SHOWN]
    return Validation(
        frame=typed.select([*out_cols, pl.col(ROW)]),
        problems=tuple(kept),
        total=sum(findings.counts.values()),
        counts=dict(findings.counts),
        notes=tuple(findings.notes),
        invalid_rows=pl.concat(
            [pl.Series(ROW, [], pl.Int64), *(r.cast(pl.Int64) for r in findings.bad_rows)]
        ).unique(),
    )
