"""Forecast outturn of each service line for a financial year, as at the end of a period.

Outturn = actuals to date (ledger) + the rest of the year. For care lines with person-level
records the rest is the committed cost of people already in care plus new demand
(`commitments.care_year`), plus what the ledger has carried beyond the care records so far
(costs not in the records, timing) at its year-to-date rate. Other spend lines and income run
on at the median of the last three periods, except budgeted grants (received as allocated)
and the NHS one-off transfer (nothing assumed beyond what has arrived). Lines are signed as in
`budget_lines`: spend positive, income negative, so a positive variance is an overspend (or
income short of budget).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ascdemand.models.budget.commitments import EVIDENCE_COLUMNS, care_year
from ascdemand.models.budget.mtfs import MtfsAssumptions
from ascdemand.models.budget.periods import period_end, year_end
from ascdemand.store.contract import INCOME_LINES, SERVICE_LINES

RUN_RATE_PERIODS = 3
"""Periods whose median runs a line on to the year end; unlike the mean, the median does not
repeat a one-off receipt (such as backdated charges) in one of them."""
INCOME_METHOD = {"grants": "budget", "nhs_one_off_transfer": "actuals"}
"""How the rest of the year is forecast for income lines not run on at the recent median."""
NON_RECURRENT = frozenset({"staffing", "grants", "nhs_discharge_income", "nhs_one_off_transfer"})
"""Lines whose variance will not repeat next year: vacancies are filled, one-off grants and the
NHS's temporary discharge funding end (report para 39)."""
LEDGER_SCHEMA = {
    "financial_year": pl.String,
    "period": pl.Int64,
    "service_line": pl.String,
    "actual_spend": pl.Float64,
    "income": pl.Float64,
}
BUDGET_SCHEMA = {"financial_year": pl.String, "service_line": pl.String, "budget": pl.Float64}
LINE_COLUMNS = (
    "service_line",
    "budget",
    "actual_to_date",
    "committed",
    "new_demand",
    "run_rate",
    "outturn",
    "variance",
    "recurrent",
    "full_year_effect",
)


@dataclass(frozen=True, slots=True)
class BudgetInputs:
    """Everything known at the end of `period` of financial year `year`.

    Attributes:
        year: Financial year label, "2021/22".
        period: The as-at period (1 = April); actuals after it are ignored.
        ledger: `ledger` rows of the year (columns of the contract).
        budget: `budget_lines` rows of the year.
        care: The care evidence at the period end (see `commitments.EVIDENCE_COLUMNS`).
    """

    year: str
    period: int
    ledger: pl.DataFrame
    budget: pl.DataFrame
    care: pl.DataFrame


@dataclass(frozen=True, slots=True)
class Forecast:
    """A forecast outturn: one row per service line, and the care segments behind it."""

    year: str
    period: int
    lines: pl.DataFrame
    care: pl.DataFrame


def _actuals(inputs: BudgetInputs) -> pl.DataFrame:
    """Net actuals of each line to the as-at period, and the median of the last three periods."""
    ledger = (
        inputs.ledger.select(list(LEDGER_SCHEMA))
        .cast(LEDGER_SCHEMA)
        .filter((pl.col("financial_year") == inputs.year) & (pl.col("period") <= inputs.period))
        .with_columns((pl.col("actual_spend") - pl.col("income")).alias("net"))
    )
    recent = inputs.period - RUN_RATE_PERIODS
    return ledger.group_by("service_line").agg(
        pl.col("net").sum().alias("actual_to_date"),
        pl.col("net").filter(pl.col("period") > recent).median().alias("recent_median"),
    )


def forecast_outturn(inputs: BudgetInputs, mtfs: MtfsAssumptions | None = None) -> Forecast:
    """Forecast the year's outturn of every service line as at the end of `inputs.period`.

    Args:
        inputs: Ledger, budget and care known at the period end.
        mtfs: Assumptions that roll this year's budget into next year's, for the full-year
            effect; defaults to `MtfsAssumptions()`.

    Returns:
        A `Forecast` whose `lines` hold, per service line (signed, pounds, unrounded):
        `budget`, `actual_to_date`, `committed`, `new_demand`, `run_rate`, `outturn`
        (their sum), `variance` (outturn - budget), `recurrent`, and `full_year_effect` (the
        pressure on next year's budget: for care lines the year-end caseload's cost for a full
        year, plus twelve periods of the spend beyond the care records, less this budget
        rolled forward; for other recurrent lines the variance; else 0).
    """
    mtfs = mtfs or MtfsAssumptions()
    as_at = period_end(inputs.year, inputs.period)
    care = care_year(
        inputs.care.select(list(EVIDENCE_COLUMNS)).cast(EVIDENCE_COLUMNS),
        as_at=as_at,
        year_end=year_end(inputs.year),
    )
    by_line = care.group_by("service_line").agg(
        pl.col("cost_to_date").sum().alias("care_to_date"),
        pl.col("cost_committed").sum().alias("committed"),
        pl.col("cost_new").sum().alias("new_demand"),
        (pl.col("year_end_weekly_cost").sum() * 365 / 7).alias("year_end_annual"),
    )
    budget = (
        inputs.budget.select(list(BUDGET_SCHEMA))
        .cast(BUDGET_SCHEMA)
        .filter(pl.col("financial_year") == inputs.year)
        .select("service_line", "budget")
    )
    remaining = 12 - inputs.period
    lines = (
        pl.DataFrame({"service_line": list(SERVICE_LINES)})
        .join(budget, on="service_line", how="left")
        .join(_actuals(inputs), on="service_line", how="left")
        .join(by_line, on="service_line", how="left")
    )
    present = (
        pl.col("budget").is_not_null()
        | pl.col("actual_to_date").is_not_null()
        | pl.col("committed").is_not_null()
    )
    has_care = pl.col("committed").is_not_null()
    method = pl.col("service_line").replace_strict(INCOME_METHOD, default="run_rate")
    beyond = (pl.col("actual_to_date").fill_null(0.0) - pl.col("care_to_date")) / inputs.period
    run_rate = (
        pl.when(has_care)
        .then(beyond * remaining)
        .when(method == "budget")
        .then(pl.col("budget").fill_null(0.0) * remaining / 12)
        .when(method == "actuals")
        .then(0.0)
        .otherwise(pl.col("recent_median").fill_null(0.0) * remaining)
    )
    lines = (
        lines.filter(present)
        .with_columns(
            pl.col("budget", "actual_to_date", "committed", "new_demand").fill_null(0.0),
            run_rate.alias("run_rate"),
            has_care.alias("_care"),
            beyond.fill_null(0.0).alias("_beyond"),
        )
        .with_columns(
            (
                pl.col("actual_to_date")
                + pl.col("committed")
                + pl.col("new_demand")
                + pl.col("run_rate")
            ).alias("outturn")
        )
        .with_columns(
            (pl.col("outturn") - pl.col("budget")).alias("variance"),
            (~pl.col("service_line").is_in(list(NON_RECURRENT))).alias("recurrent"),
        )
    )
    uplift = {line: mtfs.uplift(line, 1) for line in SERVICE_LINES}
    next_budget = pl.col("budget") * pl.col("service_line").replace_strict(
        uplift, return_dtype=pl.Float64
    )
    lines = lines.with_columns(
        pl.when(pl.col("_care"))
        .then(pl.col("year_end_annual") + 12 * pl.col("_beyond") - next_budget)
        .when(pl.col("recurrent"))
        .then(pl.col("variance"))
        .otherwise(0.0)
        .alias("full_year_effect")
    ).select(LINE_COLUMNS)
    return Forecast(year=inputs.year, period=inputs.period, lines=lines, care=care)


@dataclass(frozen=True, slots=True)
class Position:
    """The headline position: gross overspends, what offsets them, and the net overspend."""

    budget: float
    outturn: float
    gross_overspend: float
    offsets: float
    net_overspend: float
    recurrent: float
    non_recurrent: float
    full_year_effect: float


def position(lines: pl.DataFrame) -> Position:
    """Headline figures of a forecast's `lines`.

    Gross overspend is the sum of the spend lines that are over budget; offsets are everything
    else (underspends, and income above or below budget), so gross + offsets = net.
    """
    over = (pl.col("variance") > 0) & ~pl.col("service_line").is_in(list(INCOME_LINES))
    row = lines.select(
        pl.col("budget").sum(),
        pl.col("outturn").sum(),
        pl.col("variance").filter(over).sum().alias("gross_overspend"),
        pl.col("variance").filter(~over).sum().alias("offsets"),
        pl.col("variance").sum().alias("net_overspend"),
        pl.col("variance").filter(pl.col("recurrent")).sum().alias("recurrent"),
        pl.col("variance").filter(~pl.col("recurrent")).sum().alias("non_recurrent"),
        pl.col("full_year_effect").sum(),
    ).row(0, named=True)
    return Position(**{k: float(v) for k, v in row.items()})
