"""District values are checked against the profile, forgivingly, with a suggestion."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from ascdemand.profile.districts import canonical_districts, closest
from ascdemand.store.contract import DISCHARGES
from ascdemand.store.validate import validate

NAMES = ("Blaby", "Charnwood", "North West Leicestershire", "Oadby and Wigston")


def _discharges(districts: list[str]) -> pl.DataFrame:
    n = len(districts)
    return pl.DataFrame(
        {
            "discharge_id": [f"D{i}" for i in range(n)],
            "person_id": [f"P{i}" for i in range(n)],
            "discharge_date": ["2021-03-01"] * n,
            "district": districts,
            "hospital_trust": ["RWE"] * n,
            "pathway": ["P1"] * n,
            "outcome": ["homecare"] * n,
        }
    )


def test_typo_is_a_problem_with_a_suggestion():
    """'Charnwod' on row 3 (the second record): file, row, column, value and 'did you mean'."""
    checked = validate(
        _discharges(["Blaby", "Charnwod"]),
        DISCHARGES,
        file_name="d.csv",
        as_at=dt.date(2021, 10, 31),
        districts=NAMES,
    )
    assert not checked.ok
    (problem,) = checked.problems
    assert (problem.file, problem.row, problem.column) == ("d.csv", 3, "district")
    assert "'Charnwod' is not one of the council's districts; did you mean Charnwood?" in str(
        problem
    )


def test_case_and_spacing_are_forgiven_and_stored_in_the_profile_spelling():
    checked = validate(
        _discharges(["  north-west leicestershire", "OADBY AND  WIGSTON"]),
        DISCHARGES,
        file_name="d.csv",
        as_at=dt.date(2021, 10, 31),
        districts=NAMES,
    )
    assert checked.ok, checked.problems
    assert checked.frame["district"].to_list() == ["North West Leicestershire", "Oadby and Wigston"]


def test_without_a_profile_districts_are_not_checked():
    checked = validate(
        _discharges(["Anywhere"]), DISCHARGES, file_name="d.csv", as_at=dt.date(2021, 10, 31)
    )
    assert checked.ok


def test_a_value_far_from_every_district_lists_them_instead():
    assert closest("Zzzz", NAMES) is None
    checked = validate(
        _discharges(["Zzzz"]),
        DISCHARGES,
        file_name="d.csv",
        as_at=dt.date(2021, 10, 31),
        districts=NAMES,
    )
    assert "the districts are: Blaby, Charnwood" in checked.problems[0].message


@given(
    name=st.sampled_from(NAMES),
    upper=st.lists(st.booleans(), min_size=40, max_size=40),
    pad=st.sampled_from(["", " ", "  ", "\t"]),
)
def test_any_casing_and_padding_of_a_district_matches_it(name, upper, pad):
    """Property: changing case, or padding with spaces, never changes which district a value
    is; and the result is always one of the profile's names or null."""
    mangled = (
        pad
        + "".join(c.upper() if u else c.lower() for c, u in zip(name, upper, strict=False))
        + pad
    )
    out = canonical_districts(pl.Series([mangled, "no such place"]), NAMES).to_list()
    assert out == [name, None]
