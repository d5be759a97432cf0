"""Comparator councils: the reference table of the November 2021 report plus any users added.

The reference figures ship inside the package (`ascdemand/reference/comparators.csv`, so any
install finds them); users' additions live in DuckDB (`store.briefing.user_comparators`) and are
shown alongside, marked as added.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb
import polars as pl

from ascdemand.store import briefing as store
from ascdemand.store.briefing import COMPARATOR_COLUMNS

REFERENCE_CSV = Path(str(resources.files("ascdemand") / "reference" / "comparators.csv"))
HOME_COUNCIL = "Leicestershire"

LABELS = {
    "net_budget_2021_22_gbp_m": "Net budget 2021/22 (£ million)",
    "gross_asc_spend_2019_20_per_1000_pop_gbp_k": (
        "Gross adult social care spend 2019/20 per 1,000 population (£ thousand)"
    ),
    "long_term_care_65plus_per_head_gbp": (
        "Spend on long-term care for people aged 65+ per head of population aged 65+ (£)"
    ),
}
SHORT_LABELS = {
    "net_budget_2021_22_gbp_m": "Net budget 2021/22 (£m)",
    "gross_asc_spend_2019_20_per_1000_pop_gbp_k": (
        "Gross adult social care spend 2019/20 per 1,000 people (£k)"
    ),
    "long_term_care_65plus_per_head_gbp": "Long-term care 65+ per head aged 65+ (£)",
}


def reference_comparators(path: Path = REFERENCE_CSV) -> pl.DataFrame:
    """The comparator table of the report (council, three money measures, source)."""
    return pl.read_csv(
        path,
        schema_overrides=dict.fromkeys(COMPARATOR_COLUMNS, pl.Float64),
    ).select("council", *COMPARATOR_COLUMNS, "source")


def all_comparators(cur: duckdb.DuckDBPyConnection, path: Path = REFERENCE_CSV) -> pl.DataFrame:
    """Reference and user-added comparators together; `added` marks users' rows.

    A user row with the same council name as a reference row replaces it (a corrected figure).
    """
    reference = reference_comparators(path).with_columns(pl.lit(False).alias("added"))
    users = store.user_comparators(cur).with_columns(pl.lit(True).alias("added"))
    kept = reference.filter(~pl.col("council").is_in(users["council"].implode()))
    return pl.concat([kept, users.select(kept.columns)], how="vertical")
