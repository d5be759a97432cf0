"""The Data page's controls for loads that update what is stored and for column mappings:
saving a mapping (checked and audited), choosing it, and ticking the update box."""

from __future__ import annotations

from pathlib import Path

import pytest

from ascdemand.store import audit
from ascdemand.store.writer import transaction
from ascdemand.ui import common
from ascdemand.ui.services import data


@pytest.fixture
def empty_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "data.duckdb"
    with transaction(path) as con:
        con.execute("INSERT INTO settings VALUES ('as_at_date', '2021-10-31')")
    monkeypatch.setenv("ASCDEMAND_DB", str(path))
    return path


def _count() -> int:
    """Rows stored, read as the app reads (a fresh connection in this process would share the
    app reader's database instance, still on the snapshot it opened)."""
    with common.cursor() as cur:
        return cur.execute("SELECT count(*) FROM discharges").fetchall()[0][0]


MOSAIC_TOML = (
    '[columns]\n"Discharge Ref" = "discharge_id"\n[values.outcome]\n"Home care" = "homecare"\n'
)
MOSAIC_CSV = (
    b"Discharge Ref,person_id,discharge_date,district,hospital_trust,pathway,outcome\n"
    b"d1,x1,2021-05-01,Melton,RWE,P1,Home care\n"
)
UPDATED_CSV = (
    b"discharge_id,person_id,discharge_date,district,hospital_trust,pathway,outcome\n"
    b"d1,x1,2021-05-01,Melton,RWE,P1,reablement\n"
    b"d3,x3,2021-05-04,Melton,RWE,P0,no_ongoing_package\n"
)


@pytest.fixture
def data_page(open_app, empty_db):
    """`data_page()`: the Data page of the app on the empty database."""
    return lambda: open_app("data", db=empty_db, timeout=60)


def test_a_mapping_is_checked_saved_audited_and_offered_for_the_next_upload(data_page, empty_db):
    at = data_page()
    assert at.checkbox(key="upload_update").label == (
        "The file updates what is stored (new rows added, stored rows replaced)"
    )
    assert at.selectbox(key="upload_mapping").options == [
        "None: the file uses the contract's column names"
    ]
    at.selectbox(key="upload_table").set_value("discharges").run()
    at.text_area(key="mapping_text").input(MOSAIC_TOML)
    at.text_input(key="mapping_name").input("Mosaic").run()
    at.button(key="mapping_save").click().run()
    assert not at.exception
    assert "Saved the mapping Mosaic for discharges" in at.success[0].value
    assert at.selectbox(key="upload_mapping").options[1:] == ["Mosaic"]
    assert audit.trail(empty_db)["action"].to_list() == ["save mapping"]


def test_a_bad_mapping_is_listed_by_key_and_not_saved(data_page, empty_db):
    at = data_page()
    at.text_area(key="mapping_text").input('[columns]\n"Service" = "service_typ"\n')
    at.text_input(key="mapping_name").input("Broken").run()
    at.button(key="mapping_save").click().run()
    assert at.warning[0].value.startswith("Not saved: the mapping has 1 problem(s).")
    problems = at.dataframe[-1].value
    assert problems["problem"][0].startswith("[columns] 'Service': 'service_typ' is not a column")
    assert at.selectbox(key="upload_mapping").options[1:] == []


def test_upload_through_a_saved_mapping_then_an_update(empty_db):
    """What the page's load button does with the mapping chosen and the update box ticked."""
    data.save_mapping("Mosaic", "discharges", MOSAIC_TOML, "mosaic.toml")
    first = data.upload("discharges", "mosaic.csv", MOSAIC_CSV, None, mapping="Mosaic")
    assert (first.status, first.inserted) == ("loaded", 1)
    refused = data.upload("discharges", "update.csv", UPDATED_CSV, None)
    assert refused.status == "rejected"
    updated = data.upload("discharges", "update.csv", UPDATED_CSV, None, update=True)
    assert (updated.inserted, updated.updated, updated.unchanged) == (1, 1, 0)
    assert _count() == 2
