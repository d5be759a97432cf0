"""Postcode to district through the profile's prefixes: the sector (outward code + first digit
of the inward code) first, then the outward code, so "DE5" never matches "DE56 1AB"."""

from __future__ import annotations

import re

import polars as pl

from ascdemand.profile.model import District

OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
OUTWARD_RE = re.compile(rf"^{OUTWARD}$")
SECTOR_RE = re.compile(rf"^{OUTWARD} [0-9]$")


def normalise_prefix(prefix: str) -> str:
    """`' de55  4 '` -> `'DE55 4'`."""
    return re.sub(r"\s+", " ", prefix.strip().upper())


def _parts(postcodes: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Outward code and sector of each postcode. A full postcode may be written with or
    without its space (the inward code is always three characters); a partial one must keep
    it ("DE56 1" is a sector, "DE56" an outward code). Anything else gives nulls."""
    text = postcodes.cast(pl.String).str.to_uppercase().str.strip_chars()
    text = text.str.replace_all(r"\s+", " ")
    full = rf"^({OUTWARD}) ?([0-9])[A-Z]{{2}}$"
    partial_sector = rf"^({OUTWARD}) ([0-9])$"
    outward = pl.coalesce(
        text.str.extract(full, 1),
        text.str.extract(partial_sector, 1),
        text.str.extract(rf"^({OUTWARD})$", 1),
    )
    digit = pl.coalesce(text.str.extract(full, 2), text.str.extract(partial_sector, 2))
    sector = pl.when(digit.is_not_null()).then(pl.concat_str([outward, pl.lit(" "), digit]))
    return outward, sector


def districts_for_postcodes(postcodes: pl.Series, districts: tuple[District, ...]) -> pl.Series:
    """The district of each postcode (null where no prefix matches or the postcode is not one)."""
    prefixes = pl.DataFrame(
        [(normalise_prefix(p), d.name) for d in districts for p in d.postcode_prefixes],
        schema={"prefix": pl.String, "district": pl.String},
        orient="row",
    )
    outward, sector = _parts(pl.col("postcode"))
    frame = pl.DataFrame({"postcode": postcodes.cast(pl.String)}).with_columns(
        outward.alias("outward"), sector.alias("sector")
    )
    by_sector = prefixes.rename({"prefix": "sector", "district": "by_sector"})
    by_outward = prefixes.rename({"prefix": "outward", "district": "by_outward"})
    joined = frame.join(by_sector, on="sector", how="left", maintain_order="left").join(
        by_outward, on="outward", how="left", maintain_order="left"
    )
    return joined.select(pl.coalesce("by_sector", "by_outward").alias("district"))["district"]


def district_for_postcode(postcode: str, districts: tuple[District, ...]) -> str | None:
    """One postcode's district; see `districts_for_postcodes`."""
    return districts_for_postcodes(pl.Series([postcode]), districts)[0]
