"""From an empty database to the weekly views: `profile load`, then `import-cld` of two
quarters, and the views against answers worked out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ascdemand.cli import main
from tests.cld.conftest import PROFILE, Q1, Q2, rows

D = dt.date


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Riverside after `profile load` and `import-cld` of Q1 then Q2 into an empty database."""
    db = tmp_path_factory.mktemp("end_to_end") / "riverside.duckdb"
    assert main(["--db", str(db), "profile", "load", str(PROFILE)]) == 0
    assert main(["--db", str(db), "import-cld", str(Q1)]) == 0
    assert main(["--db", str(db), "import-cld", str(Q2)]) == 0
    return db


def _weekly(db: Path, view: str, columns: str, mondays: list[dt.date]) -> list[tuple]:
    return rows(
        db,
        f"SELECT week_start, district, {columns} FROM {view} "
        "WHERE list_contains(?, week_start) ORDER BY ALL",
        [mondays],
    )


def test_the_calendar_runs_from_the_first_discharge_to_the_last_reporting_period(imported):
    """The earliest activity is Ada's discharge on Monday 3 April 2023; the as-at date is Q2's
    end, 30 September 2023, whose Monday is the 25th."""
    assert rows(imported, "SELECT min(week_start), max(week_start) FROM calendar_weeks") == [
        (D(2023, 4, 3), D(2023, 9, 25))
    ]


def test_homecare_weekly(imported):
    """Homecare packages (a package counts on the Mondays from its start to its end):
    - S-10001 Jamal, Eastbank, Wed 12 Apr - Wed 21 Jun, 7 h: Mondays 17 Apr to 19 Jun.
    - S-1002 Ada, Eastbank, from Mon 1 May, open, 16 h (Q2's hours replace Q1's 14).
    - S-7001 Grace, Westmoor, from Mon 3 Jul, open, 10 h.
    - S-12002 Lorna, Eastbank, from Mon 11 Sep, open, 12 h.
    So Eastbank: 10 Apr 0 / 0 h; 17 Apr 1 / 7 h; 1 May and 19 Jun 2 / 23 h; 26 Jun and 3 Jul
    1 / 16 h; 11 Sep 2 / 28 h. Westmoor: 0 until 3 Jul, then 1 / 10 h. Northfield has no
    homecare, so no rows."""
    mondays = [D(2023, 4, 10), D(2023, 4, 17), D(2023, 5, 1), D(2023, 6, 19), D(2023, 6, 26),
               D(2023, 7, 3), D(2023, 9, 11)]  # fmt: skip
    assert _weekly(imported, "homecare_weekly", "people, hours", mondays) == [
        (D(2023, 4, 10), "Eastbank", 0, 0.0),
        (D(2023, 4, 10), "Westmoor", 0, 0.0),
        (D(2023, 4, 17), "Eastbank", 1, 7.0),
        (D(2023, 4, 17), "Westmoor", 0, 0.0),
        (D(2023, 5, 1), "Eastbank", 2, 23.0),
        (D(2023, 5, 1), "Westmoor", 0, 0.0),
        (D(2023, 6, 19), "Eastbank", 2, 23.0),
        (D(2023, 6, 19), "Westmoor", 0, 0.0),
        (D(2023, 6, 26), "Eastbank", 1, 16.0),
        (D(2023, 6, 26), "Westmoor", 0, 0.0),
        (D(2023, 7, 3), "Eastbank", 1, 16.0),
        (D(2023, 7, 3), "Westmoor", 1, 10.0),
        (D(2023, 9, 11), "Eastbank", 2, 28.0),
        (D(2023, 9, 11), "Westmoor", 1, 10.0),
    ]


def test_temp_residential_weekly(imported):
    """Temporary placements (admissions count in the week of the start date):
    - S-8001 Harold, Northfield, short-term nursing Mon 22 May - Sun 4 Jun: in care on 22 and
      29 May, admitted the week of 22 May.
    - S-2001 Bernard, Westmoor, Mon 12 Jun - Sun 9 Jul (Q2 closed it): 12 Jun to 3 Jul.
    - S-12001 Lorna, Eastbank, Wed 16 Aug - Sun 10 Sep: admitted the week of 14 Aug but not in
      care that Monday; in care 21 Aug to 4 Sep.
    Permanent placements (S-2002, S-5001, S-8002) are not counted."""
    mondays = [D(2023, 5, 22), D(2023, 5, 29), D(2023, 6, 5), D(2023, 6, 12), D(2023, 7, 3),
               D(2023, 7, 10), D(2023, 8, 14), D(2023, 8, 21), D(2023, 9, 4), D(2023, 9, 11)]  # fmt: skip
    got = [
        r
        for r in _weekly(imported, "temp_residential_weekly", "people, admissions", mondays)
        if r[2] or r[3]
    ]
    assert got == [
        (D(2023, 5, 22), "Northfield", 1, 1),
        (D(2023, 5, 29), "Northfield", 1, 0),
        (D(2023, 6, 12), "Westmoor", 1, 1),
        (D(2023, 7, 3), "Westmoor", 1, 0),
        (D(2023, 8, 14), "Eastbank", 0, 1),
        (D(2023, 8, 21), "Eastbank", 1, 0),
        (D(2023, 9, 4), "Eastbank", 1, 0),
    ]


def test_discharges_weekly(imported):
    """Discharges by week, district and derived pathway (to social care = any outcome but no
    ongoing package):
    - R-1001 Mon 3 Apr, Eastbank: reablement the next day -> P1.
    - R-5001 Wed 10 May (week of 8 May), Eastbank: nursing home on the 12th -> P3.
    - R-2001 Mon 12 Jun, Westmoor: short-term residential care the same day -> P2.
    - R-7001 Mon 26 Jun, Westmoor: homecare from 3 Jul, in the next quarter's file -> P1.
    - R-12001 Mon 14 Aug, Eastbank: short-term residential care on the 16th -> P2.
    - R-1002 Mon 18 Sep, Eastbank: no new service -> P0, not to social care."""
    mondays = [D(2023, 4, 3), D(2023, 5, 8), D(2023, 6, 12), D(2023, 6, 26), D(2023, 8, 14),
               D(2023, 9, 18)]  # fmt: skip
    got = [
        r
        for r in _weekly(
            imported, "discharges_weekly", "pathway, discharges, to_social_care", mondays
        )
        if r[3]
    ]
    assert got == [
        (D(2023, 4, 3), "Eastbank", "P1", 1, 1),
        (D(2023, 5, 8), "Eastbank", "P3", 1, 1),
        (D(2023, 6, 12), "Westmoor", "P2", 1, 1),
        (D(2023, 6, 26), "Westmoor", "P1", 1, 1),
        (D(2023, 8, 14), "Eastbank", "P2", 1, 1),
        (D(2023, 9, 18), "Eastbank", "P0", 1, 0),
    ]
    assert rows(imported, "SELECT count(DISTINCT district) FROM discharges_weekly") == [(3,)]
