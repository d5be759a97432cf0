"""Issue 18: values from the address bar are checked (what is ignored is said), and data
values shown through Markdown never become links or images."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ascdemand.cli import main


def _warnings(at) -> str:
    return " ".join(w.value for w in at.sidebar.warning).replace("\\", "")


def test_group_by_its_key_works_like_its_label(open_app, demo_db):
    """The sidebar belongs to the app's own run, so the app is opened on its default page."""
    at = open_app(None, db=demo_db, query={"group": "mental_health"})
    assert at.selectbox(key="group").value == "mental_health"
    assert _warnings(at) == ""


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"as_at": "2021-02-30"}, "as_at=2021-02-30 is not a date"),
        ({"as_at": "2030-01-01"}, "as_at=2030-01-01 is outside the data"),
        ({"district": "Nowhere"}, "district=Nowhere is not one of the council's districts"),
        ({"group": "astronauts"}, "group=astronauts is not a client group"),
    ],
)
def test_ignored_values_are_named(open_app, demo_db, query, said):
    at = open_app(None, db=demo_db, query=query)
    assert said in _warnings(at)


UNESCAPED_LINK = re.compile(r"(?<!\\)\]\(")
HOSTILE = ("![x](http://host/beacon.png)", "[Click here](http://evil.example)")
PROFILE = """
[council]
name = "Riverside County Council"
short_name = "Riverside"
ons_code = "E10000099"
icb = "QJ2"
trusts = ["RTG"]

[[districts]]
name = "![x](http://host/beacon.png)"

[[districts]]
name = "[Click here](http://evil.example)"
"""


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "h.duckdb"
    (folder / "p.toml").write_text(PROFILE)
    assert main(["--db", str(db), "profile", "load", str(folder / "p.toml")]) == 0
    rows = [
        f'D{i},P{i},{dt.date(2021, 1, 4) + dt.timedelta(weeks=i // 2)},"{HOSTILE[i % 2]}",'
        "RTG,P1,homecare"
        for i in range(40)
    ]
    csv = folder / "d.csv"
    csv.write_text(
        "discharge_id,person_id,discharge_date,district,hospital_trust,pathway,outcome\n"
        + "\n".join(rows)
        + "\n"
    )
    assert main(["--db", str(db), "load", "discharges", str(csv), "--as-at", "2021-06-30"]) == 0
    return db


@pytest.mark.parametrize("page", ["discharges", "briefing", "overview"])
def test_district_names_never_render_as_links_or_images(open_app, hostile_db, page):
    at = open_app(page, db=hostile_db, query={"district": HOSTILE[0]})
    texts = [
        e.value
        for where in (at, at.sidebar)
        for kind in ("markdown", "caption", "info", "warning", "success")
        for e in getattr(where, kind)
    ]
    assert any("beacon" in t for t in texts), "the filter's district is shown somewhere"
    for text in texts:
        assert not UNESCAPED_LINK.search(text) and "![" not in text, text
