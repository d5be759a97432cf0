"""A page reached without `app.py` (a shared link opened on a freshly started server) still goes
through the app: sign-in, access check, navigation and filters. `ui/routing.py` does it with
Streamlit's public commands only; these tests fail loudly if a Streamlit release changes that."""

from __future__ import annotations

from pathlib import Path

from ascdemand import access
from ascdemand.ui import routing

ROOT = Path(__file__).resolve().parents[2]


def test_direct_link_on_a_fresh_server_runs_the_page_inside_the_app(open_direct_link, demo_db):
    at = open_direct_link("homecare", db=demo_db)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["Homecare"]
    assert "_filters" in at.session_state  # app.py drew the sidebar filters first
    assert [d.label for d in at.sidebar.date_input] == ["As-at date"]
    assert not at.error


def test_direct_link_to_a_page_the_role_may_not_open_shows_the_default_page(
    open_direct_link, demo_db, tmp_path, monkeypatch
):
    """A committee member's link to Homecare lands on the Committee briefing instead."""
    config = tmp_path / "access.toml"
    config.write_text('local_role = "committee"\n[roles.committee]\npages = ["briefing"]\n')
    monkeypatch.setenv("ASCDEMAND_ACCESS_FILE", str(config))
    at = open_direct_link("homecare", db=demo_db)
    assert not at.exception
    assert [t.value for t in at.title][:1] == ["Committee briefing"]


def test_every_page_file_is_routed_and_named_in_the_access_rules():
    routed = {Path(path).stem for entries in routing.PAGES.values() for path, _, _ in entries}
    assert routed == {p.stem for p in (ROOT / "pages").glob("*.py")}
    director = access.load_config()
    assert all(access.may_open("director", page, director) for page in routed)


def test_no_private_streamlit_api_in_the_app():
    """The old patch of `PagesManager.uses_pages_directory` is gone for good."""
    sources = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "src").rglob("*.py")]
    offenders = [
        str(p.relative_to(ROOT))
        for p in sources
        if "PagesManager" in p.read_text(encoding="utf-8")
        or "streamlit.runtime" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
