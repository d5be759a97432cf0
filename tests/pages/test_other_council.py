"""A council other than the demo's, with care records but no budget or ledger yet: every page
runs, names the council and its districts, never mentions the demo county, and the money pages
say what to load."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ascdemand.cli import main

PROFILE = """
[council]
name = "Riverside County Council"
short_name = "Riverside"
ons_code = "E10000099"
icb = "QJ2"
trusts = ["RTG"]
resident_share = 0.8
department = "Adult Care"
committee = "People Scrutiny Committee"

[[districts]]
name = "Upton"
postcode_prefixes = ["RV1"]

[[districts]]
name = "Downley"
postcode_prefixes = ["RV2"]

[[districts]]
name = "Marsh End"
postcode_prefixes = ["RV3"]
"""
DISTRICTS = ("Upton", "Downley", "Marsh End")
AS_AT = dt.date(2023, 6, 30)
PAGES = (
    "overview",
    "budget",
    "homecare",
    "temporary_residential",
    "discharges",
    "scenarios",
    "briefing",
    "benchmarks",
    "data",
)


def _csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text(header + "\n" + "\n".join(rows) + "\n")
    return path


def _extracts(folder: Path) -> dict[str, Path]:
    """Two years of weekly starts: homecare and discharges every week in each district,
    a temporary placement every other week."""
    start = dt.date(2021, 7, 5)
    packages, discharges, placements = [], [], []
    for week in range(100):
        day = start + dt.timedelta(weeks=week)
        for d, district in enumerate(DISTRICTS):
            n = week * 3 + d
            end = day + dt.timedelta(weeks=20 + d)
            end_text = end.isoformat() if end <= AS_AT else ""
            packages.append(
                f"HC{n},P{n},homecare,{district},older_adults,{day},{end_text},"
                f"{10 + d},{250 + 10 * d},Care Co,hospital_discharge"
            )
            discharges.append(f"D{n},P{n},{day},{district},RTG,P1,homecare")
            if week % 2 == 0:
                out = day + dt.timedelta(weeks=6)
                placements.append(
                    f"T{n},Q{n},temporary,residential,{district},older_adults,{day},"
                    f"{out if out <= AS_AT else ''},800,700,100,Home,"
                )
    return {
        "care_packages": _csv(
            folder / "packages.csv",
            "package_id,person_id,service_type,district,client_group,start_date,end_date,"
            "hours_per_week,weekly_cost,provider,source",
            packages,
        ),
        "discharges": _csv(
            folder / "discharges.csv",
            "discharge_id,person_id,discharge_date,district,hospital_trust,pathway,outcome",
            discharges,
        ),
        "placements": _csv(
            folder / "placements.csv",
            "placement_id,person_id,placement_type,setting,district,client_group,start_date,"
            "end_date,weekly_cost,standard_rate,additional_payment,provider,reason",
            placements,
        ),
    }


@pytest.fixture(scope="module")
def riverside_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("riverside")
    db = folder / "riverside.duckdb"
    profile = folder / "riverside.toml"
    profile.write_text(PROFILE)
    assert main(["--db", str(db), "profile", "load", str(profile)]) == 0
    for table, path in _extracts(folder).items():
        assert main(["--db", str(db), "load", table, str(path), "--as-at", str(AS_AT)]) == 0
    return db


def _text(at) -> str:
    """Everything a page shows as text, sidebar included."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success")
    parts = [e.value for where in (at, at.sidebar) for kind in kinds for e in getattr(where, kind)]
    parts += [m.label for m in at.metric]
    parts += [str(getattr(s, "options", "")) for s in at.multiselect]
    return "\n".join(str(p) for p in parts)


def test_the_sidebar_names_the_council_and_lists_its_districts(open_app, riverside_db):
    """The frame of every page: the council's name, and its districts in the profile's order."""
    at = open_app(None, db=riverside_db)
    assert "**Riverside County Council**" in [m.value for m in at.sidebar.markdown]
    assert at.multiselect(key="district").options == list(DISTRICTS)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_for_another_council(open_app, riverside_db, page):
    """No exception or error box, and the demo county named nowhere."""
    at = open_app(page, db=riverside_db)
    assert not at.error, [e.value for e in at.error]
    assert "leicestershire" not in _text(at).lower()


def test_money_pages_say_what_to_load_without_a_ledger(open_app, riverside_db):
    """No budget or ledger: Budget and Overview name the extracts to load."""
    budget = _text(open_app("budget", db=riverside_db))
    assert "budget_lines" in budget and "ledger" in budget
    overview = _text(open_app("overview", db=riverside_db))
    assert "No budget or ledger" in overview


def test_benchmarks_explain_how_to_add_comparators(open_app, riverside_db):
    """The profile has no comparator CSV: the page says where comparators come from."""
    at = open_app("benchmarks", db=riverside_db)
    assert any("No comparator councils yet" in i.value for i in at.info)


def test_committee_and_department_names_come_from_the_profile(open_app, riverside_db):
    briefing = _text(open_app("briefing", db=riverside_db))
    assert "For the People Scrutiny Committee" in briefing
    budget = _text(open_app("budget", db=riverside_db))
    assert "the whole Adult Care budget" in budget


@pytest.mark.slow
def test_briefing_pdf_and_html_name_the_council_not_the_demo(riverside_db, tmp_path):
    """The committee pack for another council: its name and committee, its districts in the
    district table, the demo county nowhere, and no money section to invent."""
    from pypdf import PdfReader

    pdf, html = tmp_path / "pack.pdf", tmp_path / "pack.html"
    assert (
        main(["--db", str(riverside_db), "briefing", "--out", str(pdf), "--html", str(html)]) == 0
    )
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    text = " ".join(text.split())
    page = html.read_text()
    for shown in (text, page):
        assert "Riverside County Council" in shown
        assert "People Scrutiny Committee" in shown
        assert all(district in shown for district in DISTRICTS)
        assert "leicestershire" not in shown.lower()


CLD = Path(__file__).resolve().parents[1] / "data" / "cld"


@pytest.fixture(scope="module")
def cld_council_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Issue 14's route 2 from an empty database: `profile load`, then `import-cld` of two
    quarterly returns (the test council of tests/cld, whose weekly views tests/cld checks by
    hand)."""
    db = tmp_path_factory.mktemp("cld_council") / "riverside.duckdb"
    assert main(["--db", str(db), "profile", "load", str(CLD / "riverside.toml")]) == 0
    quarters = [str(CLD / "riverside_2023q1.csv"), str(CLD / "riverside_2023q2.csv")]
    assert main(["--db", str(db), "import-cld", *quarters]) == 0
    return db


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_a_council_loaded_from_its_cld_returns(open_app, cld_council_db, page):
    """No exception or error box, the demo county nowhere, on a council with care records
    from CLD and no budget, ledger or sitrep."""
    at = open_app(page, db=cld_council_db)
    assert not at.error, [e.value for e in at.error]
    assert "leicestershire" not in _text(at).lower()


def test_the_cld_council_frames_every_page(open_app, cld_council_db):
    at = open_app(None, db=cld_council_db)
    assert "**Riverside County Council**" in [m.value for m in at.sidebar.markdown]
    assert at.multiselect(key="district").options == ["Eastbank", "Westmoor", "Northfield"]
