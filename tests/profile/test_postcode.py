"""Postcode to district: sector first, then outward code; "DE5" never matches "DE56 1AB"."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ascdemand.profile import District
from ascdemand.profile.postcode import district_for_postcode, districts_for_postcodes

DISTRICTS = (
    District("Amber Valley", postcode_prefixes=("DE5", "DE56", "DE55 4")),
    District("North East Derbyshire", postcode_prefixes=("DE55", "S42")),
)


@pytest.mark.parametrize(
    ("postcode", "district"),
    [
        ("DE5 3AB", "Amber Valley"),  # outward DE5
        ("DE56 1AB", "Amber Valley"),  # outward DE56, never DE5
        ("de561ab", "Amber Valley"),  # no space, lower case
        ("DE55 4XY", "Amber Valley"),  # the sector DE55 4 wins over the outward code DE55
        ("DE55 5XY", "North East Derbyshire"),  # other sectors of DE55 go by the outward code
        ("  s42  6ab ", "North East Derbyshire"),
        ("DE55 4", "Amber Valley"),  # a sector alone
        ("DE55", "North East Derbyshire"),  # an outward code alone
        ("DE57 1AB", None),  # no prefix matches
        ("not a postcode", None),
        ("", None),
    ],
)
def test_postcode_matching(postcode, district):
    assert district_for_postcode(postcode, DISTRICTS) == district


def test_nulls_stay_null_and_order_is_kept():
    out = districts_for_postcodes(pl.Series(["S42 1AA", None, "DE5 1AA"]), DISTRICTS)
    assert out.to_list() == ["North East Derbyshire", None, "Amber Valley"]


@given(inward=st.from_regex(r"[0-9][A-Z]{2}", fullmatch=True))
def test_a_shorter_outward_code_never_captures_a_longer_one(inward):
    """Whatever the inward code, DE56 postcodes belong to DE56's district, and a district that
    only had DE5 would not get them."""
    only_de5 = (District("A", postcode_prefixes=("DE5",)),)
    assert district_for_postcode(f"DE56 {inward}", only_de5) is None
    assert district_for_postcode(f"DE5 {inward}", only_de5) == "A"
