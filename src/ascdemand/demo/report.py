"""The figures of the 2021 report the demo county is built to reproduce: one definition, read
by the generator's parameters (`demo.params`) and by the tests that check the demo
(`tests/demo/test_demo_calibration.py`, `tests/models/budget/test_calibration.py`).

Source: "Current demand pressures on the Adults and Communities Department forecast budget
2021/22", Adults and Communities Overview and Scrutiny Committee, 1 November 2021 (paragraphs
in the comments). The demo is constructed to reproduce these numbers, so a test that finds them
in the demo checks the generator and the views, not the accuracy of any model: the forecasts,
scenarios and budget model are never fitted to them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReportFigures:
    """The report's figures, in the units the views use."""

    homecare_people_march_2020: float = 1801.0  # people, 1 March 2020 (para 9)
    homecare_people_october_2021: float = 2379.0  # people, October 2021 (+32%, para 9)
    hours_per_person_march_2020: float = 12.0  # hours a week (para 10)
    hours_per_person_high: float = 15.0  # "a high of nearly 15" (para 10)
    hours_per_person_october_2021: float = 12.5  # (para 10)
    extra_hours_july_2021: float = 6000.0  # hours a week more than in March 2020 (para 11)
    discharges_before_pandemic: float = 90.0  # to social care, a week (para 12)
    discharges_peak_march_2021: float = 119.0  # a week, March 2021, +30% (para 12)
    temporary_people_before: float = 284.0  # people (para 14)
    temporary_people_peak_over: float = 700.0  # "over 700 at the peak" (para 14)
    temporary_people_october_over: float = 500.0  # "over 500" in October 2021 (para 14)
    temporary_admissions_rise: float = 0.82  # temporary admissions +82% (para 15)
    standard_rate_2021: float = 615.0  # £ a week, older adults' residential care (para 17)
    actual_weekly_cost_2021: float = 721.0  # £ a week, average paid (para 17)
    additional_payment_share_before: float = 0.23  # of placements (para 18)
    additional_payment_share_2021: float = 0.42  # (para 18)
    net_overspend_p3_over: float = 15.0e6  # £, "over £15m" at period 3 (para 38)
    net_overspend_p4: float = 13.5e6  # £, period 4 (para 39)
    net_overspend_p5: float = 9.8e6  # £, period 5 (para 40)
    homecare_overspend_p4: float = 11.8e6  # £ gross, period 4 (para 39)
    residential_overspend_p4: float = 6.3e6  # £ gross, period 4 (para 39)
    nhs_discharge_income_p4: float = 6.5e6  # £ non-recurrent income, period 4 (para 39)


REPORT = ReportFigures()
