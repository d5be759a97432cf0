"""Comparator councils: the table the council profile supplies plus any that officers added.

The profile's comparator CSV (for the demo, the report of November 2021) is stored with the
profile; officers' additions live in the app state (`store.briefing.user_comparators`, in
`store.state`) and are shown alongside, marked as added.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from ascdemand.profile.parse import COMPARATOR_COLUMNS
from ascdemand.store import briefing as store
from ascdemand.store.profile import current_profile

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
_SCHEMA = {
    "council": pl.String,
    **dict.fromkeys(COMPARATOR_COLUMNS, pl.Float64),
    "source": pl.String,
}


def profile_comparators(cur: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The comparator table of the council profile (council, three money measures, source);
    empty when the profile has none."""
    table = current_profile(cur).comparators
    if table is None:
        return pl.DataFrame(schema=_SCHEMA)
    return table.select(list(_SCHEMA)).cast(_SCHEMA)


def all_comparators(
    cur: duckdb.DuckDBPyConnection, state: duckdb.DuckDBPyConnection | None = None
) -> pl.DataFrame:
    """The profile's (from the extracts database, `cur`) and officers' comparators (from the
    app state, `state`; none when not given) together; `added` marks officers' rows.

    An officer's row with the same council name as a profile row replaces it (a corrected
    figure).
    """
    reference = profile_comparators(cur).with_columns(pl.lit(False).alias("added"))
    users = pl.DataFrame(schema=_SCHEMA) if state is None else store.user_comparators(state)
    users = users.with_columns(pl.lit(True).alias("added"))
    kept = reference.filter(~pl.col("council").is_in(users["council"].implode()))
    return pl.concat([kept, users.select(kept.columns)], how="vertical")


def source_note(table: pl.DataFrame) -> str:
    """Where the comparator figures come from, for a chart's or table's note."""
    sources = [s for s in table["source"].drop_nulls().unique(maintain_order=True) if s]
    if "added" in table.columns and table["added"].any():
        sources.append("officers' additions")
    return "; ".join(sources) or "comparator table of the council profile"


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the home council stands on one measure among the comparators."""

    value: float
    rank: int
    """1 = the lowest value."""
    councils: int
    others_median: float


def standing(table: pl.DataFrame, measure: str, home: str) -> Standing | None:
    """The home council's value, its rank from the lowest and the others' median; None when
    the home council or every other council lacks the figure."""
    ranked = table.drop_nulls(measure).sort(measure)
    names = ranked["council"].to_list()
    if home not in names or len(names) < 2:
        return None
    others = ranked.filter(pl.col("council") != home)[measure]
    return Standing(
        value=float(ranked[measure][names.index(home)]),
        rank=names.index(home) + 1,
        councils=len(names),
        others_median=float(others.median()),
    )
