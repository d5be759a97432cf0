"""CLD values into the contract's: service mapping, weekly cost, client group, postcode to
district, and the NHS number's check digit, each rule on its own."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ascdemand.profile.parse import read_profile_file
from ascdemand.profile.postcode import districts_for_postcodes
from ascdemand.store.cld import values as v
from tests.cld.conftest import PROFILE

LTS_COMMUNITY = "Long Term Support: Community"


def _select(frame: dict[str, list], *exprs: pl.Expr) -> list[tuple]:
    return pl.DataFrame(frame).select(*exprs).rows()


@pytest.mark.parametrize(
    ("service_type", "component", "mechanism", "expected"),
    [
        (
            LTS_COMMUNITY,
            "Home Support",
            "CASSR Managed Personal Budget",
            ("care_packages", "homecare", None, None),
        ),
        (
            "long term support:  community",
            "HOME SUPPORT",
            "x",
            ("care_packages", "homecare", None, None),
        ),
        (
            "Short Term Support: ST-Max",
            "Reablement",
            "x",
            ("care_packages", "reablement", None, None),
        ),
        (
            "short term support: st max",
            "Home Support",
            "x",
            ("care_packages", "reablement", None, None),
        ),
        (LTS_COMMUNITY, "Direct Payment", "x", ("care_packages", "direct_payment", None, None)),
        (
            LTS_COMMUNITY,
            "Home Support",
            "Direct Payment",
            ("care_packages", "direct_payment", None, None),
        ),
        (
            LTS_COMMUNITY,
            "Supported Accommodation",
            "x",
            ("care_packages", "supported_living", None, None),
        ),
        (LTS_COMMUNITY, "Shared  Lives", "x", ("care_packages", "supported_living", None, None)),
        (LTS_COMMUNITY, "Day Care", "x", ("care_packages", "day_care", None, None)),
        (
            "Short Term Support: Other Short Term",
            "Short Term Residential Care",
            "x",
            ("placements", None, "temporary", "residential"),
        ),
        (
            "Short Term Support: ST-Max",
            "Short Term Nursing Care",
            "x",
            ("placements", None, "temporary", "nursing"),
        ),
        (
            "Long Term Support: Residential Care",
            "Residential Care",
            "x",
            ("placements", None, "permanent", "residential"),
        ),
        (
            "Long Term Support: Nursing Care",
            "Nursing Care",
            "Direct Payment",
            ("placements", None, "permanent", "nursing"),
        ),
        ("Short Term Support: Ongoing Low Level", "Equipment", "x", (None, None, None, None)),
        ("Long Term Support: Prison", "Home Support", "x", (None, None, None, None)),
        (
            "Unpaid carer support: Direct to unpaid carer",
            "Carer Respite",
            "x",
            (None, None, None, None),
        ),
    ],
)
def test_service_mapping(service_type, component, mechanism, expected):
    """The README's table: short-term care homes are temporary placements whatever the
    Service Type; a direct payment (component or delivery mechanism) wins over the component."""
    exprs = v.service_mapping(pl.col("t"), pl.col("c"), pl.col("m"))
    frame = {"t": [service_type], "c": [component], "m": [mechanism]}
    assert _select(frame, *(e.alias(str(i)) for i, e in enumerate(exprs))) == [expected]


@pytest.mark.parametrize(
    ("unit_cost", "frequency", "planned", "weekly", "hours"),
    [
        (22.5, "Hourly", 14.0, 315.0, 14.0),
        (21.0, "per hour", 7.0, 147.0, 7.0),
        (45.0, "Daily", 2.0, 315.0, None),
        (700.0, "Weekly", None, 700.0, None),
        (300.0, "Fortnightly", None, 150.0, None),
        (1560.0, "4-Weekly", None, 390.0, None),
        (1560.0, "Four Weekly", None, 390.0, None),
        (5200.0, "Monthly", None, 1200.0, None),
        (1300.0, "QUARTERLY", None, 100.0, None),
        (26000.0, "Annually", None, 500.0, None),
        (26000.0, "annual", None, 500.0, None),
        (350.0, "One-off", None, 0.0, None),
    ],
)
def test_weekly_cost_for_each_cost_frequency(unit_cost, frequency, planned, weekly, hours):
    """Hourly: x planned units; daily: x 7; fortnightly: / 2; 4-weekly: / 4; monthly:
    x 12 / 52; quarterly: x 4 / 52; annually: / 52; one-off: nothing a week."""
    freq = v.cost_frequency(pl.col("f"))
    cost = v.weekly_cost(pl.col("c"), freq, pl.col("p"))
    got = _select(
        {"c": [unit_cost], "f": [frequency], "p": [planned]},
        cost.round(6),
        pl.when(freq == "hourly").then(pl.col("p")),
    )
    assert got == [(weekly, hours)]


def test_unknown_cost_frequency_is_null():
    assert _select({"f": ["Biannual", None]}, v.cost_frequency(pl.col("f"))) == [(None,), (None,)]


@pytest.mark.parametrize(
    ("reason", "age", "group"),
    [
        ("Physical Support: Personal Care Support", 65, "older_adults"),
        ("Physical Support: Access & Mobility Only", 64, "physical_disability"),
        ("Sensory Support: Support for Visual Impairment", 77, "older_adults"),
        ("Sensory Support: Support for Dual Impairment", 40, "other"),
        ("Support with Memory & Cognition", 72, "older_adults"),
        ("Support with Memory & Cognition", 50, "other"),
        ("Learning Disability Support", 70, "learning_disability"),
        ("MENTAL HEALTH SUPPORT", 30, "mental_health"),
        ("Social Support: Substance Misuse Support", 80, "other"),
        ("Unknown", None, "other"),
        ("Physical Support: Personal Care Support", None, None),
    ],
)
def test_client_group_from_support_reason_and_age(reason, age, group):
    """65 or over with physical, sensory or memory support: older adults; physical under 65:
    physical disability; unknown age where it decides: no group (a problem)."""
    frame = pl.DataFrame({"r": [reason], "a": [age]}, schema={"r": pl.String, "a": pl.Int32})
    assert frame.select(v.client_group(pl.col("r"), pl.col("a"))).item() == group


def test_age_at_the_event_start_counts_whole_years():
    """Born 29 February 1948: 75 on 16 August 2023; born 7 July 1945: 77 on 3 July 2023."""
    frame = pl.DataFrame(
        {
            "b": ["1948-02-29", "1945-07-07", "1945-07-07"],
            "d": ["2023-08-16", "2023-07-03", "2023-07-07"],
        }
    ).select(pl.all().str.to_date())
    assert frame.select(v.age_at(pl.col("b"), pl.col("d"))).to_series().to_list() == [75, 77, 78]


def test_postcode_to_district_through_the_profile():
    """Sector before outward code: RV4 3GH is Northfield (sector RV4 3), RV4 1LM Westmoor;
    any spelling of a full postcode works; only the sector is needed."""
    profile, _, _ = read_profile_file(PROFILE)
    postcodes = ["RV1 4AB", "rv3 2cd", "RV43GH", "RV4 1LM", "RV5 2QR", "ZZ9 9ZZ", "not one", None]
    frame = pl.DataFrame({"p": postcodes}, schema={"p": pl.String})
    sectors = frame.select(v.postcode_sector(pl.col("p"))).to_series()
    assert sectors.to_list() == ["RV1 4", "RV3 2", "RV4 3", "RV4 1", "RV5 2", "ZZ9 9", None, None]
    assert districts_for_postcodes(sectors, profile.districts).to_list() == [
        "Eastbank",
        "Westmoor",
        "Northfield",
        "Westmoor",
        "Northfield",
        None,
        None,
        None,
    ]
    assert frame.select(v.outward_code(pl.col("p"))).to_series().to_list()[5] == "ZZ9"


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),  # NHS England's published example
        ("943 476 5919", True),
        ("943-476-5919", True),
        ("9434765919.0", True),  # a spreadsheet's number
        ("9995260182", True),
        ("9995260183", False),  # wrong check digit
        ("9434765910", False),
        ("0000000000", True),  # remainder 0: check digit 0
        ("1000000010", False),  # weights give remainder 1: check digit would be 10, never issued
        ("943476591", False),  # nine digits
        ("94347659190", False),
        ("94347659AB", False),
    ],
)
def test_nhs_number_check_digit(number, valid):
    """Modulus 11: the first nine digits weighted 10 to 2; 11 minus the remainder is the
    check digit (11 -> 0; 10 is invalid)."""
    check = v.nhs_number_valid(v.nhs_digits(pl.col("n")))
    assert _select({"n": [number]}, check) == [(valid,)]


@pytest.mark.parametrize(
    "text", ["2023-04-03", "03/04/2023", "3-4-2023", "45019", "2023-04-03 00:00:00"]
)
def test_dates_in_any_format_the_loader_reads(text):
    assert _select({"d": [text]}, v.parse_date(pl.col("d"))) == [(dt.date(2023, 4, 3),)]
