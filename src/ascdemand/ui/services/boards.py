"""Cached reads of the NHS sitrep comparators: every care board over the latest months."""

from __future__ import annotations

import polars as pl

from ascdemand.store.sitrep.comparators import board_comparators, latest_months
from ascdemand.ui.services.cache import cached, cursor


@cached
def boards(months: int = 3) -> pl.DataFrame:
    """Every integrated care board's discharge comparators over the latest `months` months."""
    with cursor() as cur:
        return board_comparators(cur, org_type="icb", months=months)


@cached
def months_label(months: int = 3) -> str:
    """The months the comparators cover, e.g. "April to June 2023"."""
    with cursor() as cur:
        chosen = latest_months(cur, months)
    if not chosen:
        return ""
    first, last = chosen[0], chosen[-1]
    if first == last:
        return f"{last:%B %Y}"
    return (
        f"{first:%B %Y} to {last:%B %Y}"
        if first.year != last.year
        else (f"{first:%B} to {last:%B %Y}")
    )
