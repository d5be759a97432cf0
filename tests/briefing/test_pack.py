"""The exported pack: A4 PDF pages and text, the self-contained HTML, the command, the charts."""

from __future__ import annotations

import datetime as dt
import json
import re

import duckdb
import pytest
from plotly.offline import get_plotlyjs
from pypdf import PdfReader

from ascdemand import cli, privacy
from ascdemand.briefing import charts
from ascdemand.briefing import facts as briefing_facts
from ascdemand.briefing.html import build_html
from ascdemand.briefing.pdf import TITLE, build_pdf
from ascdemand.store import audit, state
from ascdemand.store import briefing as store
from ascdemand.store.connection import connect

AS_AT = dt.date(2021, 10, 31)
pytestmark = pytest.mark.slow  # the pack is drawn with kaleido and chromium: seconds, twice


@pytest.fixture(scope="module")
def pack(tmp_path_factory, small_db):
    """The small store with two actions and a target, exported once as PDF and HTML."""
    folder = tmp_path_factory.mktemp("pack")
    db = folder / "store.duckdb"
    db.write_bytes(small_db.read_bytes())
    with state.transaction(db) as con:
        store.add_mitigation(
            con,
            action="Social care staff back on hospital wards",
            owner="Head of Service",
            status="in progress",
            user="t",
        )
        store.add_mitigation(
            con,
            action="Review two-carer homecare packages",
            owner=None,
            status="planned",
            user="t",
        )
        store.set_target(
            con,
            measure="temp_residential_people",
            target_value=30,
            baseline_value=50,
            due_date=dt.date(2022, 3, 31),
            note=None,
            user="t",
        )
    con = duckdb.connect(str(db), read_only=True)
    with state.reading(db) as app_state:
        facts = briefing_facts.gather(con, AS_AT, state=app_state)
    con.close()
    pdf = folder / "briefing.pdf"
    pages = build_pdf(facts, pdf, produced=dt.date(2021, 11, 1))
    html = build_html(facts, produced=dt.date(2021, 11, 1))
    return {"facts": facts, "pdf": pdf, "pages": pages, "html": html, "db": db}


def _page_texts(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_pdf_is_a4_with_title_page_and_numbered_pages(pack):
    reader = PdfReader(pack["pdf"])
    assert len(reader.pages) == pack["pages"] >= 8
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842), "A4 in points"
    texts = _page_texts(pack["pdf"])
    flat = [" ".join(t.split()) for t in texts]
    assert " ".join(TITLE.split()) in flat[0]
    assert "Figures as at 31 October 2021" in flat[0]
    assert "Produced on 01 November 2021" in flat[0]
    assert "Page" not in flat[0]
    for number, text in enumerate(flat[1:], start=2):
        assert f"Page {number} of {pack['pages']}" in text


def test_pdf_holds_narrative_charts_and_tables_in_order(pack):
    reader = PdfReader(pack["pdf"])
    flat = [" ".join(p.extract_text().split()) for p in reader.pages]
    images = [len(p.images) for p in reader.pages]
    chart_pages = [i for i, n in enumerate(images) if n]
    assert sum(images) == len(charts.briefing_charts(pack["facts"])) == 6
    assert [images[i] for i in chart_pages] == [2, 2, 2]
    assert "At a glance" in flat[1] and "Demand for care" in flat[1]
    assert "Charts" in flat[chart_pages[0]]
    joined = " ".join(flat)
    for heading in (
        "Money",
        "What is being done",
        "Social care staff back on hospital wards",
        "What success looks like",
        "Key figures",
        "People by district",
        "Hospital discharges by pathway, last 4 weeks",
        "Forecast by service line, period 7 of 2021/22",
        "How we compare",
        "Leicestershire",
        "About these figures",
    ):
        assert heading in joined, heading
    assert joined.index("Key figures") > joined.index("Charts")
    assert "About these figures" in flat[-1]
    homecare = pack["facts"].measures["homecare_people"].now
    assert f"People receiving homecare: {privacy.format_count(int(homecare))}." in joined


def _identifiers(db) -> re.Pattern:
    """Every person, package, placement and discharge identifier in the store, as one pattern."""
    con = duckdb.connect(str(db), read_only=True)
    ids = {
        r[0]
        for sql in (
            "SELECT person_id FROM care_packages UNION SELECT package_id FROM care_packages",
            "SELECT person_id FROM placements UNION SELECT placement_id FROM placements",
            "SELECT person_id FROM discharges UNION SELECT discharge_id FROM discharges",
        )
        for r in con.execute(sql).fetchall()
    }
    con.close()
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


def test_pack_never_contains_person_level_rows(pack):
    """No person, package, placement or discharge identifier from the store appears in the
    PDF or in the HTML (outside the embedded plotly library), and every table of the facts
    passes the person-level guard."""
    ids = _identifiers(pack["db"])
    assert len(ids.pattern) > 1000
    joined = " ".join(_page_texts(pack["pdf"]))
    assert not ids.search(joined)
    assert not ids.search(pack["html"].replace(get_plotlyjs(), ""))
    facts = pack["facts"]
    for table in (facts.weekly, facts.by_district, facts.by_pathway, facts.targets):
        privacy.assert_aggregate(table)
    assert "Melton" in joined  # the tiny district is listed, with its counts hidden


def test_html_is_self_contained_and_says_the_same(pack):
    html = pack["html"]
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?https?:""", html)
    assert html.count("Plotly.newPlot") == 6
    assert "Review two-carer homecare packages" in html
    assert "<th scope='col'>District</th>" in html
    homecare = pack["facts"].measures["homecare_people"].now
    assert f"People receiving homecare: {privacy.format_count(int(homecare))}." in html


def test_charts_are_large_type_and_greyscale(pack):
    """Text at 20px or more in a 900px-wide image; every colour is a grey (R = G = B), and
    series in one chart differ by line dash, marker or fill pattern."""
    figures = charts.briefing_charts(pack["facts"])
    assert 4 <= len(figures) <= 6
    for name, fig in figures:
        assert fig.layout.font.size >= 20, name
        assert fig.layout.title.text
        drawn = fig.to_dict()
        drawn["layout"].pop("template", None)
        colours = re.findall(r"#[0-9A-Fa-f]{6}", json.dumps(drawn, default=str))
        assert colours, name
        for colour in colours:
            r, g, b = colour[1:3], colour[3:5], colour[5:7]
            assert r == g == b, (name, colour)
        looks = {
            (
                t.type,
                getattr(t, "mode", None),
                str(getattr(t, "line", None) and t.line.dash),
                str(getattr(t.marker, "pattern", None) and t.marker.pattern.shape)
                if getattr(t, "marker", None)
                else None,
                str(t.marker.color) if t.marker else None,
            )
            for t in fig.data
        }
        assert len(looks) == len(fig.data), name


def test_command_writes_the_pack_and_audits_it(pack, tmp_path, capsys):
    pdf, html = tmp_path / "out.pdf", tmp_path / "out.html"
    code = cli.main(["--db", str(pack["db"]), "briefing", "--out", str(pdf), "--html", str(html)])
    assert code == 0
    assert pdf.stat().st_size > 50_000 and html.stat().st_size > 100_000
    assert "pages, as at 31 October 2021" in capsys.readouterr().out
    before = pack["db"].read_bytes()
    code = cli.main(["--db", str(pack["db"]), "briefing", "--out", str(pdf)])
    assert code == 0
    assert pack["db"].read_bytes() == before  # the audit entry goes to the app state
    actions = audit.trail(pack["db"])["action"].to_list()
    assert actions[-2:] == ["briefing_export_cli", "briefing_export_cli"]


def test_command_explains_an_empty_database(tmp_path, capsys):
    db = tmp_path / "empty.duckdb"
    connect(db).close()
    code = cli.main(["--db", str(db), "briefing", "--out", str(tmp_path / "x.pdf")])
    assert code == 2
    assert "No weekly data" in capsys.readouterr().err


@pytest.mark.parametrize(
    "as_at", [dt.date(2020, 9, 30), dt.date(2021, 6, 30), dt.date(2021, 8, 31)]
)
def test_date_axes_never_crowd_at_any_as_at_date(small_db, as_at):
    """Issue 15: before the latest as-at date the date labels ran into each other. Every
    weekly chart now has at most eight ticks, month over year on two lines (checked by eye in
    PDFs rendered at these dates)."""
    weekly = {"homecare_people", "homecare_hours", "temporary_residential", "discharges"}
    with duckdb.connect(str(small_db), read_only=True) as con:
        facts = briefing_facts.gather(con, as_at)
    drawn = dict(charts.briefing_charts(facts))
    assert weekly <= set(drawn)
    for name in weekly:
        axis = drawn[name].layout.xaxis
        assert (axis.nticks, axis.tickformat) == (8, "%b<br>%Y"), name
