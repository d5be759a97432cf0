"""Matching district names as users type them to the profile's spelling, with a suggestion
for a near miss ("Charnwod": did you mean Charnwood?)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

import polars as pl


def district_key(name: str) -> str:
    """`' north-west  Shire '` -> `'northwestshire'`: case, spaces, hyphens
    and punctuation forgiven."""
    return re.sub(r"[^0-9a-z]+", "", name.lower())


def key_expr(expr: pl.Expr) -> pl.Expr:
    """`district_key` as a polars expression, for whole columns at once."""
    return expr.str.to_lowercase().str.replace_all(r"[^0-9a-z]+", "")


def closest(value: str, names: Sequence[str]) -> str | None:
    """The profile district most like `value`, if any is close enough to suggest."""
    keys = {district_key(n): n for n in names}
    found = difflib.get_close_matches(district_key(value), list(keys), n=1, cutoff=0.6)
    return keys[found[0]] if found else None


def canonical_districts(values: pl.Series, names: Sequence[str]) -> pl.Series:
    """`values` in the profile's spelling; null where a value is not one of `names`."""
    lookup = pl.DataFrame(
        {"key": [district_key(n) for n in names], "canonical": list(names)},
        schema={"key": pl.String, "canonical": pl.String},
    )
    frame = pl.DataFrame({"value": values.cast(pl.String)}).with_columns(
        key_expr(pl.col("value")).alias("key")
    )
    return frame.join(lookup, on="key", how="left", maintain_order="left")["canonical"]
