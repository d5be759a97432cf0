"""Council profile validation: a good profile parses; every problem is named with its key."""

from __future__ import annotations

import datetime as dt

import pytest

from ascdemand.profile import ProfileError, parse_profile
from ascdemand.store.profile import shipped_profile_path

GOOD = """
[council]
name = "Derbyshire County Council"
short_name = "Derbyshire"
ons_code = "E10000007"
icb = "QJ2"
trusts = ["RTG", "RFS"]
resident_share = 0.78

[[districts]]
name = "Amber Valley"
ons_code = "E07000032"
postcode_prefixes = ["DE5", "DE56", "DE55 4"]

[[districts]]
name = "Bolsover"
postcode_prefixes = ["S44"]
"""


def _problems(text: str) -> dict[str, str]:
    with pytest.raises(ProfileError) as err:
        parse_profile(text, source="p.toml")
    return {p.key: p.message for p in err.value.problems}


def test_the_issue_example_parses_with_defaults():
    """The schema of the issue: names, codes, trusts (first is the default), districts."""
    profile = parse_profile(GOOD)
    assert profile.name == "Derbyshire County Council"
    assert profile.trusts == ("RTG", "RFS")
    assert profile.default_trust == "RTG"
    assert profile.resident_share == 0.78
    assert profile.district_names == ("Amber Valley", "Bolsover")
    assert profile.districts[0].postcode_prefixes == ("DE5", "DE56", "DE55 4")
    assert profile.pandemic_start == dt.date(2020, 3, 1)
    assert profile.comparators is None
    assert profile.home_comparator == "Derbyshire"


def test_shipped_demo_profile_is_valid_and_names_the_report_comparators():
    """The demo's profile parses, with its seven districts and six comparator councils."""
    from ascdemand.profile.parse import read_profile_file

    profile, _, _ = read_profile_file(shipped_profile_path("leicestershire.toml"))
    assert len(profile.districts) == 7
    assert profile.icb == "QK1" and profile.default_trust == "RWE"
    assert profile.comparators is not None and profile.comparators.height == 6


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        (("name = ", "nmae = "), "council.nmae", "did you mean 'name'"),
        (('ons_code = "E10000007"', 'ons_code = "10000007"'), "council.ons_code", "not a code"),
        (('icb = "QJ2"', 'icb = "RTG"'), "council.icb", "not a code like 'QJ2'"),
        (('"RTG", "RFS"', '"RTG", "R F S"'), "council.trusts[1]", "not an NHS trust code"),
        (("resident_share = 0.78", "resident_share = 1.5"), "council.resident_share", "at most 1"),
        (('"DE55 4"', '"DE55 4AB"'), "districts[0].postcode_prefixes[2]", "not an outward code"),
        (('name = "Bolsover"', 'name = "amber  valley"'), "districts[1].name", "repeats"),
        (('["S44"]', '["DE56"]'), "districts[1].postcode_prefixes", "also a prefix"),
    ],
)
def test_each_problem_is_named_with_its_key(change, key, message):
    """One broken value at a time: the problem names the exact key."""
    old, new = change
    problems = _problems(GOOD.replace(old, new, 1))
    assert key in problems, problems
    assert message in problems[key]


def test_missing_tables_and_values_are_all_listed_at_once():
    """Every problem in one go, not the first only."""
    problems = _problems('[council]\nname = "X"\n')
    assert {"council.short_name", "council.ons_code", "council.icb", "districts"} <= set(problems)


def test_not_toml_is_one_clear_problem():
    problems = _problems("[council\nname=")
    assert list(problems) == ["(file)"]
    assert "not valid TOML" in problems["(file)"]


def test_comparator_csv_must_have_the_columns_and_the_home_council():
    """The comparators CSV is checked like the TOML, and must include the council itself."""
    text = GOOD + '\n[comparators]\nfile = "c.csv"\n'
    bad = b"council,source\nNottinghamshire,report\n"
    with pytest.raises(ProfileError) as err:
        parse_profile(text, comparators=bad)
    assert "lacks the column(s)" in str(err.value)
    header = (
        "council,net_budget_2021_22_gbp_m,gross_asc_spend_2019_20_per_1000_pop_gbp_k,"
        "long_term_care_65plus_per_head_gbp,source\n"
    )
    without_home = (header + "Nottinghamshire,219,43,604,report\n").encode()
    with pytest.raises(ProfileError, match="comparators.home"):
        parse_profile(text, comparators=without_home)
    good = (header + "Nottinghamshire,219,43,604,report\nDerbyshire,262,48,775,report\n").encode()
    assert parse_profile(text, comparators=good).comparators.height == 2
