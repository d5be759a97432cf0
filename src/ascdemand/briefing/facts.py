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
from ascdemand.models.measures import MEASURES
from ascdemand.profile import CouncilProfile
from ascdemand.store import briefing as store
from ascdemand.store import state as state_store
from ascdemand.store.profile import current_profile
from ascdemand.store.sitrep.comparators import board_comparators, latest_months
from ascdemand.store.sitrep.queries import has_sitrep

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
    boards: pl.DataFrame
    """Every care board's sitrep comparators (`store.sitrep.comparators`); empty without the
    sitrep. Published NHS aggregates: no suppression needed."""
    board_months: str
    """The months the board comparators cover ("April to June 2023"), or ""."""
    """The council's profile: its name, and the day figures 'before the pandemic' describe."""

    @property
    def area(self) -> str:
        """Where the briefing covers: the council's area or the chosen districts."""
        return self.profile.area(self.districts)

    @property
    def pandemic_start(self) -> dt.date:
        """The baseline day: figures 'before the pandemic' are the week containing it."""
        return self.profile.pandemic_start


def target_progress(current: float | None, baseline: float | None, target: float) -> float | None:
    """Share (in %) of the way from the baseline to the target covered by the current value.

    Worked example: baseline 700, target 400, current 550 -> (700 - 550) / (700 - 400) = 50%.
    Negative means the measure has moved away from the target. None when it cannot be worked out.
    """
    if current is None or baseline is None or baseline == target:
        return None
    return round(100.0 * (baseline - current) / (baseline - target), 0)


_PROTECTED = {
    "homecare_people": "homecare_people",
    "temp_people": "temp_people",
    "discharges": "discharges",
    "discharges_4wk": "discharges_4wk",
}
"""Count columns published per week, each through one protected column of districts."""


def _protected_weekly(by_district: pl.DataFrame) -> pl.DataFrame:
    """For every week and count, each district's published value and the whole council's
    (district `COUNTY`), all from one protected column (`privacy.protect_column`): the same
    cell shows the same value in every geography, so no two outputs can be differenced."""
    rows = []
    for (week,), group in by_district.sort("district").group_by("week_start", maintain_order=True):
        names = [*group["district"].to_list(), COUNTY]
        published = {}
        for column in _PROTECTED:
            values = group[column]
            if values.null_count():
                published[column] = [None] * len(names)
            else:
                published[column] = privacy.protect_column(values.to_list())
        rows.extend(
            {"week_start": week, "district": name, **{c: published[c][i] for c in _PROTECTED}}
            for i, name in enumerate(names)
        )
    schema = {"week_start": pl.Date, "district": pl.String} | dict.fromkeys(_PROTECTED, pl.Int64)
    return pl.DataFrame(rows, schema=schema)


def _publish_weekly(
    protected: pl.DataFrame, by_district: pl.DataFrame, districts: Sequence[str]
) -> pl.DataFrame:
    """The published weekly series of the whole council or one district: counts from the
    protected columns; the average hours over its exact people, rounded, and the hours as the
    published count times that average; discharges also as a 4-week average of the published
    4-week totals (the weekly figure is noisy)."""
    where = districts[0] if districts else COUNTY
    protected = protected.filter(pl.col("district") == where)
    exact = (
        by_district.filter(pl.col("district").is_in(list(districts)) if districts else pl.lit(True))
        .group_by("week_start")
        .agg(pl.col("homecare_people").sum().alias("people"), pl.col("hours").sum())
    )
    rows = []
    for r in protected.join(exact, on="week_start", how="left").sort("week_start").to_dicts():
        shown = r["homecare_people"]
        mean = None if shown is None else privacy.publish_mean(r["hours"], r["people"])
        rows.append(
            {
                "week_start": r["week_start"],
                "homecare_people": shown,
                "homecare_hours": None if mean is None else float(shown * mean),
                "mean_hours": mean,
                "temp_people": r["temp_people"],
                "discharges": r["discharges"],
                "discharges_4wk_avg": (
                    None if r["discharges_4wk"] is None else r["discharges_4wk"] / RECENT_WEEKS
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
    return pl.DataFrame(rows, schema=schema)


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

    since = weekly.filter(pl.col("week_start") >= pandemic_start)
    # A peak among published weeks is only the peak when no week since was hidden.
    hidden = since[column].null_count() > 0
    peak_row = pl.DataFrame() if hidden else since.sort(column, descending=True).head(1)
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


def _by_district(protected: pl.DataFrame, week: dt.date, districts: Sequence[str]) -> pl.DataFrame:
    """Published counts by district on the latest Monday (discharges over the 4 weeks to it)
    with the whole council's row: the same cells as the weekly series, so every geography
    agrees. For one district, its row and the whole council's."""
    table = protected.filter(pl.col("week_start") == week).select(
        "district",
        pl.col("homecare_people"),
        pl.col("temp_people").alias("temp_residential_people"),
        pl.col("discharges_4wk").alias("discharges_to_social_care"),
    )
    if districts:
        table = table.filter(pl.col("district").is_in([*districts, COUNTY]))
    return table


def _by_pathway(cur, as_at, districts) -> pl.DataFrame:
    """Discharges by district and pathway over the last 4 weeks, protected as one table of
    every district (so a district's cells are the same in its own briefing), then cut to the
    chosen district and the whole council."""
    pathways = ["P0", "P1", "P2", "P3"]
    exact = store.discharges_by_pathway(cur, as_at, (), weeks=RECENT_WEEKS)
    table = privacy.with_totals(
        exact.fill_null(0),
        pathways,
        label_column="district",
        total_label=COUNTY,
        total_column=ALL_PATHWAYS,
    )
    protected = privacy.protect_counts(table, pathways, total_column=ALL_PATHWAYS, total_row=-1)
    if districts:
        protected = protected.filter(pl.col("district").is_in([*districts, COUNTY]))
    return protected


def _boards(cur: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """The care-board comparators over the latest three sitrep months, and their span."""
    if not has_sitrep(cur):
        return {"boards": pl.DataFrame(), "board_months": ""}
    months = latest_months(cur, 3)
    span = f"{months[0]:%B %Y} to {months[-1]:%B %Y}" if len(months) > 1 else f"{months[0]:%B %Y}"
    return {"boards": board_comparators(cur, months=3), "board_months": span}


def _targets(state, measures: dict[str, Measure], money: MoneyPosition | None) -> pl.DataFrame:
    current = {k: m.now for k, m in measures.items()}
    current["net_overspend_gbp_m"] = None if money is None else money.net_overspend / 1e6
    rows = []
    for t in store.targets(state).iter_rows(named=True):
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
    state: duckdb.DuckDBPyConnection | None = None,
) -> BriefingFacts | None:
    """Read and publish everything the briefing shows (None when there is no weekly data).

    Args:
        cur: A read-only cursor on the extracts database.
        as_at: The day the briefing describes.
        districts: The one district to cover; empty means the whole council (public outputs
            cover fixed geographies only, see `privacy.check_public_geography`).
        forecasts_by_period: Supplies the period-by-period budget forecasts (the app's cached
            ones); computed from the store when not given.
        state: A cursor on the app state (`store.state.reading`): the mitigations, targets and
            added comparators; none when not given.
    """
    privacy.check_public_geography(districts)
    week = store.latest_week(cur, as_at)
    if week is None:
        return None
    by_district = store.weekly_by_district(cur, as_at)
    if by_district.is_empty():
        return None
    protected = _protected_weekly(by_district)
    weekly = _publish_weekly(protected, by_district, districts)
    columns = {
        "homecare_people": ("homecare_people", "people"),
        "homecare_hours": ("homecare_hours", "hours"),
        "mean_hours_per_person": ("mean_hours", "hours"),
        "temp_residential_people": ("temp_people", "people"),
        "discharges_to_social_care": ("discharges_4wk_avg", "a week"),
    }
    specs = {key: (col, MEASURES[key].name, unit) for key, (col, unit) in columns.items()}
    profile = current_profile(cur)
    measures = {
        key: _measure(weekly, col, key, label, unit, week, profile.pandemic_start)
        for key, (col, label, unit) in specs.items()
    }
    money = money_position(cur, as_at, forecasts_by_period=forecasts_by_period)
    app_state = state if state is not None else state_store.memory()
    return BriefingFacts(
        as_at=as_at,
        week=week,
        districts=tuple(districts),
        measures=measures,
        weekly=weekly,
        by_district=_by_district(protected, week, districts),
        by_pathway=_by_pathway(cur, as_at, districts),
        money=money,
        mitigations=store.mitigations(app_state).select("action", "owner", "status"),
        targets=_targets(app_state, measures, money),
        comparators=comparators.all_comparators(cur, app_state),
        profile=profile,
        **_boards(cur),
    )
