"""CLD values turned into the contract's, as polars expressions over whole columns.

Values arrive with inconsistent case, spacing and punctuation ("Long term support:  community",
"4-weekly", "Four Weekly"), so every comparison is on `value_key`: lower case, letters and digits
only. The mapping follows the CLD table of the README.
"""

from __future__ import annotations

import polars as pl

from ascdemand.profile.postcode import OUTWARD

_EXCEL_EPOCH = pl.date(1899, 12, 30)


def value_key(expr: pl.Expr) -> pl.Expr:
    """`'Short Term Support: ST-Max'` -> `'shorttermsupportstmax'`."""
    return expr.str.to_lowercase().str.replace_all(r"[^0-9a-z]", "")


def parse_date(text: pl.Expr) -> pl.Expr:
    """Dates as the extract loader reads them: ISO, dd/mm/yyyy, dd-mm-yyyy or an Excel serial
    number, with any time of day dropped; null where the text is none of these."""
    day = text.str.replace(r"^(\S+?)[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "${1}")
    serial = (
        pl.when(day.str.contains(r"^\d{1,7}(\.0+)?$"))
        .then(day.cast(pl.Float64, strict=False))
        .cast(pl.Int64, strict=False)
    )
    return pl.coalesce(
        day.str.to_date("%Y-%m-%d", strict=False),
        day.str.to_date("%d/%m/%Y", strict=False),
        day.str.to_date("%d-%m-%Y", strict=False),
        pl.when(serial.is_between(1, 2_958_465)).then(_EXCEL_EPOCH + pl.duration(days=serial)),
    )


def parse_number(text: pl.Expr) -> pl.Expr:
    """Numbers, tolerating `£`, thousands separators and spaces; null where not a finite number."""
    number = text.str.replace_all(r"[£,\s]", "").cast(pl.Float64, strict=False)
    return pl.when(number.is_finite()).then(number)


def age_at(birth: pl.Expr, day: pl.Expr) -> pl.Expr:
    """Whole years from `birth` to `day`."""

    def month_day(date: pl.Expr) -> pl.Expr:
        return date.dt.month().cast(pl.Int32) * 100 + date.dt.day().cast(pl.Int32)

    before_birthday = (month_day(day) < month_day(birth)).cast(pl.Int32)
    return day.dt.year().cast(pl.Int32) - birth.dt.year().cast(pl.Int32) - before_birthday


def nhs_digits(text: pl.Expr) -> pl.Expr:
    """An NHS number without its spaces or hyphens (or the `.0` a spreadsheet may add)."""
    return text.str.replace(r"\.0+$", "").str.replace_all(r"[\s\-]", "")


def nhs_number_valid(digits: pl.Expr) -> pl.Expr:
    """Whether ten digits pass the NHS number's modulus-11 check: the first nine weighted 10 down
    to 2 and summed; 11 minus the remainder mod 11 is the check digit (11 -> 0; 10 is never
    issued)."""
    total = pl.sum_horizontal(
        digits.str.slice(i, 1).cast(pl.Int32, strict=False) * (10 - i) for i in range(9)
    )
    check = (11 - total % 11) % 11
    last = digits.str.slice(9, 1).cast(pl.Int32, strict=False)
    return (digits.str.contains(r"^\d{10}$") & (check != 10) & (check == last)).fill_null(False)


def _postcode_parts(postcode: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Outward code and sector digit of a postcode, as the profile's district lookup reads it:
    a full postcode with or without its space; a partial one ("RV4 3", "RV4") with it."""
    text = postcode.str.to_uppercase().str.strip_chars().str.replace_all(r"\s+", " ")
    full = rf"^({OUTWARD}) ?([0-9])[A-Z]{{2}}$"
    sector = rf"^({OUTWARD}) ([0-9])$"
    outward = pl.coalesce(
        text.str.extract(full, 1),
        text.str.extract(sector, 1),
        text.str.extract(rf"^({OUTWARD})$", 1),
    )
    return outward, pl.coalesce(text.str.extract(full, 2), text.str.extract(sector, 2))


def outward_code(postcode: pl.Expr) -> pl.Expr:
    """The outward code of a full or partial postcode ("RV4 3GH" -> "RV4"); null if none."""
    return _postcode_parts(postcode)[0]


def postcode_sector(postcode: pl.Expr) -> pl.Expr:
    """What the district lookup needs of a postcode and no more: its sector ("RV4 3GH" ->
    "RV4 3"), or its outward code when only that is given; null when it is not a postcode."""
    outward, digit = _postcode_parts(postcode)
    return pl.when(digit.is_not_null()).then(pl.format("{} {}", outward, digit)).otherwise(outward)


# Cost Frequency (Unit Type): each spelling's key -> the frequency it means.
FREQUENCY_SPELLINGS = {
    "hourly": ("hourly", "hour", "hours", "perhour", "hourlyrate"),
    "daily": ("daily", "day", "days", "perday", "nightly", "night", "pernight"),
    "weekly": ("weekly", "week", "perweek"),
    "fortnightly": ("fortnightly", "fortnight", "perfortnight", "2weekly", "twoweekly"),
    "4-weekly": (
        "4weekly",
        "fourweekly",
        "4weeks",
        "fourweeks",
        "per4weeks",
        "every4weeks",
        "4weekperiod",
        "fourweekperiod",
    ),
    "monthly": ("monthly", "month", "permonth", "calendarmonth"),
    "quarterly": ("quarterly", "quarter", "perquarter"),
    "annually": ("annually", "annual", "yearly", "year", "peryear", "perannum"),
    "one-off": ("oneoff", "once", "single", "oneoffpayment", "lumpsum"),
}
# Weeks' cost in one unit's cost, for every frequency but hourly (costed by planned hours).
# A one-off cost is not a weekly one: it counts 0 a week.
WEEKLY_FACTOR = {
    "daily": 7.0,
    "weekly": 1.0,
    "fortnightly": 1 / 2,
    "4-weekly": 1 / 4,
    "monthly": 12 / 52,
    "quarterly": 4 / 52,
    "annually": 1 / 52,
    "one-off": 0.0,
}


def cost_frequency(text: pl.Expr) -> pl.Expr:
    """The frequency a Cost Frequency (Unit Type) value means (see `FREQUENCY_SPELLINGS`);
    null when the spelling is not known."""
    lookup = {key: name for name, keys in FREQUENCY_SPELLINGS.items() for key in keys}
    return value_key(text).replace_strict(lookup, default=None, return_dtype=pl.String)


def weekly_cost(unit_cost: pl.Expr, frequency: pl.Expr, planned_units: pl.Expr) -> pl.Expr:
    """Unit Cost as a cost per week: hourly x planned units per week, else x `WEEKLY_FACTOR`."""
    factor = frequency.replace_strict(WEEKLY_FACTOR, default=None, return_dtype=pl.Float64)
    return (
        pl.when(frequency == "hourly").then(unit_cost * planned_units).otherwise(unit_cost * factor)
    )


def client_group(support_reason: pl.Expr, age: pl.Expr) -> pl.Expr:
    """Client group from Primary Support Reason and age: 65 or over with physical, sensory or
    memory and cognition support -> older_adults; learning disability; mental health; physical
    support under 65 -> physical_disability; anything else -> other. Null when the age decides
    and is unknown."""
    reason = value_key(support_reason)
    physical = reason.str.starts_with("physicalsupport")
    age_decides = (
        physical | reason.str.starts_with("sensorysupport") | reason.str.contains("memory")
    )
    return (
        pl.when(reason.str.contains("learningdisability"))
        .then(pl.lit("learning_disability"))
        .when(reason.str.contains("mentalhealth"))
        .then(pl.lit("mental_health"))
        .when(age_decides & age.is_null())
        .then(pl.lit(None, pl.String))
        .when(age_decides & (age >= 65))
        .then(pl.lit("older_adults"))
        .when(physical)
        .then(pl.lit("physical_disability"))
        .otherwise(pl.lit("other"))
    )


# The Service Type and Service Component keys of each mapping (`service_mapping`).
_COMMUNITY = ("longtermsupportcommunity", "community")
_ST_MAX = ("shorttermsupportstmax", "stmax")
_LONG_TERM_NURSING = ("longtermsupportnursingcare", "nursingcare")
_LONG_TERM_RESIDENTIAL = ("longtermsupportresidentialcare", "residentialcare")


def service_mapping(
    service_type: pl.Expr, component: pl.Expr, mechanism: pl.Expr
) -> tuple[pl.Expr, pl.Expr, pl.Expr, pl.Expr]:
    """(table, service_type, placement_type, setting) a CLD service maps to; all null when it
    maps to none (equipment, carers' respite, prison, low-level and other short-term support).

    Short-term residential or nursing care (any Service Type) -> a temporary placement; Long
    Term Support: Residential / Nursing Care -> a permanent one; ST-Max -> reablement; Long
    Term Support: Community with a direct payment (component or delivery mechanism) ->
    direct_payment, else by component: home support -> homecare, supported accommodation or
    shared lives -> supported_living, day care -> day_care.
    """
    kind, part, how = value_key(service_type), value_key(component), value_key(mechanism)
    temporary = part.is_in(["shorttermresidentialcare", "shorttermnursingcare"])
    nursing = kind.is_in(_LONG_TERM_NURSING)
    residential = kind.is_in(_LONG_TERM_RESIDENTIAL)
    community = kind.is_in(_COMMUNITY)
    package = (
        pl.when(temporary | nursing | residential)
        .then(pl.lit(None, pl.String))
        .when(kind.is_in(_ST_MAX))
        .then(pl.lit("reablement"))
        .when(community & ((how == "directpayment") | (part == "directpayment")))
        .then(pl.lit("direct_payment"))
        .when(community & (part == "homesupport"))
        .then(pl.lit("homecare"))
        .when(community & part.is_in(["supportedaccommodation", "sharedlives"]))
        .then(pl.lit("supported_living"))
        .when(community & (part == "daycare"))
        .then(pl.lit("day_care"))
    )
    placement_type = (
        pl.when(temporary)
        .then(pl.lit("temporary"))
        .when(nursing | residential)
        .then(pl.lit("permanent"))
    )
    setting = (
        pl.when(temporary & (part == "shorttermnursingcare") | ~temporary & nursing)
        .then(pl.lit("nursing"))
        .when(temporary | residential)
        .then(pl.lit("residential"))
    )
    table = (
        pl.when(placement_type.is_not_null())
        .then(pl.lit("placements"))
        .when(package.is_not_null())
        .then(pl.lit("care_packages"))
    )
    return table, package, placement_type, setting
