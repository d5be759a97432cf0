"""The demo ledger and budget follow the person-level frames (hand-worked cases)."""

from datetime import date

import polars as pl
import pytest

from ascdemand.demo.finance import FinanceProfile, build_finance
from ascdemand.models.budget.mtfs import MtfsAssumptions
from ascdemand.store.contract import CARE_PACKAGES, INCOME_LINES, PLACEMENTS

NO_NOISE = FinanceProfile(noise=0.0)
TYPES = {"text": pl.String, "date": pl.Date, "number": pl.Float64}


def _schema(table) -> dict:
    return {c.name: TYPES[c.type] for c in table.columns}


def packages(rows: list[tuple[str, date, date | None, float, str]]) -> pl.DataFrame:
    """care_packages rows from (service_type, start, end, weekly_cost, source)."""
    return pl.DataFrame(
        [
            {
                "package_id": f"k{i}",
                "person_id": f"p{i}",
                "service_type": kind,
                "district": "Melton",
                "client_group": "older_adults",
                "start_date": start,
                "end_date": end,
                "hours_per_week": 7.0,
                "weekly_cost": cost,
                "provider": None,
                "source": source,
            }
            for i, (kind, start, end, cost, source) in enumerate(rows)
        ],
        schema=_schema(CARE_PACKAGES),
    )


def placements(rows: list[tuple[str, date, float, str]]) -> pl.DataFrame:
    """placements rows from (placement_type, start, weekly_cost, reason), all open."""
    return pl.DataFrame(
        [
            {
                "placement_id": f"h{i}",
                "person_id": f"q{i}",
                "placement_type": kind,
                "setting": "residential",
                "district": "Melton",
                "client_group": "older_adults",
                "start_date": start,
                "end_date": None,
                "weekly_cost": cost,
                "standard_rate": cost,
                "additional_payment": 0.0,
                "provider": None,
                "reason": reason,
            }
            for i, (kind, start, cost, reason) in enumerate(rows)
        ],
        schema=_schema(PLACEMENTS),
    )


def _line(ledger: pl.DataFrame, year: str, line: str, column: str) -> list[float]:
    rows = ledger.filter((pl.col("financial_year") == year) & (pl.col("service_line") == line))
    return rows.sort("period")[column].to_list()


def test_spend_is_the_cost_of_care_active_in_each_period():
    """£70 a week = £10 a day: April 30 days = 300, May 310, June 300."""
    out = build_finance(
        packages([("homecare", date(2019, 4, 1), None, 70.0, "community")]),
        placements([]),
        as_at=date(2019, 6, 30),
        seed=1,
        profile=NO_NOISE,
    )
    assert _line(out["ledger"], "2019/20", "homecare", "actual_spend") == pytest.approx(
        [300, 310, 300]
    )


def test_nhs_pays_the_first_four_weeks_a_month_in_arrears():
    """Discharged 5 July 2021: funded 5 July - 1 August (28 days). July's 27 days (270) are
    paid in August (P5), August's 1 day (10) in September (P6)."""
    out = build_finance(
        packages([("homecare", date(2021, 7, 5), None, 70.0, "hospital_discharge")]),
        placements([]),
        as_at=date(2021, 9, 30),
        seed=1,
        profile=FinanceProfile(noise=0.0, nhs_claim_share=((date(2020, 3, 1), 1.0),)),
    )
    received = _line(out["ledger"], "2021/22", "nhs_discharge_income", "income")
    assert received == pytest.approx([0, 0, 0, 0, 270, 10])


def test_a_higher_nhs_share_tops_up_the_claims_already_paid():
    """Discharged 3 May 2021: 6 funded weeks, 3 May - 13 June: May 290, June 130. Paid at
    50%: 145 in June, 65 in July; at 60% from August the earlier 420 get 10% more: 42."""
    profile = FinanceProfile(
        noise=0.0, nhs_claim_share=((date(2021, 4, 1), 0.5), (date(2021, 8, 1), 0.6))
    )
    out = build_finance(
        packages([("homecare", date(2021, 5, 3), None, 70.0, "hospital_discharge")]),
        placements([]),
        as_at=date(2021, 8, 31),
        seed=1,
        profile=profile,
    )
    received = _line(out["ledger"], "2021/22", "nhs_discharge_income", "income")
    assert received == pytest.approx([0, 0, 145, 65, 42])


def test_client_contributions_start_after_the_financial_assessment():
    """A permanent placement at £700 a week since January 2019 is charged at 30%: £30 a day,
    so April 2019 brings 30 x 30 = 900."""
    out = build_finance(
        packages([]),
        placements([("permanent", date(2019, 1, 7), 700.0, "community_assessment")]),
        as_at=date(2019, 4, 30),
        seed=1,
        profile=NO_NOISE,
    )
    assert _line(out["ledger"], "2019/20", "client_contributions", "income") == pytest.approx([900])


def test_budget_rolls_the_last_normal_year_forward_and_income_is_negative():
    """2019/20 has 366 days of a £10-a-day package: 3,660. The 2021/22 budget skips the
    pandemic year: 3,660 x (1.01 x 1.02)^2. Grants are budgeted negative; the NHS's
    temporary money is not budgeted."""
    out = build_finance(
        packages([("homecare", date(2018, 4, 1), None, 70.0, "community")]),
        placements([]),
        as_at=date(2021, 10, 31),
        seed=1,
        profile=NO_NOISE,
        mtfs=MtfsAssumptions(demographic_growth=0.01, cost_inflation=0.02),
    )
    plan = {
        (r["financial_year"], r["service_line"]): r["budget"]
        for r in out["budget_lines"].iter_rows(named=True)
    }
    assert plan[("2021/22", "homecare")] == pytest.approx(3660 * (1.01 * 1.02) ** 2)
    assert plan[("2021/22", "grants")] < 0
    assert plan[("2021/22", "nhs_discharge_income")] == 0
    ledger = out["ledger"]
    income_rows = ledger.filter(pl.col("service_line").is_in(list(INCOME_LINES)))
    assert (income_rows["actual_spend"] == 0).all()
    assert (ledger.filter(~pl.col("service_line").is_in(list(INCOME_LINES)))["income"] == 0).all()
    assert ledger.filter(pl.col("financial_year") == "2021/22")["period"].max() == 7
