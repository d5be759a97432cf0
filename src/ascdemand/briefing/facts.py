"""Every number the briefing shows, read from the store at the as-at date and made publishable.

Counts of people pass through `privacy` here, once, so the narrative, the charts, the tables,
the PDF and the HTML all show the same published figures and none can leak an exact small count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import polars as pl

from ascdemand import privacy
from ascdemand.briefing import comparators
from ascdemand.briefing.money import ForecastsByPeriod, MoneyPosition, money_position
from ascdemand.profile import CouncilProfile
from ascdemand.store import briefing as store
from ascdemand.store import queries
from ascdemand.store.profile import current_profile

RECENT_WEEKS = 4
COUNTY = "All districts"
ALL_PATHWAYS = "All pathways"


@dataclass(frozen=True, slots=True)
class Measure:
    """One published measure now, a year earlier, before the pandemic, and at its peak."""

    key: str
    label: str
    unit: str
    now: float | None
    year_ago: float | None
    baseline: float | None
    peak: float | None
    peak_week: dt.date | None


@dataclass(frozen=True, slots=True)
class BriefingFacts:
    """The published content of one briefing."""

    as_at: dt.date
    week: dt.date
    districts: tuple[str, ...]
    measures: dict[str, Measure]
    weekly: pl.DataFrame
    """week_start and the published weekly series (null where suppressed)."""
    by_district: pl.DataFrame
    """Protected counts by district with an 'All districts' row."""
    by_pathway: pl.DataFrame
    """Protected discharges by district and pathway, with totals both ways."""
    money: MoneyPosition | None
    mitigations: pl.DataFrame
    targets: pl.DataFrame
    """measure, label, unit, target_value, baseline_value, current, progress_pct, due_date, note."""
    comparators: pl.DataFrame
    profile: CouncilProfile
    """The council's profile: its name, and the day figures 'before the pandemic' describe."""

    @property
    def area(self) -> str:
        """Where the briefing covers: the council's area or the chosen districts."""
        return self.profile.area(self.districts)

    @property
    def pandemic_start(self) -> dt.date:
        """The baseline day: figures 'before the pandemic' are the week containing it."""
        return self.profile.pandemic_start


def round_hours(value: float | None, people: float | None) -> float | None:
    """Hours summed over people: hidden below 8 people, otherwise to the nearest 10 hours."""
    shown = privacy.publish_average(value, people)
    return None if shown is None else float(round(shown / 10.0) * 10)


def target_progress(current: float | None, baseline: float | None, target: float) -> float | None:
    """Share (in %) of the way from the baseline to the target covered by the current value.

    Worked example: baseline 700, target 400, current 550 -> (700 - 550) / (700 - 400) = 50%.
    Negative means the measure has moved away from the target. None when it cannot be worked out.
    """
    if current is None or baseline is None or baseline == target:
        return None
    return round(100.0 * (baseline - current) / (baseline - target), 0)


def _weekly(cur: duckdb.DuckDBPyConnection, as_at: dt.date, districts: Sequence[str]):
    """Exact county (or chosen districts) series each Monday, one row per week."""
    homecare = queries.homecare_weekly(cur, as_at, districts).select(
        "week_start", pl.col("people").alias("homecare_people"), pl.col("hours").alias("hours")
    )
    temp = queries.temp_residential_weekly(cur, as_at, districts).select(
        "week_start", pl.col("people").alias("temp_people")
    )
    dis = (
        queries.discharges_weekly(cur, as_at, districts)
        .group_by("week_start")
        .agg(pl.col("to_social_care").sum().alias("discharges"))
    )
    return (
        homecare.join(temp, on="week_start", how="full", coalesce=True)
        .join(dis, on="week_start", how="full", coalesce=True)
        .sort("week_start")
        .fill_null(0)
    )


def _publish_weekly(exact: pl.DataFrame) -> pl.DataFrame:
    """Weekly series after disclosure control; discharges also as a 4-week average of the
    published 4-week totals (the weekly figure is noisy)."""
    rows = exact.to_dicts()
    out = []
    for i, r in enumerate(rows):
        window = rows[max(0, i - RECENT_WEEKS + 1) : i + 1]
        four_week = sum(w["discharges"] for w in window)
        four_published = privacy.publish_count(four_week)
        out.append(
            {
                "week_start": r["week_start"],
                "homecare_people": privacy.publish_count(r["homecare_people"]),
                "homecare_hours": round_hours(r["hours"], r["homecare_people"]),
                "mean_hours": (
                    None
                    if privacy.publish_average(r["hours"], r["homecare_people"]) is None
                    else round(r["hours"] / r["homecare_people"], 1)
                ),
                "temp_people": privacy.publish_count(r["temp_people"]),
                "discharges": privacy.publish_count(r["discharges"]),
                "discharges_4wk_avg": (
                    None
                    if four_published is None or len(window) < RECENT_WEEKS
                    else four_published / RECENT_WEEKS
                ),
            }
        )
    schema = {
        "week_start": pl.Date,
        "homecare_people": pl.Int64,
        "homecare_hours": pl.Float64,
        "mean_hours": pl.Float64,
        "temp_people": pl.Int64,
        "discharges": pl.Int64,
        "discharges_4wk_avg": pl.Float64,
    }
    return pl.DataFrame(out, schema=schema)


def _measure(
    weekly: pl.DataFrame,
    column: str,
    key: str,
    label: str,
    unit: str,
    week: dt.date,
    pandemic_start: dt.date,
) -> Measure:
    series = weekly.select("week_start", column).drop_nulls()

    def at(day: dt.date) -> float | None:
        hit = series.filter(pl.col("week_start") <= day).filter(
            pl.col("week_start") > day - dt.timedelta(days=7)
        )
        return None if hit.is_empty() else float(hit[column][-1])

    since = series.filter(pl.col("week_start") >= pandemic_start)
    peak_row = since.sort(column, descending=True).head(1)
    return Measure(
        key=key,
        label=label,
        unit=unit,
        now=at(week),
        year_ago=at(week - dt.timedelta(weeks=52)),
        baseline=at(pandemic_start),
        peak=None if peak_row.is_empty() else float(peak_row[column][0]),
        peak_week=None if peak_row.is_empty() else peak_row["week_start"][0],
    )


def _by_district(cur, as_at, districts) -> pl.DataFrame:
    counts = ["homecare_people", "temp_residential_people", "discharges_to_social_care"]
    exact = store.demand_by_district(cur, as_at, districts, weeks=RECENT_WEEKS)
    table = privacy.with_totals(
        exact, counts, label_column="district", total_label=COUNTY, total_column=None
    )
    return privacy.protect_counts(table, counts, total_row=-1)


def _by_pathway(cur, as_at, districts) -> pl.DataFrame:
    pathways = ["P0", "P1", "P2", "P3"]
    exact = store.discharges_by_pathway(cur, as_at, districts, weeks=RECENT_WEEKS)
    table = privacy.with_totals(
        exact.fill_null(0),
        pathways,
        label_column="district",
        total_label=COUNTY,
        total_column=ALL_PATHWAYS,
    )
    return privacy.protect_counts(table, pathways, total_column=ALL_PATHWAYS, total_row=-1)


def _targets(cur, measures: dict[str, Measure], money: MoneyPosition | None) -> pl.DataFrame:
    current = {k: m.now for k, m in measures.items()}
    current["net_overspend_gbp_m"] = None if money is None else money.net_overspend / 1e6
    rows = []
    for t in store.targets(cur).iter_rows(named=True):
        label, unit = store.TARGET_MEASURES[t["measure"]]
        now = current.get(t["measure"])
        rows.append(
            {
                "measure": t["measure"],
                "label": label,
                "unit": unit,
                "target_value": t["target_value"],
                "baseline_value": t["baseline_value"],
                "current": now,
                "progress_pct": target_progress(now, t["baseline_value"], t["target_value"]),
                "due_date": t["due_date"],
                "note": t["note"],
            }
        )
    schema = {
        "measure": pl.String,
        "label": pl.String,
        "unit": pl.String,
        "target_value": pl.Float64,
        "baseline_value": pl.Float64,
        "current": pl.Float64,
        "progress_pct": pl.Float64,
        "due_date": pl.Date,
        "note": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def gather(
    cur: duckdb.DuckDBPyConnection,
    as_at: dt.date,
    districts: Sequence[str] = (),
    *,
    forecasts_by_period: ForecastsByPeriod | None = None,
) -> BriefingFacts | None:
    """Read and publish everything the briefing shows (None when there is no weekly data).

    Args:
        cur: A read-only cursor.
        as_at: The day the briefing describes.
        districts: Districts to cover; empty means the whole county.
        forecasts_by_period: Supplies the period-by-period budget forecasts (the app's cached
            ones); computed from the store when not given.
    """
    week = store.latest_week(cur, as_at)
    if week is None:
        return None
    exact = _weekly(cur, as_at, districts)
    if exact.is_empty():
        return None
    weekly = _publish_weekly(exact)
    specs = {
        "homecare_people": ("homecare_people", "People receiving homecare", "people"),
        "homecare_hours": ("homecare_hours", "Homecare hours commissioned per week", "hours"),
        "mean_hours_per_person": (
            "mean_hours",
            "Average homecare hours per person per week",
            "hours",
        ),
        "temp_residential_people": (
            "temp_people",
            "People in temporary residential care",
            "people",
        ),
        "discharges_to_social_care": (
            "discharges_4wk_avg",
            "Hospital discharges needing social care, per week (4-week average)",
            "a week",
        ),
    }
    profile = current_profile(cur)
    measures = {
        key: _measure(weekly, col, key, label, unit, week, profile.pandemic_start)
        for key, (col, label, unit) in specs.items()
    }
    money = money_position(cur, as_at, forecasts_by_period=forecasts_by_period)
    return BriefingFacts(
        as_at=as_at,
        week=week,
        districts=tuple(districts),
        measures=measures,
        weekly=weekly,
        by_district=_by_district(cur, as_at, districts),
        by_pathway=_by_pathway(cur, as_at, districts),
        money=money,
        mitigations=store.mitigations(cur).select("action", "owner", "status"),
        targets=_targets(cur, measures, money),
        comparators=comparators.all_comparators(cur),
        profile=profile,
    )
