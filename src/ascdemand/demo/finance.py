"""Demo finance: the budget and monthly ledger, derived from the person-level demo data.

Money follows people. The spend of a care line in a period is the cost of the packages and
placements active in it (weekly cost / 7 per day); NHS discharge income is the NHS-funded first
weeks of care after a hospital discharge, paid a month in arrears; client contributions are
charged on care after the financial assessment, which fell into a backlog in the pandemic and
was cleared in August 2021 (report paras 38, 40). Staffing, other costs and grants are not
person-level and follow simple, stated profiles. Budgets come from the MTFS rule (report para 7):
the last normal year's actual spend rolled forward with demographic growth and inflation.

Sign convention (the contract's): `ledger.actual_spend` is money out and `ledger.income` money
in, both positive; spend lines carry no income and income lines no spend. `budget_lines.budget`
is positive for spend lines and negative for income lines, so a year's net budget is the sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

import numpy as np
import polars as pl

from ascdemand.models.budget.mtfs import MtfsAssumptions
from ascdemand.models.budget.periods import last_complete_period, period_bounds, year_label
from ascdemand.store.contract import INCOME_LINES, SPEND_LINES

_OPEN_END = date(9999, 12, 31)
_PACKAGE_LINES = {
    "homecare": "homecare",
    "reablement": "reablement",
    "supported_living": "supported_living",
    "day_care": "day_care",
    "direct_payment": "direct_payments",
    "other": "other",
}


@dataclass(frozen=True, slots=True)
class FinanceProfile:
    """The stated assumptions of the demo ledger that are not read from person-level data.

    Money is in pounds; a "month" is one financial period.
    """

    first_ledger_year: int = 2019
    budget_base_years: tuple[tuple[int, int], ...] = ((2019, 2018), (2020, 2019), (2021, 2019))
    """(budget year, base year): 2021/22 skips the pandemic year 2020/21 (report para 7)."""
    staffing_per_month: float = 2_600_000.0
    """Full establishment cost in 2018/19, before vacancies."""
    vacancy_rate: tuple[tuple[int, float], ...] = (
        (2018, 0.04),
        (2019, 0.04),
        (2020, 0.05),
        (2021, 0.09),
    )
    """Share of posts vacant; 2021/22 recruitment was hard (report paras 22, 35)."""
    other_per_month: float = 900_000.0
    """Equipment, transport, commissioning and support costs in 2018/19."""
    recurrent_grants: tuple[tuple[int, float], ...] = (
        (2018, 24_000_000.0),
        (2019, 25_000_000.0),
        (2020, 26_500_000.0),
        (2021, 27_500_000.0),
    )
    """Improved Better Care Fund, social care grant and BCF protection, a year (budgeted)."""
    one_off_grants: tuple[tuple[date, float], ...] = (
        (date(2020, 5, 15), 3_500_000.0),
        (date(2020, 11, 15), 2_500_000.0),
        (date(2021, 6, 15), 600_000.0),
    )
    """Covid emergency funding passed to the department (not budgeted, non-recurrent)."""
    nhs_claim_share: tuple[tuple[date, float], ...] = (
        (date(2020, 3, 1), 1.0),
        (date(2021, 4, 1), 0.5),
        (date(2021, 8, 1), 0.65),
    )
    """Share of the NHS-funded weeks' cost the CCG paid, from each payment day: all of it in
    2020/21; in 2021/22 the system's capped allocation was shared with NHS community services,
    paid on account until the first-half allocation was confirmed in August (report para 40)."""
    nhs_one_off_transfer: tuple[date, float] = (date(2021, 10, 20), 5_000_000.0)
    """The NHS's one-off transfer agreed in the autumn of 2021 (report para 41)."""
    charge_rates: tuple[tuple[str, float], ...] = (
        ("residential_nursing", 0.30),
        ("homecare", 0.12),
        ("supported_living", 0.06),
        ("day_care", 0.10),
        ("direct_payments", 0.06),
    )
    """Share of the gross cost recovered from the person after financial assessment."""
    assessment_days: int = 28
    """Normal wait from the start of care to the first charge."""
    assessments_suspended: tuple[date, date] = (date(2020, 3, 23), date(2020, 9, 30))
    """Financial assessments were suspended (report para 38): no charges for these days."""
    backlog_lag_days: int = 120
    """Wait for a financial assessment while the backlog lasted."""
    backlog_cleared: date = date(2021, 8, 1)
    """The day the backlog was cleared; the year's missed charges are invoiced at once."""
    noise: float = 0.015
    """Relative month-to-month noise on staffing and other costs."""


def _nhs_funded_end(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """Last NHS-funded day of care after a discharge under the hospital discharge programme.

    Scheme 1 (discharges 19 Mar - 31 Aug 2020): all care until assessments were completed (taken
    as 31 Dec 2020); scheme 2 (Sep 2020 - Jun 2021): up to 6 weeks; from Jul 2021: up to 4 weeks.
    """
    funded = (
        pl.when(start < date(2020, 3, 19))
        .then(None)
        .when(start <= date(2020, 8, 31))
        .then(pl.lit(date(2020, 12, 31)))
        .when(start <= date(2021, 6, 30))
        .then(start + timedelta(days=41))
        .otherwise(start + timedelta(days=27))
    )
    return pl.when(funded.is_null()).then(None).otherwise(pl.min_horizontal(funded, end))


def _care_items(care_packages: pl.DataFrame, placements: pl.DataFrame) -> pl.DataFrame:
    """Packages and placements as one frame of costed intervals with their service line."""
    packages = care_packages.select(
        pl.col("service_type").replace_strict(_PACKAGE_LINES).alias("service_line"),
        pl.col("weekly_cost").cast(pl.Float64),
        pl.col("start_date"),
        pl.col("end_date"),
        (pl.col("source") == "hospital_discharge").alias("discharge"),
    )
    homes = placements.select(
        pl.lit("residential_nursing").alias("service_line"),
        pl.col("weekly_cost").cast(pl.Float64),
        pl.col("start_date"),
        pl.col("end_date"),
        pl.col("reason")
        .fill_null("")
        .str.to_lowercase()
        .str.contains("discharge")
        .alias("discharge"),
    )
    items = pl.concat([packages, homes]).with_columns(pl.col("end_date").fill_null(_OPEN_END))
    return items.with_columns(
        pl.when(pl.col("discharge"))
        .then(_nhs_funded_end(pl.col("start_date"), pl.col("end_date")))
        .otherwise(None)
        .alias("nhs_end")
    )


def _periods(first_year: int, as_at: date) -> pl.DataFrame:
    """Every complete financial period from April of `first_year` to `as_at`."""
    rows = []
    year = first_year
    while date(year, 4, 30) <= as_at:
        label = year_label(year)
        for period in range(1, last_complete_period(label, as_at) + 1):
            first, last = period_bounds(label, period)
            rows.append((label, year, period, first, last))
        year += 1
    return pl.DataFrame(
        rows,
        schema=["financial_year", "start_year", "period", "first_day", "last_day"],
        orient="row",
    )


def _overlap_cost(
    items: pl.DataFrame,
    periods: pl.DataFrame,
    start: str,
    end: str,
    rates: dict[str, float] | None = None,
) -> pl.DataFrame:
    """Sum of rate x weekly cost / 7 over the days of [start, end] that fall in each period.

    Exact: pennies x days are summed as integers, one pass over the items per period (never
    the items x periods cross product, millions of rows at scale 100), and each line's sum
    is divided once, with its rate (default 1) read as the decimal it is written as. So the
    result is the correctly rounded amount, the same on every run and at any scale.
    """
    spans = (
        items.filter(pl.col(start).is_not_null() & (pl.col(start) <= pl.col(end)))
        .select(
            "service_line",
            (pl.col("weekly_cost") * 100).round().cast(pl.Int64).alias("pennies"),
            pl.col(start).cast(pl.Int64).alias("first"),
            pl.col(end).cast(pl.Int64).alias("last"),
        )
        .sort("service_line")
    )
    lines, counts = np.unique(spans["service_line"].to_numpy(), return_counts=True)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    pennies, first, last = (spans[c].to_numpy() for c in ("pennies", "first", "last"))
    fractions = {
        line: Fraction(str(rates[line])) if rates else Fraction(1) for line in lines.tolist()
    }
    rows = []
    for *key, first_day, last_day in periods.select(
        "financial_year",
        "start_year",
        "period",
        pl.col("first_day").cast(pl.Int64),
        pl.col("last_day").cast(pl.Int64),
    ).iter_rows():
        days = np.minimum(last, last_day) - np.maximum(first, first_day) + 1
        np.maximum(days, 0, out=days)
        for line, lo, hi in zip(lines.tolist(), bounds[:-1], bounds[1:], strict=True):
            if days[lo:hi].any():
                penny_days = int(np.dot(pennies[lo:hi], days[lo:hi]))
                rate = fractions[line]
                amount = penny_days * rate.numerator / (700 * rate.denominator)
                rows.append((*key, line, amount))
    schema = {
        "financial_year": pl.String,
        "start_year": pl.Int64,
        "period": pl.Int64,
        "service_line": pl.String,
        "amount": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def _charge_start(profile: FinanceProfile) -> pl.Expr:
    """First charged day: after the NHS-funded weeks and the financial assessment."""
    start = pl.col("start_date")
    suspended_from, suspended_to = profile.assessments_suspended
    normal = start + timedelta(days=profile.assessment_days)
    in_backlog = (start >= suspended_from) & (start < profile.backlog_cleared)
    assessed = (
        pl.when(in_backlog)
        .then(
            pl.min_horizontal(
                pl.max_horizontal(
                    start + timedelta(days=profile.backlog_lag_days),
                    pl.lit(suspended_to + timedelta(days=1)),
                ),
                pl.lit(profile.backlog_cleared),
            )
        )
        .otherwise(normal)
    )
    after_nhs = pl.col("nhs_end").fill_null(date(1900, 1, 1)) + timedelta(days=1)
    return pl.max_horizontal(assessed, after_nhs)


def _contributions(
    items: pl.DataFrame, periods: pl.DataFrame, profile: FinanceProfile
) -> pl.DataFrame:
    """Client contributions by period, including the arrears invoiced when the backlog cleared.

    Charges are due from `assessment_days` after the start (never for NHS-funded or suspended
    days); a person caught in the backlog is charged from assessment, and on `backlog_cleared`
    the charges everyone missed while waiting are invoiced back to the later of their normal
    charge date and 1 April 2021 (earlier years' losses are written off).
    """
    rates = dict(profile.charge_rates)
    charged = items.filter(pl.col("service_line").is_in(list(rates))).with_columns(
        pl.col("service_line").replace_strict(rates, return_dtype=pl.Float64).alias("rate"),
        _charge_start(profile).alias("charge_start"),
    )
    regular = _overlap_cost(charged, periods, "charge_start", "end_date", rates)
    cleared = profile.backlog_cleared
    arrears_from = pl.max_horizontal(
        pl.col("start_date") + timedelta(days=profile.assessment_days),
        pl.col("nhs_end").fill_null(date(1900, 1, 1)) + timedelta(days=1),
        pl.lit(date(cleared.year if cleared.month >= 4 else cleared.year - 1, 4, 1)),
    )
    arrears_to = pl.min_horizontal(pl.col("charge_start") - timedelta(days=1), pl.col("end_date"))
    days = (arrears_to - arrears_from).dt.total_days().add(1).clip(lower_bound=0)
    waited = (pl.col("start_date") >= profile.assessments_suspended[0]) & (
        pl.col("start_date") < cleared
    )
    arrears = charged.filter(waited).select(
        (pl.col("weekly_cost") / 7 * days * pl.col("rate")).sum().alias("amount")
    )
    lump = periods.filter(
        (pl.col("first_day") <= cleared) & (pl.col("last_day") >= cleared)
    ).select("financial_year", "start_year", "period")
    extra = lump.with_columns(
        pl.lit("client_contributions").alias("service_line"),
        pl.lit(float(arrears.item() or 0.0) if lump.height else 0.0).alias("amount"),
    )
    total = pl.concat(
        [regular.with_columns(pl.lit("client_contributions").alias("service_line")), extra]
    )
    keys = ["financial_year", "start_year", "period", "service_line"]
    return total.group_by(keys, maintain_order=True).agg(pl.col("amount").sum())


def _nhs_discharge_income(
    items: pl.DataFrame, periods: pl.DataFrame, profile: FinanceProfile
) -> pl.DataFrame:
    """NHS discharge income received by period.

    The funded weeks' cost is claimed a month in arrears and paid at the share in force on the
    payment day; when the share rises within a year, the claims already paid that year are
    topped up to it in the same period.
    """
    funded = _overlap_cost(items, periods, "start_date", "nhs_end")
    by_period = funded.group_by("financial_year", "start_year", "period", maintain_order=True).agg(
        pl.col("amount").sum()
    )
    ordered = periods.join(by_period, on=["financial_year", "start_year", "period"], how="left")
    claims = ordered["amount"].fill_null(0.0).shift(1, fill_value=0.0).to_list()
    shares = [
        max(((day, s) for day, s in profile.nhs_claim_share if day <= first), default=(first, 0.0))[
            1
        ]
        for first in ordered["first_day"]
    ]
    years = ordered["start_year"].to_list()
    received = []
    for i, claim in enumerate(claims):
        amount = claim * shares[i]
        if i and years[i] == years[i - 1] and shares[i] > shares[i - 1]:
            paid_before = sum(
                c for c, y in zip(claims[:i], years[:i], strict=True) if y == years[i]
            )
            amount += (shares[i] - shares[i - 1]) * paid_before
        received.append(amount)
    return ordered.select("financial_year", "start_year", "period").with_columns(
        pl.Series("amount", received, dtype=pl.Float64),
        pl.lit("nhs_discharge_income").alias("service_line"),
    )


def _profiled_lines(
    periods: pl.DataFrame, profile: FinanceProfile, mtfs: MtfsAssumptions, seed: int
) -> pl.DataFrame:
    """Staffing, other costs, grants and the NHS one-off transfer, by period."""
    rng = np.random.default_rng(seed)
    years = periods["start_year"].to_numpy() - periods["start_year"].min()
    vacancy = dict(profile.vacancy_rate)
    vacant = np.array([vacancy.get(y, vacancy[max(vacancy)]) for y in periods["start_year"]])
    staffing = (
        profile.staffing_per_month
        * (1 + mtfs.pay_inflation) ** years
        * (1 - vacant)
        * (1 + profile.noise * rng.standard_normal(periods.height))
    )
    other = (
        profile.other_per_month
        * (1 + mtfs.other_inflation) ** years
        * (1 + profile.noise * rng.standard_normal(periods.height))
    )
    grants = dict(profile.recurrent_grants)
    recurrent = np.array([grants.get(y, grants[max(grants)]) / 12 for y in periods["start_year"]])

    def dated(events: tuple[tuple[date, float], ...]) -> np.ndarray:
        first, last = periods["first_day"], periods["last_day"]
        return np.array(
            [
                sum(amount for day, amount in events if lo <= day <= hi)
                for lo, hi in zip(first, last, strict=True)
            ],
            dtype=float,
        )

    keys = periods.select("financial_year", "start_year", "period")
    lines = {
        "staffing": staffing,
        "other": other,
        "grants": recurrent + dated(profile.one_off_grants),
        "nhs_one_off_transfer": dated((profile.nhs_one_off_transfer,)),
    }
    return pl.concat(
        [
            keys.with_columns(pl.lit(line).alias("service_line"), pl.Series("amount", values))
            for line, values in lines.items()
        ]
    )


def _budget(
    actuals: pl.DataFrame, profile: FinanceProfile, mtfs: MtfsAssumptions, last_year: int
) -> pl.DataFrame:
    """Each year's budget by the MTFS rule: base-year actuals x growth and inflation.

    Income lines are negative. Grants are budgeted at the year's known recurrent allocation;
    NHS discharge income and the one-off transfer are temporary and not budgeted (para 7).
    """
    annual = actuals.group_by("start_year", "service_line", maintain_order=True).agg(
        pl.col("amount").sum()
    )
    base = {(r["start_year"], r["service_line"]): r["amount"] for r in annual.iter_rows(named=True)}
    grants = dict(profile.recurrent_grants)
    lines_present = sorted(set(annual["service_line"]), key=(SPEND_LINES + INCOME_LINES).index)
    rows = []
    for year, base_year in profile.budget_base_years:
        if year > last_year:
            continue
        for line in lines_present:
            if line in SPEND_LINES:
                budget = base.get((base_year, line), 0.0) * mtfs.uplift(line, year - base_year)
            elif line == "client_contributions":
                budget = -base.get((base_year, line), 0.0) * mtfs.uplift(line, year - base_year)
            elif line == "grants":
                budget = -grants.get(year, grants[max(grants)])
            else:
                budget = 0.0
            rows.append((year_label(year), line, float(budget)))
    return pl.DataFrame(rows, schema=["financial_year", "service_line", "budget"], orient="row")


def build_finance(
    care_packages: pl.DataFrame,
    placements: pl.DataFrame,
    *,
    as_at: date,
    seed: int,
    profile: FinanceProfile | None = None,
    mtfs: MtfsAssumptions | None = None,
) -> dict[str, pl.DataFrame]:
    """The demo `budget_lines` and `ledger` frames, derived from the person-level frames.

    Args:
        care_packages: Rows of the `care_packages` contract (raw person ids are fine).
        placements: Rows of the `placements` contract.
        as_at: The extract date; the ledger holds every period complete by then.
        seed: Seed of the small noise on staffing and other costs.
        profile: The non-person-level assumptions; defaults to `FinanceProfile()`.
        mtfs: The budget-setting assumptions; defaults to `MtfsAssumptions()`.

    Returns:
        {"budget_lines": financial_year, service_line, budget;
         "ledger": financial_year, period, service_line, actual_spend, income}.
    """
    profile = profile or FinanceProfile()
    mtfs = mtfs or MtfsAssumptions()
    base_from = min(base for _, base in profile.budget_base_years)
    periods = _periods(min(base_from, profile.first_ledger_year), as_at)
    items = _care_items(care_packages, placements)
    spend = _overlap_cost(items, periods, "start_date", "end_date")
    money = pl.concat(
        [
            spend.select("financial_year", "start_year", "period", "service_line", "amount"),
            _nhs_discharge_income(items, periods, profile).select(spend.columns[:4] + ["amount"]),
            _contributions(items, periods, profile).select(spend.columns[:4] + ["amount"]),
            _profiled_lines(periods, profile, mtfs, seed),
        ],
        how="vertical_relaxed",
    )
    keys = ["financial_year", "start_year", "period", "service_line"]
    money = money.group_by(keys, maintain_order=True).agg(pl.col("amount").sum())
    order = {line: i for i, line in enumerate(SPEND_LINES + INCOME_LINES)}
    is_income = pl.col("service_line").is_in(list(INCOME_LINES))
    ledger = (
        money.filter(pl.col("start_year") >= profile.first_ledger_year)
        .with_columns(pl.col("service_line").replace_strict(order).alias("_order"))
        .sort("start_year", "period", "_order")
        .select(
            "financial_year",
            pl.col("period").cast(pl.Int64),
            "service_line",
            pl.when(is_income).then(0.0).otherwise(pl.col("amount")).alias("actual_spend"),
            pl.when(is_income).then(pl.col("amount")).otherwise(0.0).alias("income"),
        )
    )
    last_year = as_at.year if as_at.month >= 4 else as_at.year - 1
    return {"budget_lines": _budget(money, profile, mtfs, last_year), "ledger": ledger}
