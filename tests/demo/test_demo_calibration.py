"""The demo database reproduces the figures of the November 2021 report (`demo.report`, the
same figures the generator's parameters are built from), read back through the weekly views the
app uses. The demo is constructed to do so: these tests guard the generator and the views, and
say nothing about the accuracy of any model.

Every measure is summed over all seven districts. "A Monday" means the views' `week_start`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from ascdemand.demo.report import REPORT


@pytest.fixture(scope="module")
def con(demo_db: Path):
    connection = duckdb.connect(str(demo_db), read_only=True)
    yield connection
    connection.close()


def _homecare(con, first: date, last: date) -> tuple[float, float]:
    """Mean county people and mean county hours over the Mondays from `first` to `last`."""
    return con.execute(
        """
        SELECT avg(people), avg(hours) FROM (
          SELECT week_start, sum(people) AS people, sum(hours) AS hours
          FROM homecare_weekly WHERE week_start BETWEEN ? AND ? GROUP BY week_start)
        """,
        [first, last],
    ).fetchone()


def _weekly(con, sql: str, first: date, last: date) -> list[tuple]:
    return con.execute(sql, [first, last]).fetchall()


def test_homecare_people_on_2_march_2020(con):
    """People with an active homecare package on Monday 2 March 2020: 1,801 +- 3%."""
    people, _ = _homecare(con, date(2020, 3, 2), date(2020, 3, 2))
    assert people == pytest.approx(REPORT.homecare_people_march_2020, rel=0.03), people


def test_homecare_people_october_2021(con):
    """Mean of the October 2021 Mondays (4, 11, 18, 25): 2,379 +- 3% ("currently", para 12)."""
    people, _ = _homecare(con, date(2021, 10, 1), date(2021, 10, 31))
    assert people == pytest.approx(REPORT.homecare_people_october_2021, rel=0.03), people


def test_hours_per_person_march_2020(con):
    """County hours / county people on Monday 2 March 2020: 12.0 +- 0.5."""
    people, hours = _homecare(con, date(2020, 3, 2), date(2020, 3, 2))
    assert hours / people == pytest.approx(REPORT.hours_per_person_march_2020, abs=0.5), (
        hours / people
    )


def test_hours_per_person_peak_in_2020_21(con):
    """The highest weekly hours per person over the Mondays of 2020/21 (6 April 2020 to 29 March
    2021) is "nearly 15": between 14.3 and 15.0."""
    (peak,) = con.execute(
        """
        SELECT max(hours / people) FROM (
          SELECT week_start, sum(people) AS people, sum(hours) AS hours
          FROM homecare_weekly WHERE week_start BETWEEN ? AND ? GROUP BY week_start)
        """,
        [date(2020, 4, 1), date(2021, 3, 31)],
    ).fetchone()
    assert 14.3 <= peak <= REPORT.hours_per_person_high, peak


def test_hours_per_person_october_2021(con):
    """Hours / people over the October 2021 Mondays: 12.5 +- 0.4 after the reviews (para 23)."""
    people, hours = _homecare(con, date(2021, 10, 1), date(2021, 10, 31))
    assert hours / people == pytest.approx(REPORT.hours_per_person_october_2021, abs=0.4), (
        hours / people
    )


def test_hours_commissioned_july_2021_over_march_2020(con):
    """Mean weekly hours over the July 2021 Mondays (5, 12, 19, 26) minus the hours on Monday
    2 March 2020: 6,000 +- 600 more hours a week (para 11)."""
    _, july = _homecare(con, date(2021, 7, 1), date(2021, 7, 31))
    _, march = _homecare(con, date(2020, 3, 2), date(2020, 3, 2))
    assert july - march == pytest.approx(REPORT.extra_hours_july_2021, abs=600), july - march


_TO_SOCIAL_CARE = """
    SELECT week_start, sum(to_social_care) AS weekly FROM discharges_weekly
    WHERE week_start BETWEEN ? AND ? GROUP BY week_start
"""


def test_discharges_to_social_care_2019_20(con):
    """Weekly mean of discharges to social care over the 53 weeks starting 1 April 2019 to
    30 March 2020: 90 +- 5."""
    rows = _weekly(con, _TO_SOCIAL_CARE, date(2019, 4, 1), date(2020, 3, 31))
    assert len(rows) == 53
    mean = sum(weekly for _, weekly in rows) / len(rows)
    assert mean == pytest.approx(REPORT.discharges_before_pandemic, abs=5), mean


def test_discharges_to_social_care_peak_march_2021(con):
    """The busiest week starting in March 2021 (1, 8, 15, 22 or 29 March): 119 +- 6."""
    rows = _weekly(con, _TO_SOCIAL_CARE, date(2021, 3, 1), date(2021, 3, 31))
    peak = max(weekly for _, weekly in rows)
    assert peak == pytest.approx(REPORT.discharges_peak_march_2021, abs=6), peak


_TEMPORARY = """
    SELECT week_start, sum(people) AS people, sum(admissions) AS admissions
    FROM temp_residential_weekly WHERE week_start BETWEEN ? AND ? GROUP BY week_start
"""


def test_temporary_residential_before_the_pandemic(con):
    """Mean people in a temporary placement over the Mondays of January and February 2020:
    284 +- 15."""
    rows = _weekly(con, _TEMPORARY, date(2020, 1, 1), date(2020, 2, 29))
    mean = sum(r[1] for r in rows) / len(rows)
    assert mean == pytest.approx(REPORT.temporary_people_before, abs=15), mean


def test_temporary_residential_peak_and_october_2021(con):
    """Over 700 on the busiest Monday since April 2018; over 500 on every October 2021 Monday."""
    rows = _weekly(con, _TEMPORARY, date(2018, 4, 1), date(2021, 10, 31))
    assert max(r[1] for r in rows) > REPORT.temporary_people_peak_over
    october = [r[1] for r in rows if r[0] >= date(2021, 10, 1)]
    assert len(october) == 4
    assert min(october) > REPORT.temporary_people_october_over, october


def test_temporary_admissions_rose_about_82_percent(con):
    """Weekly mean of temporary admissions over the Mondays of 2020/21 (6 April 2020 - 29 March
    2021) against 2019/20 (1 April 2019 - 30 March 2020): 70% to 95% higher (report: 82%)."""
    before = _weekly(con, _TEMPORARY, date(2019, 4, 1), date(2020, 3, 31))
    during = _weekly(con, _TEMPORARY, date(2020, 4, 1), date(2021, 3, 31))
    rise = (sum(r[2] for r in during) / len(during)) / (sum(r[2] for r in before) / len(before))
    assert rise == pytest.approx(1 + REPORT.temporary_admissions_rise, abs=0.125), rise


def test_permanent_admissions_fell(con):
    """Permanent placements starting in 2020/21 are fewer than those starting in 2019/20."""
    counts = dict(
        con.execute(
            """
            SELECT CASE WHEN start_date < DATE '2020-04-01' THEN '2019/20' ELSE '2020/21' END,
                   count(*)
            FROM placements
            WHERE placement_type = 'permanent'
              AND start_date BETWEEN DATE '2019-04-01' AND DATE '2021-03-31'
            GROUP BY ALL
            """
        ).fetchall()
    )
    assert counts["2020/21"] < counts["2019/20"], counts


_OLDER_RESIDENTIAL = """
    SELECT avg(weekly_cost), avg(CASE WHEN additional_payment > 0 THEN 1.0 ELSE 0.0 END),
           count(*)
    FROM placements
    WHERE client_group = 'older_adults' AND setting = 'residential'
      AND start_date BETWEEN ? AND ?
"""


def test_residential_cost_in_2021(con):
    """Older-adult residential placements (temporary and permanent) starting 1 January to
    31 October 2021 cost £721 +- £10 a week on average."""
    mean_cost, _, count = con.execute(
        _OLDER_RESIDENTIAL, [date(2021, 1, 1), date(2021, 10, 31)]
    ).fetchone()
    assert count > 1000
    assert mean_cost == pytest.approx(REPORT.actual_weekly_cost_2021, abs=10), mean_cost


def test_standard_rate_2021_22(con):
    """Every older-adult residential placement starting in 2021/22 has the £615 standard rate."""
    rates = con.execute(
        "SELECT DISTINCT standard_rate FROM placements WHERE client_group = 'older_adults' "
        "AND setting = 'residential' AND start_date >= DATE '2021-04-01'"
    ).fetchall()
    assert rates == [(REPORT.standard_rate_2021,)]


def test_additional_payment_share(con):
    """Share of older-adult residential placements with an additional payment: 23% +- 2 points
    for those starting 1 April 2018 to 29 February 2020, 42% +- 2 points for those starting
    1 January to 31 October 2021 (para 24)."""
    _, before, _ = con.execute(_OLDER_RESIDENTIAL, [date(2018, 4, 1), date(2020, 2, 29)]).fetchone()
    _, in_2021, _ = con.execute(
        _OLDER_RESIDENTIAL, [date(2021, 1, 1), date(2021, 10, 31)]
    ).fetchone()
    assert before == pytest.approx(REPORT.additional_payment_share_before, abs=0.02), before
    assert in_2021 == pytest.approx(REPORT.additional_payment_share_2021, abs=0.02), in_2021


def test_no_ongoing_package_share_fell_and_has_not_recovered(con):
    """Share of discharges with no ongoing package (1 - to_social_care / discharges): lower in
    2020/21 than in 2019/20 by over 5 points, and still over 3 points lower in the weeks
    starting August to October 2021 (para 21)."""

    def share(first: date, last: date) -> float:
        (value,) = con.execute(
            "SELECT 1 - sum(to_social_care) / sum(discharges) FROM discharges_weekly "
            "WHERE week_start BETWEEN ? AND ?",
            [first, last],
        ).fetchone()
        return value

    before = share(date(2019, 4, 1), date(2020, 3, 1))
    pandemic = share(date(2020, 4, 1), date(2021, 3, 31))
    late_2021 = share(date(2021, 8, 1), date(2021, 10, 31))
    assert pandemic < before - 0.05, (before, pandemic)
    assert late_2021 < before - 0.03, (before, late_2021)
    assert late_2021 > pandemic, (pandemic, late_2021)
