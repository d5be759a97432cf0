"""Role checks through Streamlit's testing tools: with single sign-on configured, each role sees
only its pages, and someone signed out or without a role sees none."""

from __future__ import annotations

from pathlib import Path

import pytest

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret",
    "client_id": "ascdemand",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://login.example.gov.uk/.well-known/openid-configuration",
}
ACCESS = """
local_role = "director"
[roles.director]
pages = ["*"]
members = ["director@county.gov.uk"]
[roles.commissioner]
pages = ["*"]
members = ["group:Commissioning"]
[roles.committee]
pages = ["briefing", "benchmarks"]
members = ["group:Councillors"]
"""


@pytest.fixture
def signed_in(open_app, demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An app with OIDC configured, for a user with the given email and groups."""
    access = tmp_path / "access.toml"
    access.write_text(ACCESS)
    monkeypatch.setenv("ASCDEMAND_ACCESS_FILE", str(access))
    return lambda user: open_app(db=demo_db, secrets={"auth": AUTH}, user=user)


def test_committee_member_sees_only_briefing_and_benchmarks(signed_in):
    at = signed_in({"is_logged_in": True, "email": "cllr@gmail.com", "groups": ["Councillors"]})
    assert not at.exception
    assert at.title[0].value == "Committee briefing"
    with pytest.raises(ValueError):
        at.switch_page("pages/overview.py")
    with pytest.raises(ValueError):
        at.switch_page("pages/data.py")
    at.switch_page("pages/benchmarks.py").run()
    assert at.title[0].value == "Benchmarks"


def test_director_sees_every_page(signed_in):
    at = signed_in({"is_logged_in": True, "email": "director@county.gov.uk"})
    assert at.title[0].value == "Overview"
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert at.title[0].value == "Data"


def test_signed_out_user_is_asked_to_sign_in(signed_in):
    at = signed_in({"is_logged_in": False})
    assert not at.exception
    assert any(b.label == "Sign in" for b in at.button)
    assert not at.metric


def test_unknown_user_is_refused(signed_in):
    at = signed_in({"is_logged_in": True, "email": "someone@elsewhere.com"})
    assert any("has no access" in w.value for w in at.warning)
    at.switch_page("pages/briefing.py").run()
    assert [t.value for t in at.title] == ["Adult social care demand"]
    assert any("has no access" in w.value for w in at.warning)
