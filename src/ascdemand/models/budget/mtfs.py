"""The medium-term financial strategy (MTFS) assumptions that set a year's budget.

The 2021/22 budget was set in the autumn of 2020 on the pre-pandemic cost base with the usual
demographic growth and cost inflation (report para 7), so the budget of a line is its last
normal year's spend rolled forward by these rates. One definition serves the demo ledger
(which sets its budget with it) and the full-year effect (next year's budget is this year's
rolled forward one year).
"""

from __future__ import annotations

from dataclasses import dataclass

CARE_LINES = (
    "homecare",
    "residential_nursing",
    "supported_living",
    "reablement",
    "direct_payments",
    "day_care",
)


@dataclass(frozen=True, slots=True)
class MtfsAssumptions:
    """Yearly growth rates used to roll a base year's spend forward into a budget.

    Attributes:
        demographic_growth: Growth in the number of people needing council-funded care, a
            year. 1%: the demo county's funded demand had grown far below the national 3-4% and
            its older-adult spend fell in 2019/20 (report para 28), and only "normal" growth
            was added while the trend was unclear (para 29).
        cost_inflation: Provider fee inflation, a year: 2%, the general inflation target, as
            the 2021/22 MTFS did not foresee the pandemic's rise in care costs (paras 17, 24).
        pay_inflation: Staff pay award, a year (local government pay award: 2.5%).
        other_inflation: General price inflation on non-care, non-staff lines (CPI: 2%).
    """

    demographic_growth: float = 0.01
    cost_inflation: float = 0.02
    pay_inflation: float = 0.025
    other_inflation: float = 0.02

    def uplift(self, service_line: str, years: int) -> float:
        """Factor that rolls `service_line`'s base-year money forward by `years` years.

        Care lines and client contributions grow with demography and fees; staffing with pay;
        everything else with general inflation.
        """
        if service_line in CARE_LINES or service_line == "client_contributions":
            yearly = (1 + self.demographic_growth) * (1 + self.cost_inflation)
        elif service_line == "staffing":
            yearly = 1 + self.pay_inflation
        else:
            yearly = 1 + self.other_inflation
        return yearly**years
