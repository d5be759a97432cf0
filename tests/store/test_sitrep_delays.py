"""Delays in leaving hospital from the NHS discharge sitrep (Tables 2, 3 and 5): the store's
queries on hand-built rows, and on the real June 2023 workbook for LLR's ICB (QK1).

The real figures were read by hand from `june2023.xlsx` with openpyxl, row 32 (QK1) of sheets
`Table 2`, `Table 3` and `Table 5`; the cells are named in each test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from ascdemand.store.sitrep import queries
from ascdemand.store.sitrep.importer import import_files

APRIL = dt.date(2023, 4, 1)
MAY = dt.date(2023, 5, 1)
JUNE = dt.date(2023, 6, 1)
_BUILT: dict[str, Path] = {}

P1 = "Pathway 1: awaiting availability of resource for assessment and start of care at home"
P3 = (
    "Pathway 3: awaiting availability of a bed in a residential or nursing home that is likely "
    "to be a permanent placement"
)
TRANSPORT = "Awaiting transport"
EQUIPMENT = "Awaiting community equipment and adaptations to housing"
HOMELESS = "Homeless/no right of recourse to public funds/no place to discharge to"


def _org(code: str = "QK1") -> tuple[str, str, str, str]:
    return ("icb", "MIDLANDS", code, f"NHS {code} INTEGRATED CARE BOARD")


def _add_criteria(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """rows: (month, day, code, not meeting, discharged, remaining)."""
    con.executemany(
        "INSERT INTO sitrep_criteria_to_reside VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(m, d, *_org(code), n, dis, rem) for m, d, code, n, dis, rem in rows],
    )


def _add_delay_days(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """rows: (month, week start, code, 7+ bed days, 14+ bed days, 21+ bed days)."""
    con.executemany(
        "INSERT INTO sitrep_delay_days VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (m, w, *_org(code), band, days)
            for m, w, code, *cohorts in rows
            for band, days in zip((7, 14, 21), cohorts, strict=True)
        ],
    )


def _add_reasons(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """rows: (month, code, reason heading, average people a day)."""
    con.executemany(
        "INSERT INTO sitrep_delay_reasons VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(m, *_org(code), reason, value) for m, code, reason, value in rows],
    )


def test_criteria_to_reside_averages_the_reported_days(mem_con) -> None:
    """April 2023, QK1: day 1 (10 ready, 4 discharged, 6 stayed), day 2 (20, 12, 8), day 3 not
    reported ('-'). Per day: 15 ready, 8 discharged, 7 stayed, over 2 of 30 days; discharged
    share (4 + 12) / (10 + 20) = 16 / 30. Another ICB's row (100, 0, 100) is not counted."""
    _add_criteria(
        mem_con,
        [
            (APRIL, dt.date(2023, 4, 1), "QK1", 10, 4, 6),
            (APRIL, dt.date(2023, 4, 2), "QK1", 20, 12, 8),
            (APRIL, dt.date(2023, 4, 3), "QK1", None, None, None),
            (APRIL, dt.date(2023, 4, 1), "QUE", 100, 0, 100),
        ],
    )
    row = queries.criteria_to_reside_monthly(mem_con, "icb", "QK1").row(0, named=True)
    assert row == {
        "month": APRIL,
        "days_in_month": 30,
        "days_reported": 2,
        "not_meeting_per_day": 15.0,
        "discharged_per_day": 8.0,
        "remaining_per_day": 7.0,
        "discharged_share": pytest.approx(16 / 30),
    }


def test_discharged_share_uses_days_reporting_both_counts(mem_con) -> None:
    """May 2023: day 1 (10 ready, 5 discharged), day 2 (40 ready, discharged '-'). The share is
    5 / 10 = 50%, not 5 / 50; 'ready' still averages both days: (10 + 40) / 2 = 25."""
    _add_criteria(
        mem_con,
        [
            (MAY, dt.date(2023, 5, 1), "QK1", 10, 5, 5),
            (MAY, dt.date(2023, 5, 2), "QK1", 40, None, None),
        ],
    )
    row = queries.criteria_to_reside_monthly(mem_con, "icb", "QK1").row(0, named=True)
    assert row["discharged_share"] == pytest.approx(0.5)
    assert row["not_meeting_per_day"] == 25.0
    assert row["days_reported"] == 1


def test_delay_bed_days_bands_are_differences_of_nested_cohorts(mem_con) -> None:
    """Two complete weekly snapshots (7+, 14+, 21+): (100, 60, 25) and (80, 50, 30); a third
    has 14+ missing and is left out. Bands: 7-13 = (40 + 30) / 2 = 35; 14-20 = (35 + 20) / 2
    = 27.5; 21+ = (25 + 30) / 2 = 27.5."""
    _add_delay_days(
        mem_con,
        [
            (JUNE, dt.date(2023, 5, 29), "QK1", 100, 60, 25),
            (JUNE, dt.date(2023, 6, 5), "QK1", 80, 50, 30),
            (JUNE, dt.date(2023, 6, 12), "QK1", 999, None, 1),
            (JUNE, dt.date(2023, 6, 5), "QUE", 5000, 4000, 3000),
        ],
    )
    frame = queries.delay_bed_days_by_stay(mem_con, "icb", "QK1")
    assert frame.select("from_days", "to_days", "stay", "snapshots", "bed_days").rows() == [
        (7, 13, "7 to 13 days", 2, 35.0),
        (14, 20, "14 to 20 days", 2, 27.5),
        (21, None, "21 days or more", 2, 27.5),
    ]
    assert frame["month"].unique().to_list() == [JUNE]


def test_delay_reasons_get_plain_labels_groups_and_shares(mem_con) -> None:
    """June 2023: P1 6, P3 2, transport 4, equipment 0, homeless '-', and a heading no label
    knows (8). Reported total 6 + 2 + 4 + 0 + 8 = 20, so P1 is 30%, P3 10%; homeless stays
    NULL. Care after hospital comes first, then equipment, hospital, other; within a group the
    most people first."""
    _add_reasons(
        mem_con,
        [
            (JUNE, "QK1", TRANSPORT, 4.0),
            (JUNE, "QK1", P3, 2.0),
            (JUNE, "QK1", P1, 6.0),
            (JUNE, "QK1", EQUIPMENT, 0.0),
            (JUNE, "QK1", HOMELESS, None),
            (JUNE, "QK1", "Awaiting a new kind of service", 8.0),
            (JUNE, "QUE", P1, 50.0),
        ],
    )
    frame = queries.delay_reasons(mem_con, "icb", "QK1")
    assert frame.select("reason_group", "label", "average_patients").rows() == [
        (
            queries.CARE_AFTER_HOSPITAL,
            "Care at home to start: homecare or reablement (pathway 1)",
            6.0,
        ),
        (queries.CARE_AFTER_HOSPITAL, "A care-home bed, likely permanent (pathway 3)", 2.0),
        (queries.COMMUNITY_SERVICES, "Equipment or adaptations to the home", 0.0),
        (queries.HOSPITAL_TASKS, "Transport", 4.0),
        (queries.OTHER_REASONS, "Awaiting a new kind of service", 8.0),
        (queries.OTHER_REASONS, "Homeless or nowhere to go", None),
    ]
    assert frame["share"].to_list() == pytest.approx([0.3, 0.1, 0.0, 0.2, 0.4, None])
    assert frame["reason"][0] == P1


def test_delay_reason_groups_sum_each_month(mem_con) -> None:
    """May: P1 3 + P3 1 = 4 care after hospital, transport 1: shares 4 / 5 and 1 / 5. June:
    P1 6 + P3 2 = 8, transport 4, homeless '-': 8 / 12 and 4 / 12; 'other' is NULL, not 0."""
    _add_reasons(
        mem_con,
        [
            (MAY, "QK1", P1, 3.0),
            (MAY, "QK1", P3, 1.0),
            (MAY, "QK1", TRANSPORT, 1.0),
            (JUNE, "QK1", P1, 6.0),
            (JUNE, "QK1", P3, 2.0),
            (JUNE, "QK1", TRANSPORT, 4.0),
            (JUNE, "QK1", HOMELESS, None),
        ],
    )
    frame = queries.delay_reason_groups(mem_con, "icb", "QK1")
    assert frame.select("month", "reason_group", "average_patients").rows() == [
        (MAY, queries.CARE_AFTER_HOSPITAL, 4.0),
        (MAY, queries.HOSPITAL_TASKS, 1.0),
        (JUNE, queries.CARE_AFTER_HOSPITAL, 8.0),
        (JUNE, queries.HOSPITAL_TASKS, 4.0),
        (JUNE, queries.OTHER_REASONS, None),
    ]
    assert frame["share"].to_list() == pytest.approx([0.8, 0.2, 8 / 12, 4 / 12, None])


def test_no_delay_rows_give_empty_frames(mem_con) -> None:
    """An organisation with no delay rows gets empty frames with their columns, not an error."""
    assert queries.criteria_to_reside_monthly(mem_con, "trust", "RWE").is_empty()
    assert queries.delay_bed_days_by_stay(mem_con, "trust", "RWE").is_empty()
    reasons = queries.delay_reasons(mem_con, "trust", "RWE")
    assert reasons.is_empty() and "label" in reasons.columns
    assert queries.delay_reason_groups(mem_con, "trust", "RWE").is_empty()


# --- The real June 2023 workbook ----------------------------------------------------------------


@pytest.fixture
def june_db(sitrep_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """june2023.xlsx imported once per session (open read-only)."""
    if "june" not in _BUILT:
        path = tmp_path_factory.mktemp("sitrep_june") / "june.duckdb"
        import_files(path, [sitrep_dir / "june2023.xlsx"], user="test")
        _BUILT["june"] = path
    return _BUILT["june"]


# Table 2, row 32, every third column from G ('remaining in hospital') for 1-30 June 2023:
REMAINING = [190, 195, 201, 180, 184, 201, 206, 209, 215, 199, 181, 192, 194, 198, 195]
REMAINING += [203, 184, 173, 179, 198, 202, 195, 210, 190, 176, 197, 191, 200, 195, 199]
# ... and from E ('no longer meet the criteria to reside'):
READY = [459, 479, 376, 180, 427, 472, 517, 519, 500, 391, 181, 435, 510, 515, 498]
READY += [526, 351, 293, 446, 495, 469, 474, 500, 379, 330, 475, 519, 481, 456, 482]


def test_llr_ready_to_leave_june_2023_by_hand(june_db: Path) -> None:
    """QK1, June 2023: remaining sums to 5,832 over 30 days = 194.4 a day; ready sums to 13,135
    = 437.83 a day; so 13,135 - 5,832 = 7,303 were discharged (243.43 a day, 55.6%), which is
    also QK1's Table 4 total for the month (6,391 + 367 + 350 + 195)."""
    assert sum(REMAINING) == 5832 and sum(READY) == 13135
    with duckdb.connect(str(june_db), read_only=True) as con:
        row = queries.criteria_to_reside_monthly(con, "icb", "QK1").row(0, named=True)
    assert row["month"] == JUNE and row["days_reported"] == 30
    assert row["remaining_per_day"] == pytest.approx(5832 / 30) == pytest.approx(194.4)
    assert row["not_meeting_per_day"] == pytest.approx(13135 / 30)
    assert row["discharged_per_day"] == pytest.approx(7303 / 30)
    assert row["discharged_share"] == pytest.approx(7303 / 13135)


def test_llr_delay_bed_days_june_2023_by_hand(june_db: Path) -> None:
    """QK1, Table 3 E32:S32, five snapshots of (7+, 14+, 21+): (1328, 1178, 873),
    (1353, 1154, 978), (1401, 1217, 1051), (1456, 1182, 1003), (1424, 1272, 977).
    7-13: 150 + 199 + 184 + 274 + 152 = 959 / 5 = 191.8; 14-20: 305 + 176 + 166 + 179 + 295
    = 1,121 / 5 = 224.2; 21+: 4,882 / 5 = 976.4 (together 6,962 / 5 = 1,392.4, the 7+ mean)."""
    with duckdb.connect(str(june_db), read_only=True) as con:
        frame = queries.delay_bed_days_by_stay(con, "icb", "QK1")
    assert frame["stay"].to_list() == ["7 to 13 days", "14 to 20 days", "21 days or more"]
    assert frame["snapshots"].to_list() == [5, 5, 5]
    assert frame["bed_days"].to_list() == pytest.approx([191.8, 224.2, 976.4])


def test_llr_delay_reasons_june_2023_by_hand(june_db: Path) -> None:
    """QK1, Table 5 E32:V32: P1 (Q32) 23, P2 (R32) 54.6, P3 (S32) 1.6; the 16 published reasons
    sum to 113.4 (N32 homeless and V32 safeguarding are '-'). Care after hospital = 23 + 54.6
    + 1.6 = 79.2 a day, 79.2 / 113.4 = 69.8%; equipment F32 4.6 + referral J32 0.4 + hub G32
    0.2 = 5.2."""
    with duckdb.connect(str(june_db), read_only=True) as con:
        reasons = queries.delay_reasons(con, "icb", "QK1")
        groups = queries.delay_reason_groups(con, "icb", "QK1")
    by_label = dict(zip(reasons["label"], reasons["average_patients"], strict=True))
    assert by_label["Care at home to start: homecare or reablement (pathway 1)"] == 23.0
    assert by_label["A rehabilitation bed outside hospital (pathway 2)"] == 54.6
    assert by_label["A care-home bed, likely permanent (pathway 3)"] == 1.6
    assert reasons["average_patients"].sum() == pytest.approx(113.4)
    assert reasons["average_patients"].null_count() == 2
    care = dict(zip(groups["reason_group"], groups["average_patients"], strict=True))
    shares = dict(zip(groups["reason_group"], groups["share"], strict=True))
    assert care[queries.CARE_AFTER_HOSPITAL] == pytest.approx(79.2)
    assert shares[queries.CARE_AFTER_HOSPITAL] == pytest.approx(79.2 / 113.4)
    assert care[queries.COMMUNITY_SERVICES] == pytest.approx(5.2)


def test_every_real_reason_heading_has_its_own_label(june_db: Path) -> None:
    """All 18 headings of Table 5 match a pattern, each a different one: no heading falls back
    to its raw wording and no two are merged."""
    with duckdb.connect(str(june_db), read_only=True) as con:
        reasons = queries.delay_reasons(con, "icb", "QK1")
    labels = {label for _, label, _ in queries.DELAY_REASON_LABELS}
    assert reasons.height == 18
    assert set(reasons["label"]) == labels
