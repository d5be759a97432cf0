"""load_frame and load_file against an in-memory store: load, skip, refuse, log, audit."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ascdemand.store import meta
from ascdemand.store.load import load_file, load_frame
from ascdemand.store.pseudonymise import load_key, pseudonym

AS_AT = dt.date(2021, 10, 31)


def placements(ids: list[str], person: str = "LAS42") -> pl.DataFrame:
    """Typed placement rows, as the demo builder passes them."""
    n = len(ids)
    return pl.DataFrame(
        {
            "placement_id": ids,
            "person_id": [person] * n,
            "placement_type": ["temporary"] * n,
            "setting": ["residential"] * n,
            "district": ["Melton"] * n,
            "client_group": ["older_adults"] * n,
            "start_date": [dt.date(2021, 1, 4)] * n,
            "end_date": [None] * n,
            "weekly_cost": [721.0] * n,
            "standard_rate": [615.0] * n,
            "additional_payment": [106.0] * n,
            "provider": ["Oak House"] * n,
            "reason": [None] * n,
        },
        schema_overrides={"end_date": pl.Date, "reason": pl.String},
    )


def _load(con, frame, sha="sha-1", name="demo:placements"):
    return load_frame(
        con,
        "placements",
        frame,
        file_name=name,
        file_sha256=sha,
        as_at=AS_AT,
        loaded_by="tester",
    )


def test_typed_frame_loads_with_log_and_audit(mem_con):
    result = _load(mem_con, placements(["T1", "T2"]))
    assert (result.status, result.rows) == ("loaded", 2)
    log = mem_con.execute(
        "SELECT table_name, file_name, file_sha256, rows, status, loaded_by FROM load_log"
    ).fetchall()
    assert log == [("placements", "demo:placements", "sha-1", 2, "loaded", "tester")]
    audit = mem_con.execute("SELECT user_name, action, detail FROM audit_log").fetchall()
    assert audit[0][:2] == ("tester", "load")
    assert result.batch_id in audit[0][2]
    batches = mem_con.execute("SELECT DISTINCT batch_id FROM placements").fetchall()
    assert batches == [(result.batch_id,)]


def test_person_id_is_stored_as_its_keyed_hash(mem_con):
    _load(mem_con, placements(["T1"], person="LAS42"))
    stored = mem_con.execute("SELECT person_id FROM placements").fetchall()
    assert stored == [(pseudonym("LAS42", load_key()),)]


def test_same_content_twice_is_skipped(mem_con):
    _load(mem_con, placements(["T1"]))
    again = _load(mem_con, placements(["T1"]))
    assert again.status == "skipped"
    assert "already loaded into placements" in again.message
    assert mem_con.execute("SELECT count(*) FROM load_log").fetchall() == [(1,)]


def test_keys_already_stored_are_refused_and_nothing_written(mem_con):
    _load(mem_con, placements(["T1", "T2"]))
    result = _load(mem_con, placements(["T3", "T2"]), sha="sha-2", name="second.csv")
    assert result.status == "rejected"
    assert [(p.row, p.column) for p in result.problems] == [(3, "placement_id")]
    assert "already stored: placement_id 'T2'" in result.problems[0].message
    assert mem_con.execute("SELECT count(*) FROM placements").fetchall() == [(2,)]
    assert mem_con.execute("SELECT count(*) FROM load_log").fetchall() == [(1,)]
    assert mem_con.execute("SELECT count(*) FROM audit_log").fetchall() == [(1,)]


def test_rejected_frame_writes_nothing(mem_con):
    bad = placements(["T1"]).with_columns(pl.lit(-5.0).alias("weekly_cost"))
    result = _load(mem_con, bad)
    assert result.status == "rejected"
    assert result.problem_counts == {"below minimum": 1}
    for table in ("placements", "load_log", "audit_log"):
        assert mem_con.execute(f"SELECT count(*) FROM {table}").fetchall() == [(0,)]


def test_as_at_defaults_to_the_stored_date(mem_con):
    """With the as-at date set to 1 Jan 2021, a 4 Jan start is in the future."""
    meta.set_as_at_date(mem_con, dt.date(2021, 1, 1))
    assert meta.as_at_date(mem_con) == dt.date(2021, 1, 1)
    result = load_frame(mem_con, "placements", placements(["T1"]), file_name="x", file_sha256="s")
    assert result.status == "rejected"
    assert "after the as-at date 2021-01-01" in result.problems[0].message


def test_load_file_reads_parquet_with_typed_columns(mem_con, tmp_path):
    path = tmp_path / "placements.parquet"
    placements(["T1", "T2", "T3"]).write_parquet(path)
    result = load_file(mem_con, "placements", path, as_at=AS_AT)
    assert (result.status, result.rows) == ("loaded", 3)
    assert mem_con.execute("SELECT sum(weekly_cost) FROM placements").fetchall() == [(2163.0,)]
