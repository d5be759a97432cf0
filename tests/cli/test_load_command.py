"""`ascdemand load`: a monthly `--update`, and `--mapping` from a file or a saved name."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ascdemand.cli import main
from ascdemand.store import mapping, state
from ascdemand.store.contract import CARE_PACKAGES

HEADER = (
    "package_id,person_id,service_type,district,client_group,start_date,end_date,"
    "hours_per_week,weekly_cost,provider,source\n"
)
MARCH = (
    "a,LAS1,homecare,Melton,older_adults,2021-01-04,,10,200,,community\n"
    "b,LAS2,homecare,Melton,older_adults,2021-01-04,,10,100,,community\n"
    "c,LAS3,homecare,Melton,older_adults,2021-01-04,,10,300,,community\n"
)
# a as stored, b ended, d new; c not in the file
APRIL = (
    "a,LAS1,homecare,Melton,older_adults,2021-01-04,,10,200,,community\n"
    "b,LAS2,homecare,Melton,older_adults,2021-01-04,2021-06-30,10,100,,community\n"
    "d,LAS4,homecare,Melton,older_adults,2021-04-01,,7,140,,community\n"
)
MAPPING = """\
[columns]
"Client Ref" = "person_id"
"Service" = "service_type"

[values.service_type]
"Dom Care" = "homecare"
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """March's three packages loaded, as at 31 October 2021."""
    path = tmp_path / "store.duckdb"
    march = tmp_path / "march.csv"
    march.write_text(HEADER + MARCH)
    assert (
        main(["--db", str(path), "load", "care_packages", str(march), "--as-at", "2021-10-31"]) == 0
    )
    return path


def _rows(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT package_id, end_date FROM care_packages ORDER BY 1").fetchall()


def _load(db: Path, *args: str) -> int:
    return main(["--db", str(db), "load", "care_packages", *args])


def test_update_adds_new_rows_and_replaces_stored_ones(db, tmp_path, capsys):
    april = tmp_path / "april.csv"
    april.write_text(HEADER + APRIL)
    capsys.readouterr()
    assert _load(db, str(april), "--update") == 0
    assert capsys.readouterr().out == (
        "Updated care_packages from april.csv: 1 new, 1 updated, 1 unchanged.\n"
    )
    assert [r[0] for r in _rows(db)] == ["a", "b", "c", "d"]
    assert _load(db, str(april), "--update") == 0
    assert "skipped, nothing changed" in capsys.readouterr().out


def test_without_update_stored_keys_are_refused_as_before(db, tmp_path, capsys):
    april = tmp_path / "april.csv"
    april.write_text(HEADER + APRIL)
    before = _rows(db)
    assert _load(db, str(april)) == 2
    err = capsys.readouterr().err
    assert "2 problem(s) found" in err and "already stored: package_id 'a'" in err
    assert _rows(db) == before


def test_a_mapping_file_loads_an_export_and_problems_name_its_headers(db, tmp_path, capsys):
    rules = tmp_path / "mosaic.toml"
    rules.write_text(MAPPING)
    export = tmp_path / "mosaic.csv"
    header = HEADER.replace("person_id", "Client Ref").replace("service_type", "Service")
    export.write_text(
        header + "e,LAS5,Dom Care,Melton,older_adults,2021-05-04,,10,200,,community\n"
    )
    assert _load(db, str(export), "--mapping", str(rules)) == 0
    assert capsys.readouterr().out == "Loaded 1 rows from mosaic.csv into care_packages.\n"
    bad = tmp_path / "mosaic_bad.csv"
    bad.write_text(header + "f,LAS6,Meals,Melton,older_adults,2021-05-04,,10,200,,community\n")
    assert _load(db, str(bad), "--mapping", str(rules)) == 2
    assert (
        "mosaic_bad.csv, row 2, column Service: 'Meals' is not allowed" in capsys.readouterr().err
    )


def test_a_bad_mapping_file_is_refused_naming_each_key_and_nothing_changes(db, tmp_path, capsys):
    rules = tmp_path / "mosaic.toml"
    rules.write_text(
        '[columns]\n"Client Ref" = "person_ref"\n"Service" = "service_type"\n'
        '"Type" = "service_type"\n[values.service_type]\n"Dom Care" = "domiciliary"\n'
    )
    april = tmp_path / "april.csv"
    april.write_text(HEADER + APRIL)
    before = db.read_bytes()
    assert _load(db, str(april), "--update", "--mapping", str(rules)) == 2
    err = capsys.readouterr().err
    assert "The column mapping mosaic.toml was not used: 3 problem(s) found." in err
    assert "mosaic.toml: [columns] 'Client Ref': 'person_ref' is not a column" in err
    assert "mosaic.toml: [columns] 'Service', 'Type': all map to service_type" in err
    assert "mosaic.toml: [values.service_type] 'Dom Care': 'domiciliary' is not allowed" in err
    assert db.read_bytes() == before


def test_a_saved_mapping_is_used_by_name(db, tmp_path, capsys):
    with state.transaction(db) as con:
        rules = mapping.parse(MAPPING, CARE_PACKAGES, name="mosaic.toml")
        mapping.save(con, rules, name="Mosaic", saved_by="analyst")
    export = tmp_path / "mosaic.csv"
    header = HEADER.replace("person_id", "Client Ref").replace("service_type", "Service")
    export.write_text(
        header + "b,LAS2,Dom Care,Melton,older_adults,2021-01-04,2021-06-30,10,100,,community\n"
    )
    assert _load(db, str(export), "--mapping", "Mosaic", "--update") == 0
    assert "0 new, 1 updated, 0 unchanged" in capsys.readouterr().out
    assert _load(db, str(export), "--mapping", "Mosiac") == 2
    assert "no mapping file or saved column mapping called 'Mosiac'" in capsys.readouterr().err
