"""Every knob of the demo generator in one frozen object, with its unit.

The demo is constructed to reproduce the 2021 report (`demo.report`): knots marked "report"
take the report's figure itself; knots marked "tuned" were chosen, by building the demo and
reading it back through the views, so that the views land on a report figure (for example the
October 2021 homecare stock of 2,400 gives the report's 2,379 people after endings and
merging). The homecare price paid in 2021/22 and the care-home deaths of the 2020 and winter
2020/21 waves were tuned so the budget model's period 4 and 5 forecasts land near the report's
£13.5m and £9.8m; the model itself is not fitted to them.

Curves are given as knots `(ISO date, value)` joined by straight lines and held flat beyond the
ends. Stocks (people on a Monday) are targets the generator solves entries for; flows (people a
week) drive discharges. All people and flows are for scale 1 and multiply by `--scale`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ascdemand.demo.report import REPORT

Knots = tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class DemoParams:
    """The calibrated parameters of the Leicestershire-shaped demo county (units in comments)."""

    series_start: str = "2018-04-02"  # first Monday of the data (start of 2018/19)
    as_at: str = "2021-10-31"  # extract date: nothing later is generated

    # Districts and their 2020 mid-year population (people), which weight every flow.
    districts: tuple[tuple[str, int], ...] = (
        ("Blaby", 101_500),
        ("Charnwood", 185_900),
        ("Harborough", 94_500),
        ("Hinckley and Bosworth", 114_000),
        ("Melton", 51_400),
        ("North West Leicestershire", 104_700),
        ("Oadby and Wigston", 57_800),
    )
    # Share of each district's homecare in the framework's rural zone (fraction).
    rural_share: tuple[float, ...] = (0.20, 0.30, 0.65, 0.45, 0.70, 0.45, 0.05)

    # --- hospital discharges -------------------------------------------------------------
    # Discharges to social care (outcome other than no_ongoing_package), people a week.
    to_social_care: Knots = (
        ("2018-04-02", 88.0),
        ("2019-04-01", REPORT.discharges_before_pandemic),  # report
        ("2020-03-09", REPORT.discharges_before_pandemic),  # report
        ("2020-03-30", 104.0),
        ("2020-05-04", 100.0),
        ("2020-08-03", 96.0),
        ("2020-10-12", 88.0),
        ("2020-12-28", 89.0),
        ("2021-01-25", 95.0),
        ("2021-03-01", 114.0),
        ("2021-03-22", 116.0),
        ("2021-04-12", 106.0),
        ("2021-07-05", 102.0),
        ("2021-10-25", 100.0),
    )
    winter_amplitude: float = 0.04  # relative lift of discharges in mid-January, fall in July
    christmas_dip: float = 0.15  # relative fall of discharges in the week of 25 December
    weekly_noise: float = 0.025  # relative sd of the weekly discharge count
    weekday_weights: tuple[float, ...] = (1.15, 1.1, 1.1, 1.1, 1.2, 0.75, 0.6)  # Mon..Sun
    # Share of referred discharges that needed no ongoing package (fraction).
    no_package_share: Knots = (
        ("2018-04-02", 0.40),
        ("2020-03-09", 0.40),
        ("2020-05-04", 0.24),
        ("2020-10-12", 0.28),
        ("2021-03-01", 0.25),
        ("2021-10-25", 0.31),
    )
    # Share of discharges to social care going to reablement (fraction): bypassed in the pandemic.
    reablement_share: Knots = (
        ("2018-04-02", 0.30),
        ("2020-03-09", 0.30),
        ("2020-04-20", 0.15),
        ("2021-01-04", 0.16),
        ("2021-10-25", 0.22),
    )
    other_share: float = 0.05  # of discharges to social care: other outcomes (fraction)
    # Discharges straight to a permanent placement (P3), people a week.
    permanent_from_discharge: Knots = (
        ("2018-04-02", 3.0),
        ("2020-03-09", 3.0),
        ("2020-04-20", 1.0),
        ("2021-04-05", 1.5),
    )
    # Share of temporary admissions that come straight from a hospital discharge (fraction).
    temporary_from_discharge: Knots = (
        ("2018-04-02", 0.60),
        ("2020-03-09", 0.60),
        ("2020-04-20", 0.62),
        ("2021-10-25", 0.62),
    )
    acute_trust_share: float = 0.88  # discharges from University Hospitals of Leicester (RWE)

    # --- homecare ------------------------------------------------------------------------
    # People with an active homecare package on a Monday (target stock).
    homecare_people: Knots = (
        ("2018-04-02", 1750.0),
        ("2019-04-01", 1780.0),
        ("2020-03-02", REPORT.homecare_people_march_2020),  # report
        ("2020-03-23", 1810.0),
        ("2020-05-25", 1990.0),
        ("2020-08-10", 2040.0),
        ("2020-10-05", 2010.0),
        ("2020-12-21", 1915.0),
        ("2021-01-25", 1925.0),
        ("2021-04-05", 2090.0),
        ("2021-06-07", 2125.0),
        ("2021-07-19", 2165.0),
        ("2021-10-25", 2400.0),  # tuned: the views then give the report's 2,379
    )
    # Mean hours per week per person receiving homecare (target).
    homecare_hours: Knots = (
        ("2018-04-02", 11.9),
        ("2020-03-23", 12.0),
        ("2020-06-01", 13.0),
        ("2020-09-07", 13.8),
        ("2020-12-14", 14.3),
        ("2021-03-08", 14.6),
        ("2021-04-05", 14.55),
        ("2021-07-12", 12.7),
        ("2021-10-25", 12.5),
    )
    # Homecare package length: a mixture of short post-discharge packages and long-term care.
    homecare_length_weights: tuple[float, ...] = (0.5, 0.5)  # share of new packages
    homecare_length_means: tuple[float, ...] = (5.0, 42.0)  # mean active Mondays (weeks)
    homecare_hours_shape: float = 3.0  # gamma shape of a package's hours (CV = 1/sqrt(shape))
    homecare_min_hours: float = 1.0  # hours a week
    homecare_community_floor: float = 0.15  # community starts at least this share of the week's
    homecare_noise: float = 0.04  # relative sd of weekly community starts
    # Reviews of packages (report para 23): weekly chance a package in place is reviewed.
    review_from: str = "2021-04-05"
    review_to: str = "2021-10-25"
    review_weekly_chance: float = 0.045  # fraction of unreviewed packages a week
    review_min_weeks: int = 6  # a package is reviewed after this many weeks in place
    review_cut: tuple[float, float] = (0.10, 0.50)  # uniform range of the fall in hours
    # Hourly rates paid by financial year (start year, urban £/hour, rural £/hour). 2021/22 is
    # the mean price actually paid: framework providers could not pick up the new packages, so
    # many went to off-framework providers at spot rates near UKHCA's £21.43 minimum (paras 10,
    # 14, 35).
    homecare_rates: tuple[tuple[int, float, float], ...] = (
        (2014, 15.20, 16.30),
        (2018, 16.10, 17.30),
        (2019, 16.60, 17.80),
        (2020, 17.20, 18.50),
        (2021, 20.50, 22.00),
    )
    providers_per_zone: int = 4  # homecare providers on each zone of the framework

    # --- reablement (HART) ---------------------------------------------------------------
    reablement_community_share: float = 0.2  # of reablement starts, referred from the community
    reablement_days: tuple[int, int] = (10, 42)  # uniform range of an episode's length (days)
    reablement_hours: tuple[float, float] = (6.0, 16.0)  # uniform range, hours a week
    reablement_hourly_cost: float = 26.0  # in-house HART cost, £ an hour
    # Share of reablement episodes ending with no ongoing package (fraction).
    reablement_independent: Knots = (
        ("2018-04-02", 0.55),
        ("2020-03-09", 0.55),
        ("2020-05-04", 0.40),
        ("2021-10-25", 0.48),
    )

    # --- temporary residential care -----------------------------------------------------
    # People in a temporary placement on a Monday (target stock).
    temporary_people: Knots = (
        ("2018-04-02", 270.0),
        ("2019-04-01", 280.0),
        ("2020-03-02", REPORT.temporary_people_before),  # report
        ("2020-03-16", 286.0),
        ("2020-05-18", 495.0),
        ("2020-07-13", 500.0),
        ("2020-10-05", 430.0),
        ("2020-12-21", 415.0),
        ("2021-01-25", 470.0),
        ("2021-03-29", 725.0),  # tuned: "over 700 at the peak"
        ("2021-05-03", 695.0),
        ("2021-07-05", 600.0),
        ("2021-10-25", 530.0),  # tuned: "over 500" in October 2021
    )
    temporary_length_weights: tuple[float, ...] = (0.3, 0.7)  # respite-like and longer stays
    temporary_length_means: tuple[float, ...] = (2.5, 10.5)  # mean active Mondays (weeks)
    temporary_community_floor: float = 0.2  # community admissions at least this share
    temporary_noise: float = 0.08  # relative sd of weekly community admissions
    # What follows a temporary stay (fractions): conversion to permanent, home with homecare.
    temporary_to_permanent: Knots = (
        ("2018-04-02", 0.24),
        ("2020-03-09", 0.24),
        ("2020-05-04", 0.14),
    )
    temporary_to_homecare: float = 0.2
    temporary_nursing_share: float = 0.2  # of temporary placements, in a nursing home
    temporary_older_share: float = 0.92  # of temporary placements, older adults

    # --- permanent placements ------------------------------------------------------------
    permanent_stock: tuple[tuple[str, str, float, float], ...] = (
        # client group, setting, people on the first Monday, mean stay (weeks)
        ("older_adults", "residential", 1150.0, 110.0),
        ("older_adults", "nursing", 460.0, 75.0),
        ("learning_disability", "residential", 330.0, 450.0),
        ("mental_health", "residential", 85.0, 300.0),
        ("physical_disability", "nursing", 40.0, 250.0),
    )
    # Older-adult permanent admissions from the community, people a week.
    permanent_community: Knots = (
        ("2018-04-02", 4.5),
        ("2020-03-09", 4.5),
        ("2020-04-20", 2.0),
        ("2021-04-05", 3.0),
    )
    permanent_nursing_share: float = 0.28  # of older-adult permanent admissions
    # Extra weekly chance that an older-adult permanent resident dies (fraction a week), on top
    # of the usual end of stay: the care-home deaths of the first wave (April-May 2020, about
    # 9% of residents in all) and of the winter 2020/21 wave (about 6%), as in England's care
    # homes (ONS/CQC death notifications). With fewer permanent admissions (para 15) the
    # permanent population falls about 12%, from about 2,070 (March 2020) to 1,810 (April 2021).
    permanent_covid_exit: Knots = (
        ("2020-03-23", 0.0),
        ("2020-04-13", 0.0115),
        ("2020-05-18", 0.0115),
        ("2020-06-15", 0.0),
        ("2020-11-30", 0.0),
        ("2021-01-11", 0.0075),
        ("2021-02-08", 0.0075),
        ("2021-03-08", 0.0),
    )

    # --- placement costs -----------------------------------------------------------------
    # Standard weekly rate by financial year (start year, older-adult residential £/week).
    standard_rates: tuple[tuple[int, float], ...] = (
        (2010, 560.0),
        (2018, 560.0),
        (2019, 575.0),
        (2020, 595.0),
        (2021, REPORT.standard_rate_2021),  # report
    )
    nursing_uplift: float = 45.0  # £/week on the standard rate in a nursing home
    client_group_rate: tuple[tuple[str, float], ...] = (  # multiple of the older-adult rate
        ("older_adults", 1.0),
        ("learning_disability", 2.1),
        ("mental_health", 1.45),
        ("physical_disability", 1.6),
        ("other", 1.2),
    )
    # Share of new placements with an additional payment (fraction), by start date.
    additional_share: Knots = (
        ("2010-01-01", REPORT.additional_payment_share_before),  # report
        ("2020-02-24", REPORT.additional_payment_share_before),  # report
        ("2020-12-28", REPORT.additional_payment_share_2021),  # report
        ("2021-10-31", REPORT.additional_payment_share_2021),  # report
    )
    # Mean additional payment when there is one (£/week), by start date.
    additional_mean: Knots = (
        ("2010-01-01", 150.0),
        ("2020-02-24", 160.0),
        ("2020-12-28", 268.0),
        ("2021-10-31", 268.0),
    )
    additional_sigma: float = 0.55  # lognormal sigma of the additional payment
    care_homes: int = 160  # care homes in the county

    # --- other community services (steady state, not calibrated) -------------------------
    other_services: tuple[tuple[str, str, float, float, float, float, float], ...] = (
        # service, client group, people on the first Monday, mean length (weeks),
        # median weekly cost (£), lognormal sigma of the cost, median hours a week (0 = none)
        ("supported_living", "learning_disability", 520.0, 400.0, 1150.0, 0.45, 38.0),
        ("supported_living", "mental_health", 90.0, 200.0, 700.0, 0.4, 20.0),
        ("day_care", "older_adults", 420.0, 90.0, 95.0, 0.35, 12.0),
        ("day_care", "learning_disability", 380.0, 260.0, 160.0, 0.4, 18.0),
        ("direct_payment", "physical_disability", 600.0, 230.0, 310.0, 0.55, 0.0),
        ("direct_payment", "older_adults", 500.0, 120.0, 260.0, 0.5, 0.0),
        ("direct_payment", "learning_disability", 420.0, 320.0, 380.0, 0.55, 0.0),
        ("other", "older_adults", 150.0, 40.0, 60.0, 0.5, 0.0),
    )
    day_care_closed: tuple[str, str] = ("2020-03-23", "2021-07-19")  # no new day care starts
    # Transforming Care: people moved from NHS in-patient settings into supported living.
    transforming_care_people: int = 14  # placements made January to October 2021
    transforming_care_cost: tuple[float, float] = (3000.0, 6500.0)  # uniform £/week
