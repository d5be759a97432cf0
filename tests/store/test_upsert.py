"""Loads that update what is stored: `store.upsert` by hand, through `load_frame` and
`load_path`, the change table, the materialised views, older databases, and idempotence."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ascdemand.store.connection import memory
from ascdemand.store.contract import CARE_PACKAGES, LEDGER
from ascdemand.store.load import load_frame, load_path
from ascdemand.store.pseudonymise import load_key, pseudonym
from ascdemand.store.reader import Reader
from ascdemand.store.schema import is_current
from ascdemand.store.upsert import UpsertCounts, upsert

AS_AT = dt.date(2021, 10, 31)
D = dt.date
HEADER = (
    "package_id,person_id,service_type,district,client_group,start_date,end_date,"
    "hours_per_week,weekly_cost,provider,source\n"
)


def packages(rows: list[tuple[str, str, dt.date | None, float]]) -> pl.DataFrame:
    """Homecare packages in Melton from 4 January 2021: (package_id, person_id, end_date,
    weekly_cost), 10 hours a week each."""
    n = len(rows)
    return pl.DataFrame(
        {
            "package_id": [r[0] for r in rows],
            "person_id": [r[1] for r in rows],
            "service_type": ["homecare"] * n,
            "district": ["Melton"] * n,
            "client_group": ["older_adults"] * n,
            "start_date": [D(2021, 1, 4)] * n,
            "end_date": [r[2] for r in rows],
            "hours_per_week": [10.0] * n,
            "weekly_cost": [r[3] for r in rows],
            "provider": [None] * n,
            "source": ["community"] * n,
        },
        schema_overrides={"end_date": pl.Date, "provider": pl.String},
    )


STORED = [("a", "LAS1", None, 200.0), ("b", "LAS2", None, 100.0), ("c", "LAS3", None, 300.0)]
# a unchanged; b ends on 30 June; d is new (c is not in the file and stays as it was)
UPDATE = [
    ("a", "LAS1", None, 200.0),
    ("b", "LAS2", D(2021, 6, 30), 100.0),
    ("d", "LAS4", None, 140.0),
]


def _load(con, rows, *, sha: str, update: bool = False):
    return load_frame(
        con,
        "care_packages",
        packages(rows),
        file_name=f"{sha}.csv",
        file_sha256=sha,
        as_at=AS_AT,
        loaded_by="tester",
        update=update,
    )


def _stored(con) -> list[tuple]:
    return con.execute(
        "SELECT package_id, end_date, weekly_cost, batch_id FROM care_packages ORDER BY 1"
    ).fetchall()


def test_upsert_by_hand_inserts_updates_and_leaves_the_rest(mem_con):
    first = _load(mem_con, STORED, sha="march")
    mem_con.register("incoming", packages(UPDATE).with_columns(person_id=pl.lit("p_x")))
    mem_con.execute("UPDATE care_packages SET person_id = 'p_x'")
    counts = upsert(mem_con, CARE_PACKAGES, "incoming", batch_id="april")
    assert counts == UpsertCounts(inserted=1, updated=1, unchanged=1)
    assert _stored(mem_con) == [
        ("a", None, 200.0, first.batch_id),
        ("b", D(2021, 6, 30), 100.0, "april"),
        ("c", None, 300.0, first.batch_id),
        ("d", None, 140.0, "april"),
    ]
    assert mem_con.execute("SELECT * FROM load_changes").fetchall() == [
        ("april", "care_packages", '{"package_id":"b"}', "end_date", None, "2021-06-30")
    ]


def test_an_update_load_counts_logs_and_audits(mem_con):
    _load(mem_con, STORED, sha="march")
    result = _load(mem_con, UPDATE, sha="april", update=True)
    assert (result.status, result.rows) == ("loaded", 3)
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
    assert result.message == "Updated care_packages from april.csv: 1 new, 1 updated, 1 unchanged."
    log = mem_con.execute(
        "SELECT file_name, rows, inserted, updated, unchanged FROM load_log ORDER BY loaded_at"
    ).fetchall()
    assert log == [("march.csv", 3, 3, 0, 0), ("april.csv", 3, 1, 1, 1)]
    detail = mem_con.execute("SELECT detail FROM audit_log ORDER BY logged_at").fetchall()[-1][0]
    assert "1 new, 1 updated, 1 unchanged" in detail and result.batch_id in detail
    changes = mem_con.execute("SELECT batch_id, column_name, before, after FROM load_changes")
    assert changes.fetchall() == [(result.batch_id, "end_date", None, "2021-06-30")]
    assert mem_con.execute(
        "SELECT end_date FROM care_packages WHERE package_id = 'b'"
    ).fetchall() == [(D(2021, 6, 30),)]


def test_without_update_the_same_file_is_refused_as_before(mem_con):
    _load(mem_con, STORED, sha="march")
    before = _stored(mem_con)
    result = _load(mem_con, UPDATE, sha="april")
    assert result.status == "rejected"
    assert result.problem_counts == {"duplicate of stored row": 2}
    assert "already stored: package_id 'a'" in result.problems[0].message
    assert _stored(mem_con) == before
    assert mem_con.execute("SELECT count(*) FROM load_changes").fetchall() == [(0,)]


def test_the_same_update_file_twice_is_skipped(mem_con):
    _load(mem_con, STORED, sha="march")
    _load(mem_con, UPDATE, sha="april", update=True)
    assert _load(mem_con, UPDATE, sha="april", update=True).status == "skipped"


def test_changed_person_ids_are_kept_as_pseudonyms(mem_con):
    """Package c moves to another person: the change table holds both pseudonyms, no raw id."""
    _load(mem_con, STORED, sha="march")
    _load(mem_con, [("c", "LAS9", None, 300.0)], sha="april", update=True)
    (change,) = mem_con.execute("SELECT column_name, before, after FROM load_changes").fetchall()
    key = load_key()
    assert change == ("person_id", pseudonym("LAS3", key), pseudonym("LAS9", key))


def test_a_composite_key_is_recorded_as_json(mem_con):
    ledger = pl.DataFrame(
        {
            "financial_year": ["2021/22"],
            "period": [3],
            "service_line": ["staffing"],
            "actual_spend": [120.0],
            "income": [0.0],
        },
        schema_overrides={"period": pl.Int32},
    )
    mem_con.register("first", ledger)
    upsert(mem_con, LEDGER, "first", batch_id="p3")
    mem_con.register("restated", ledger.with_columns(actual_spend=pl.lit(125.5)))
    assert upsert(mem_con, LEDGER, "restated", batch_id="p4") == UpsertCounts(0, 1, 0)
    (row_key, before, after) = mem_con.execute(
        "SELECT row_key, before, after FROM load_changes"
    ).fetchall()[0]
    assert json.loads(row_key) == {
        "financial_year": "2021/22",
        "period": 3,
        "service_line": "staffing",
    }
    assert (before, after) == ("120.0", "125.5")


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows))
    return path


def _contents(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            ).fetchall()
        ]
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


MARCH = [
    "a,LAS1,homecare,Melton,older_adults,2021-01-04,,10,200,,community",
    "b,LAS2,homecare,Melton,older_adults,2021-01-04,,10,100,,community",
    "c,LAS3,homecare,Melton,older_adults,2021-01-04,,10,300,,community",
]


def test_a_rejected_update_file_changes_nothing(tmp_path: Path):
    db = tmp_path / "store.duckdb"
    assert (
        load_path(db, "care_packages", _csv(tmp_path / "march.csv", MARCH), as_at=AS_AT).status
        == "loaded"
    )
    before, file_bytes = _contents(db), hashlib.sha256(db.read_bytes()).hexdigest()
    bad = _csv(
        tmp_path / "april.csv",
        [
            "b,LAS2,homecare,Melton,older_adults,2021-01-04,2021-06-30,10,100,,community",
            "d,LAS4,homecare,Melton,older_adults,2021-04-01,,10,-5,,community",
        ],
    )
    result = load_path(db, "care_packages", bad, update=True)
    assert result.status == "rejected"
    assert [(p.row, p.column) for p in result.problems] == [(3, "weekly_cost")]
    assert _contents(db) == before
    assert hashlib.sha256(db.read_bytes()).hexdigest() == file_bytes


def _homecare_people(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT week_start, people FROM homecare_weekly WHERE week_start IN "
            "('2021-06-28', '2021-07-05') ORDER BY 1"
        ).fetchall()


def test_an_update_refreshes_the_materialised_views(tmp_path: Path):
    """Package b ends on Wednesday 30 June: it counts on Monday 28 June, not on 5 July. The
    update changes no row count, so only the change table tells the cache it is stale."""
    db = tmp_path / "store.duckdb"
    load_path(db, "care_packages", _csv(tmp_path / "march.csv", MARCH), as_at=AS_AT)
    assert _homecare_people(db) == [(D(2021, 6, 28), 3), (D(2021, 7, 5), 3)]
    april = _csv(
        tmp_path / "april.csv",
        ["b,LAS2,homecare,Melton,older_adults,2021-01-04,2021-06-30,10,100,,community"],
    )
    result = load_path(db, "care_packages", april, update=True)
    assert (result.inserted, result.updated, result.unchanged) == (0, 1, 0)
    assert _homecare_people(db) == [(D(2021, 6, 28), 3), (D(2021, 7, 5), 2)]


def test_an_older_database_gains_the_load_counts_and_change_tables_on_open(tmp_path: Path):
    """Its loads could only insert, so each counts its rows as inserted."""
    db = tmp_path / "old.duckdb"
    load_path(db, "care_packages", _csv(tmp_path / "march.csv", MARCH), as_at=AS_AT)
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE load_changes")
        for column in ("inserted", "updated", "unchanged"):
            con.execute(f"ALTER TABLE load_log DROP COLUMN {column}")
    with duckdb.connect(str(db), read_only=True) as old:
        assert not is_current(old)
    reader = Reader(db)
    with reader.cursor() as cur:
        assert is_current(cur)
        log = cur.execute("SELECT rows, inserted, updated, unchanged FROM load_log").fetchall()
        assert log == [(3, 3, 0, 0)]
        assert cur.execute("SELECT count(*) FROM load_changes").fetchall() == [(0,)]
    reader.close()
    april = _csv(
        tmp_path / "april.csv",
        ["b,LAS2,homecare,Melton,older_adults,2021-01-04,2021-06-30,10,100,,community"],
    )
    assert load_path(db, "care_packages", april, update=True).updated == 1


# Small pools of keys and values, so stores and files share keys and sometimes values.
_ROW = st.tuples(
    st.sampled_from("abcdefgh"),
    st.sampled_from(["p_1", "p_2"]),
    st.sampled_from([None, D(2021, 6, 30), D(2021, 9, 1)]),
    st.sampled_from([100.0, 150.5]),
)
_ROWS = st.lists(_ROW, max_size=8, unique_by=lambda r: r[0])


def _table(con) -> list[tuple]:
    return con.execute(
        "SELECT package_id, person_id, end_date, weekly_cost FROM care_packages ORDER BY 1"
    ).fetchall()


@pytest.mark.slow  # several seconds
@settings(max_examples=60, deadline=None)
@given(stored=_ROWS, incoming=_ROWS)
def test_upsert_is_idempotent_and_makes_the_file_the_truth_for_its_keys(stored, incoming):
    con = memory()
    try:
        con.register("stored", packages(stored))
        upsert(con, CARE_PACKAGES, "stored", batch_id="first")
        con.register("incoming", packages(incoming))
        once = upsert(con, CARE_PACKAGES, "incoming", batch_id="second")
        after_once = _table(con)
        twice = upsert(con, CARE_PACKAGES, "incoming", batch_id="third")
        assert _table(con) == after_once
        assert twice == UpsertCounts(inserted=0, updated=0, unchanged=len(incoming))
        expected = {r[0]: r for r in stored} | {r[0]: r for r in incoming}
        assert after_once == sorted(expected.values())
        assert once.inserted == len({r[0] for r in incoming} - {r[0] for r in stored})
        assert once.inserted + once.updated + once.unchanged == len(incoming)
        assert con.execute(
            "SELECT count(*) FROM load_changes WHERE batch_id = 'third'"
        ).fetchall() == [(0,)]
    finally:
        con.close()
