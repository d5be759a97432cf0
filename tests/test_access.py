"""Role mapping and page permissions from the access file."""

from pathlib import Path

import pytest

from ascdemand.access import load_config, may_open, role_for

CONFIG = """
local_role = "director"
[roles.director]
pages = ["*"]
members = ["boss@county.gov.uk"]
[roles.commissioner]
pages = ["*"]
members = ["@county.gov.uk", "group:Commissioning"]
[roles.committee]
pages = ["briefing", "benchmarks"]
members = ["group:Councillors"]
"""


@pytest.fixture
def config(tmp_path: Path):
    path = tmp_path / "access.toml"
    path.write_text(CONFIG)
    return load_config(path)


@pytest.mark.parametrize(
    ("email", "groups", "role"),
    [
        ("boss@county.gov.uk", [], "director"),
        ("Boss@County.gov.uk", ["Councillors"], "director"),
        ("officer@county.gov.uk", [], "commissioner"),
        ("cllr@gmail.com", ["Councillors"], "committee"),
        ("someone@gmail.com", [], None),
        (None, [], None),
    ],
)
def test_role_for(config, email, groups, role):
    """Exact emails win over domains and groups; the director outranks the other roles."""
    assert role_for(email, groups, config) == role


def test_committee_sees_only_briefing_and_benchmarks(config):
    assert may_open("committee", "briefing", config)
    assert may_open("committee", "benchmarks", config)
    assert not may_open("committee", "overview", config)
    assert not may_open("committee", "data", config)
    assert may_open("commissioner", "data", config)
    assert not may_open(None, "briefing", config)


def test_unknown_role_is_refused(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('local_role = "director"\n[roles.director]\n[roles.mayor]\n')
    with pytest.raises(ValueError, match="unknown roles"):
        load_config(path)


def test_shipped_access_file_is_valid():
    config = load_config()
    assert config.local_role == "director"
    assert may_open("committee", "briefing", config)
