"""The Hospital discharges page: council figures worked by hand from a small store, the NHS
sitrep view and its delays in leaving hospital from two real workbooks (checked against SQL run
directly on the store), and the empty states."""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from ascdemand.models import discharges
from ascdemand.models.measures import MEASURES
from ascdemand.store import meta, writer
from ascdemand.store.profile import save_shipped_profile
from ascdemand.store.sitrep import queries
from ascdemand.store.sitrep.importer import import_files

# (date, pathway, outcome, how many). February 2020 is before the pandemic; April 2020 has
# three discharges in each of its four Monday weeks (6, 13, 20, 27 April).
FEBRUARY = [
    ("2020-02-04", "P0", "no_ongoing_package", 4),
    ("2020-02-05", "P1", "reablement", 4),
    ("2020-02-06", "P2", "temporary_residential", 1),
    ("2020-02-07", "P3", "permanent_residential", 1),
]
APRIL = [
    ("2020-04-07", "P0", "no_ongoing_package", 3),
    ("2020-04-14", "P0", "no_ongoing_package", 1),
    ("2020-04-14", "P1", "homecare", 2),
    ("2020-04-21", "P1", "reablement", 2),
    ("2020-04-21", "P2", "temporary_residential", 1),
    ("2020-04-28", "P2", "temporary_residential", 1),
    ("2020-04-28", "P3", "permanent_residential", 2),
]


def _add_council_discharges(db: Path) -> None:
    rows = [
        (f"D{i}-{n}", f"person-{i}-{n}", day, "Melton", "RWE", path, out)
        for i, (day, path, out, count) in enumerate(FEBRUARY + APRIL)
        for n in range(count)
    ]
    with writer.transaction(db) as con:
        save_shipped_profile(con, "leicestershire.toml", loaded_by="test")
        con.executemany(
            "INSERT INTO discharges (discharge_id, person_id, discharge_date, district,"
            " hospital_trust, pathway, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        meta.set_as_at_date(con, dt.date(2020, 4, 30))


@pytest.fixture
def open_discharges(open_app: Callable[..., AppTest]) -> Callable[[Path], AppTest]:
    """Open the Hospital discharges page of the app on the database at a path: no errors."""

    def _open(db: Path) -> AppTest:
        at = open_app("discharges", db=db)
        assert not at.error, [e.value for e in at.error]
        return at

    return _open


@pytest.fixture
def council_db(tmp_path: Path) -> Path:
    db = tmp_path / "council.duckdb"
    _add_council_discharges(db)
    return db


@pytest.fixture
def full_db(build_once: Callable[..., Path], sitrep_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the council's discharges with two sitrep months imported (built once
    per test session)."""

    def build(path: Path) -> None:
        _add_council_discharges(path)
        months = [sitrep_dir / "april2022.xlsx", sitrep_dir / "june2023.xlsx"]
        import_files(path, months, user="test")

    db = tmp_path / "full.duckdb"
    shutil.copyfile(build_once("discharges-page-full.duckdb", build), db)
    return db


def _metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def _chart_series(at: AppTest, key: str) -> list[str]:
    """Trace names of the plotly chart with widget key `key`."""
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}"))
    return [trace["name"] for trace in json.loads(chart.proto.spec)["data"]]


def _infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


NEEDING = MEASURES["discharges_to_social_care"].name
DELAYS_EMPTY = "Import the NHS discharge sitrep on the Data page to see delays in leaving hospital"


def _values(data: object) -> list:
    """A trace's x or y values, whether plotly wrote a plain list or a typed binary array."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def _chart_traces(at: AppTest, key: str) -> dict[str, dict]:
    """Traces of the plotly chart with widget key `key`, by name."""
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}"))
    return {t["name"]: t for t in json.loads(chart.proto.spec)["data"]}


def _sql(db: Path, query: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(query, list(params)).fetchall()


def test_council_figures_worked_by_hand(open_discharges, council_db: Path) -> None:
    """Last four weeks: 12 discharges, 4 with no package, so 12 / 4 = 3 a week and
    (12 - 4) / 4 = 2 a week needing care. April's no-package share is 4 / 12 = 33%; before the
    pandemic (February) it was 4 / 10 = 40%, so the change is 33.3 - 40 = -7 points."""
    at = open_discharges(council_db)
    metrics = _metrics(at)
    assert metrics["Discharges per week"][0] == "3"
    assert metrics[NEEDING][0] == "2.0"
    assert metrics["No ongoing package, Apr 2020"] == (
        "33%",
        "-7 points on before the pandemic",
    )
    assert len(at.get("plotly_chart")) == 3 + 1  # and the process-control chart
    assert any(i.startswith("No NHS discharge sitrep imported yet") for i in _infos(at))
    assert any("ascdemand import-sitrep" in i for i in _infos(at))
    assert any(i.startswith(DELAYS_EMPTY) for i in _infos(at))


def test_nhs_view_defaults_to_llr_icb(open_discharges, full_db: Path) -> None:
    """QK1, June 2023 (Table 4 row 33): P0 6,391, P1 367, P2 350, P3 195, total 7,303.
    Per week: 7,303 / (30 / 7) = 1,704.0; P1-P3 912 / (30 / 7) = 212.8; share 912 / 7,303
    = 12.5%."""
    at = open_discharges(full_db)
    assert at.selectbox(key="sitrep_org_icb").value == "QK1"
    metrics = _metrics(at)
    assert metrics["Discharges per week, June 2023"][0] == "1,704"
    assert metrics["Of which on pathways 1 to 3 per week"][0] == "213"
    assert metrics["Share on pathways 1 to 3"][0] == "12.5%"
    assert len(at.get("plotly_chart")) == 3 + 1 + 2 + 4
    assert not any("No NHS discharge sitrep" in i for i in _infos(at))
    assert not any(i.startswith(DELAYS_EMPTY) for i in _infos(at))


def test_side_by_side_pathway_mix(open_discharges, full_db: Path) -> None:
    """Council P1-P3 over February and April: P1 4 + 4 = 8, P2 1 + 2 = 3, P3 1 + 2 = 3 of 14.
    QK1 over its two months: P1 365 + 367 = 732, P2 293 + 350 = 643, P3 187 + 195 = 382 of
    1,757."""
    at = open_discharges(full_db)
    mix = next(d.value for d in at.dataframe if "Council" in d.value.columns)
    assert list(mix["Council"]) == pytest.approx([8 / 14, 3 / 14, 3 / 14])
    nhs = mix.iloc[:, 2]
    assert list(nhs) == pytest.approx([732 / 1757, 643 / 1757, 382 / 1757])


def test_trust_level_defaults_to_uhl(open_discharges, full_db: Path) -> None:
    """Switching to acute trusts selects RWE, whose April 2022 and June 2023 rows equal QK1's."""
    at = open_discharges(full_db)
    at.radio(key="sitrep_org_type").set_value("trust").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="sitrep_org_trust").value == "RWE"
    assert _metrics(at)["Discharges per week, June 2023"][0] == "1,704"


def test_choosing_another_icb_changes_the_figures(open_discharges, full_db: Path) -> None:
    """Cambridgeshire and Peterborough (QUE), June 2023 Table 4 row 16, summed by the importer
    test's rule, gives a different weekly total from LLR's."""
    at = open_discharges(full_db)
    at.selectbox(key="sitrep_org_icb").set_value("QUE").run()
    assert not at.exception and not at.error
    assert _metrics(at)["Discharges per week, June 2023"][0] != "1,704"


def test_sitrep_without_council_data(open_discharges, sitrep_dir: Path, tmp_path: Path) -> None:
    """With only the NHS data imported, the NHS view shows and the comparison asks for the
    council's extract."""
    db = tmp_path / "nhs_only.duckdb"
    with writer.transaction(db) as con:
        save_shipped_profile(con, "leicestershire.toml", loaded_by="test")
    import_files(db, [sitrep_dir / "june2023.xlsx"], user="test")
    at = open_discharges(db)
    assert _metrics(at)["Discharges per week, June 2023"][0] == "1,704"
    assert any("Load the council's discharge extract" in i for i in _infos(at))


def test_no_database_at_all(open_discharges, tmp_path: Path) -> None:
    """No database file: both sections explain what to load, and nothing fails."""
    at = open_discharges(tmp_path / "missing.duckdb")
    infos = _infos(at)
    assert any(i.startswith("No data loaded yet") for i in infos)
    assert any(i.startswith("No NHS discharge sitrep imported yet") for i in infos)
    assert any(i.startswith(DELAYS_EMPTY) for i in infos)
    assert len(at.get("plotly_chart")) == 0


def test_p0_can_be_left_out_of_the_nhs_chart(open_discharges, full_db: Path) -> None:
    """Unticking P0 drops its trace from the NHS chart; the headline figures stay whole."""
    at = open_discharges(full_db)
    assert _chart_series(at, "sitrep_pathways")[0] == "P0: home, no new support"
    at.toggle(key="sitrep_p0").set_value(False).run()
    assert not at.exception and not at.error
    assert _chart_series(at, "sitrep_pathways") == [
        "P1: home with new support",
        "P2: short-term bed-based rehabilitation",
        "P3: new care-home placement",
    ]
    assert _metrics(at)["Discharges per week, June 2023"][0] == "1,704"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (
            "NHS LEICESTER, LEICESTERSHIRE AND RUTLAND INTEGRATED CARE BOARD",
            "NHS Leicester, Leicestershire and Rutland ICB",
        ),
        (
            "UNIVERSITY HOSPITALS OF LEICESTER NHS TRUST",
            "University Hospitals of Leicester NHS Trust",
        ),
    ],
)
def test_display_name_keeps_acronyms(name: str, shown: str) -> None:
    assert discharges.display_name(name) == shown


def test_latest_month_with_every_cell_suppressed() -> None:
    """A month whose cells were all '-' has no share rather than a division by zero."""
    frame = pl.DataFrame(
        {
            "month": [dt.date(2023, 6, 1)] * 2,
            "pathway": ["P0", "P1"],
            "patients": [None, None],
            "weekly_patients": [None, None],
        },
        schema_overrides={"patients": pl.Int64, "weekly_patients": pl.Float64},
    )
    latest = discharges.latest_month(frame)
    assert latest.supported_share is None and latest.per_week == 0


def test_leading_empty_weeks_are_dropped() -> None:
    """Weeks of zeros before the extract starts are not drawn; later zero weeks are kept."""
    frame = pl.DataFrame(
        {
            "week_start": [dt.date(2018, 1, 1) + dt.timedelta(weeks=i) for i in range(4)],
            "discharges": [0, 0, 5, 0],
        }
    )
    kept = discharges.from_first_activity(frame, "discharges")
    assert kept["discharges"].to_list() == [5, 0]


def test_demo_page_numbers_come_from_the_store(open_page, demo_db: Path) -> None:
    """On the demo database the headline figures equal the store's own: the mean of the last
    four weeks of `discharges_weekly`, and the latest whole month's no-package share."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        per_week, to_care = con.execute(
            "SELECT avg(d), avg(c) FROM (SELECT week_start, sum(discharges) AS d,"
            " sum(to_social_care) AS c FROM discharges_weekly GROUP BY 1"
            " ORDER BY 1 DESC LIMIT 4)"
        ).fetchone()
        month, share = con.execute(
            "SELECT date_trunc('month', discharge_date) AS m,"
            " avg(CASE WHEN outcome = 'no_ongoing_package' THEN 1.0 ELSE 0.0 END)"
            " FROM discharges GROUP BY 1"
            " HAVING last_day(m) <= (SELECT CAST(value AS DATE) FROM settings"
            " WHERE key = 'as_at_date') ORDER BY 1 DESC LIMIT 1"
        ).fetchone()
    at = open_page("discharges")
    metrics = _metrics(at)
    assert metrics["Discharges per week"][0] == f"{per_week:,.0f}"
    assert metrics[NEEDING][0] == f"{to_care:,.1f}"
    assert metrics[f"No ongoing package, {month:%b %Y}"][0] == f"{share:.0%}"
    assert _chart_series(at, "council_no_package") == ["Share with no ongoing package"]


def test_delays_headlines_equal_sql_on_the_store(open_discharges, full_db: Path) -> None:
    """QK1, June 2023, straight from the store's tables: patients still in hospital per day
    (avg of Table 2's `remaining`; 194.4 by hand), its change on the month before (April 2022
    here, the only other month imported), the share discharged on the day, and people a day
    waiting 14+ days for pathway 1 to 3 care (Table 5 headings starting 'Pathway')."""
    where = "org_type = 'icb' AND org_code = 'QK1' AND month = ?"
    june, april = dt.date(2023, 6, 1), dt.date(2022, 4, 1)
    [(remaining, share)] = _sql(
        full_db,
        f"SELECT avg(remaining), sum(discharged) / sum(not_meeting_criteria)"  # noqa: S608
        f" FROM sitrep_criteria_to_reside WHERE {where}",
        june,
    )
    [(april_remaining,)] = _sql(
        full_db, f"SELECT avg(remaining) FROM sitrep_criteria_to_reside WHERE {where}", april
    )
    [(care, reported)] = _sql(
        full_db,
        "SELECT sum(average_patients) FILTER (WHERE reason LIKE 'Pathway%'),"  # noqa: S608
        f" sum(average_patients) FROM sitrep_delay_reasons WHERE {where}",
        june,
    )
    at = open_discharges(full_db)
    metrics = _metrics(at)
    assert metrics["Ready to leave, still in hospital, Jun 2023"] == (
        f"{remaining:,.0f} a day",
        f"{remaining - april_remaining:+,.0f} on Apr 2022",
    )
    assert f"{remaining:,.0f}" == "194"
    assert metrics["Discharged on the day ready, Jun 2023"][0] == f"{share:.0%}"
    assert metrics["Waiting 14+ days for care, Jun 2023"] == (
        f"{care:,.0f} a day",
        f"{care / reported:.0%} of delays of 14+ days",
    )


def test_delays_charts_equal_sql_on_the_store(open_discharges, full_db: Path) -> None:
    """Each chart of the section draws the store's numbers: Table 2 daily averages per month,
    Table 3 bands for June 2023 as differences of the nested cohorts, and Table 5's people a
    day for June 2023 by reason."""
    at = open_discharges(full_db)
    monthly = _sql(
        full_db,
        "SELECT month, avg(remaining), avg(discharged) FROM sitrep_criteria_to_reside"
        " WHERE org_type = 'icb' AND org_code = 'QK1' GROUP BY month ORDER BY month",
    )
    criteria = _chart_traces(at, "delays_criteria")
    assert _values(criteria["Still in hospital at the end of the day"]["y"]) == pytest.approx(
        [r for _, r, _ in monthly]
    )
    assert _values(criteria["Discharged the same day"]["y"]) == pytest.approx(
        [d for _, _, d in monthly]
    )

    [bands] = _sql(
        full_db,
        "SELECT [avg(d7 - d14), avg(d14 - d21), avg(d21)] FROM (SELECT week_start,"
        " max(additional_bed_days) FILTER (WHERE min_length_of_stay = 7) AS d7,"
        " max(additional_bed_days) FILTER (WHERE min_length_of_stay = 14) AS d14,"
        " max(additional_bed_days) FILTER (WHERE min_length_of_stay = 21) AS d21"
        " FROM sitrep_delay_days WHERE org_type = 'icb' AND org_code = 'QK1'"
        " AND month = DATE '2023-06-01' GROUP BY week_start)",
    )
    length = _chart_traces(at, "delays_length")
    assert list(length) == ["June 2023"]  # June 2022 was not imported
    assert _values(length["June 2023"]["x"]) == ["7 to 13 days", "14 to 20 days", "21 days or more"]
    assert _values(length["June 2023"]["y"]) == pytest.approx(bands[0])

    reasons = dict(
        _sql(
            full_db,
            "SELECT reason, average_patients FROM sitrep_delay_reasons WHERE org_type = 'icb'"
            " AND org_code = 'QK1' AND month = DATE '2023-06-01' AND reason LIKE 'Pathway%'",
        )
    )
    care = _chart_traces(at, "delays_reasons")[queries.CARE_AFTER_HOSPITAL]
    drawn = dict(zip(_values(care["y"]), _values(care["x"]), strict=True))
    assert sorted(drawn.values()) == sorted(reasons.values())
    assert drawn["Care at home to start: homecare or reablement (pathway 1)"] == next(
        v for r, v in reasons.items() if r.startswith("Pathway 1")
    )
    groups = _chart_traces(at, "delays_reason_groups")
    assert list(groups) == list(queries.REASON_GROUPS)


def test_delays_follow_the_trust_picker(open_discharges, full_db: Path) -> None:
    """At trust level the section shows UHL (RWE), whose Table 2 row equals QK1's in June 2023,
    and the charts are titled with the trust's name."""
    at = open_discharges(full_db)
    at.radio(key="sitrep_org_type").set_value("trust").run()
    assert not at.exception and not at.error
    [(remaining,)] = _sql(
        full_db,
        "SELECT avg(remaining) FROM sitrep_criteria_to_reside WHERE org_type = 'trust'"
        " AND org_code = 'RWE' AND month = DATE '2023-06-01'",
    )
    metric = _metrics(at)["Ready to leave, still in hospital, Jun 2023"][0]
    assert metric == f"{remaining:,.0f} a day" == "194 a day"
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("-delays_reasons"))
    title = json.loads(chart.proto.spec)["layout"]["title"]["text"]
    assert title.startswith("University Hospitals of Leicester NHS Trust: why patients")


def test_delays_empty_when_editions_lack_the_delay_tables(
    open_discharges, full_db: Path, tmp_path: Path
) -> None:
    """Sitrep months imported but Tables 2, 3 and 5 empty (editions without them): the section
    says so, and the Table 4 charts still draw."""
    db = tmp_path / "no_delays.duckdb"
    shutil.copyfile(full_db, db)
    with writer.transaction(db) as con:
        for table in ("sitrep_criteria_to_reside", "sitrep_delay_days", "sitrep_delay_reasons"):
            con.execute(f"DELETE FROM {table}")  # noqa: S608
    at = open_discharges(db)
    assert any(i.startswith("The imported sitrep months hold no delay figures") for i in _infos(at))
    assert len(at.get("plotly_chart")) == 3 + 1 + 2
    assert not any(m.startswith("Ready to leave") for m in _metrics(at))
