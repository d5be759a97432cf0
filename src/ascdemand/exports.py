"""Table exports (CSV and XLSX) that are safe to open in a spreadsheet.

Text cells that a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, tab or
carriage return) get a leading apostrophe, so an extract with `=HYPERLINK(...)` in a provider
name cannot execute anything on the reader's machine (OWASP "CSV injection").
"""

from __future__ import annotations

import io

import polars as pl

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix an apostrophe to every text cell that a spreadsheet would treat as a formula."""
    pattern = "^[=+\\-@\\t\\r]"
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(pattern))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def rounded(frame: pl.DataFrame) -> pl.DataFrame:
    """Decimals as a reader wants them in a file: amounts to 2 places (money to the penny),
    shares and rates below 1 to 4 places; counts and text untouched."""
    return frame.with_columns(
        pl.col(name).round(4 if (frame[name].abs().max() or 0) < 1 else 2)
        for name, dtype in frame.schema.items()
        if dtype.is_float()
    )


def to_csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens it with the right encoding."""
    return b"\xef\xbb\xbf" + neutralise_formulas(rounded(frame)).write_csv().encode("utf-8")


def to_xlsx_bytes(
    frame: pl.DataFrame,
    *,
    sheet: str = "data",
    money_columns: tuple[str, ...] = (),
) -> bytes:
    """An XLSX workbook of one sheet; strings written as text, never as formulas."""
    buffer = io.BytesIO()
    money_format = {"num_format": "£#,##0;[Red]-£#,##0"}
    frame = neutralise_formulas(rounded(frame))
    frame.write_excel(
        buffer,
        worksheet=sheet[:31],
        autofit=True,
        column_formats=dict.fromkeys(money_columns, money_format) or None,
        include_header=True,
    )
    return buffer.getvalue()
