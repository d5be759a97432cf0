"""What a load, an import or a profile check reports, as tables a person can sort."""

from __future__ import annotations

import polars as pl

from ascdemand.profile import ProfileError
from ascdemand.store.cld.importer import CldImport
from ascdemand.store.validate import Problem


def problems_frame(problems: tuple[Problem, ...]) -> pl.DataFrame:
    """Problems as a table: file, row, column, what is wrong, and the line of the file where a
    row starts on another line (after a value spanning several lines; the column is left out
    when no row does)."""
    frame = pl.DataFrame(
        {
            "file": [p.file for p in problems],
            "row": [p.row for p in problems],
            "line of the file": [p.line if p.line != p.row else None for p in problems],
            "column": [p.column for p in problems],
            "problem": [p.message for p in problems],
        },
        schema={
            "file": pl.String,
            "row": pl.Int64,
            "line of the file": pl.Int64,
            "column": pl.String,
            "problem": pl.String,
        },
    )
    return (
        frame if frame["line of the file"].is_not_null().any() else frame.drop("line of the file")
    )


def cld_counts(result: CldImport) -> pl.DataFrame:
    """Rows of a CLD import per table (new, updated, unchanged), then those skipped by reason."""
    stored = [
        (name, "new, updated, unchanged", f"{c.inserted:,}, {c.updated:,}, {c.unchanged:,}")
        for name, c in result.tables.items()
    ]
    skipped = [("skipped", reason, f"{n:,}") for reason, n in result.skipped.items() if n]
    return pl.DataFrame(stored + skipped, schema=["table", "rows", "count"], orient="row")


def profile_problems_frame(error: ProfileError) -> pl.DataFrame:
    """A profile's problems as a table: the key and what is wrong with it."""
    return pl.DataFrame(
        {"Key": [p.key for p in error.problems], "Problem": [p.message for p in error.problems]},
        schema={"Key": pl.String, "Problem": pl.String},
    )
