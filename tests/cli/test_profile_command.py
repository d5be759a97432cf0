"""`ascdemand profile load/show`, and what a stored profile changes for later loads."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from ascdemand.cli import main

PROFILE = """
[council]
name = "Riverside County Council"
short_name = "Riverside"
ons_code = "E10000099"
icb = "QJ2"
trusts = ["RTG"]
resident_share = 0.8

[[districts]]
name = "Upton"
postcode_prefixes = ["RV1"]

[[districts]]
name = "Downley"
postcode_prefixes = ["RV2", "RV3 4"]
"""
DISCHARGES = (
    "discharge_id,person_id,discharge_date,district,hospital_trust,pathway,outcome\n"
    "D1,P1,2021-03-01,upton,RTG,P1,homecare\n"
    "D2,P2,2021-03-02,Downly,RTG,P0,no_ongoing_package\n"
)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def test_load_then_show_as_text_and_json(tmp_path, capsys):
    db = tmp_path / "r.duckdb"
    profile = _write(tmp_path, "riverside.toml", PROFILE)
    assert main(["--db", str(db), "profile", "load", str(profile)]) == 0
    assert "Riverside County Council: 2 districts" in capsys.readouterr().out
    assert main(["--db", str(db), "profile", "show"]) == 0
    text = capsys.readouterr().out
    assert "Downley (no ONS code): RV2, RV3 4" in text
    assert main(["--db", str(db), "profile", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["icb"] == "QJ2" and shown["trusts"] == ["RTG"]
    assert [d["name"] for d in shown["districts"]] == ["Upton", "Downley"]


def test_a_bad_profile_exits_2_naming_each_key_and_changes_nothing(tmp_path, capsys):
    db = tmp_path / "r.duckdb"
    first = _write(tmp_path, "a.toml", PROFILE)
    assert main(["--db", str(db), "profile", "load", str(first)]) == 0
    bad = PROFILE.replace('icb = "QJ2"', 'icb = "XX"').replace('["RV1"]', '["RV1 ZZ"]')
    before = db.read_bytes()
    assert main(["--db", str(db), "profile", "load", str(_write(tmp_path, "b.toml", bad))]) == 2
    err = capsys.readouterr().err
    assert "council.icb: 'XX' is not a code like 'QJ2'" in err
    assert "districts[0].postcode_prefixes[0]" in err
    assert "Nothing was changed." in err
    assert db.read_bytes() == before


def test_show_without_a_profile_says_how_to_load_one(tmp_path, capsys):
    db = tmp_path / "r.duckdb"
    db_con = duckdb.connect(str(db))
    db_con.close()
    assert main(["--db", str(db), "profile", "show"]) == 2
    assert "profile load" in capsys.readouterr().err


def test_loads_check_districts_against_the_stored_profile(tmp_path, capsys):
    """'Downly' is refused with a suggestion; 'upton' would be stored as 'Upton'."""
    db = tmp_path / "r.duckdb"
    main(["--db", str(db), "profile", "load", str(_write(tmp_path, "p.toml", PROFILE))])
    capsys.readouterr()
    extract = _write(tmp_path, "discharges.csv", DISCHARGES)
    assert main(["--db", str(db), "load", "discharges", str(extract)]) == 2
    err = capsys.readouterr().err
    assert "discharges.csv, row 3, column district: 'Downly' is not one of the council's " in err
    assert "did you mean Downley?" in err
    extract.write_text(DISCHARGES.replace("Downly", "downley"))
    assert main(["--db", str(db), "load", "discharges", str(extract)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT district FROM discharges ORDER BY 1").fetchall()
    assert stored == [("Downley",), ("Upton",)]


def test_a_profile_that_drops_a_district_in_use_is_refused(tmp_path, capsys):
    db = tmp_path / "r.duckdb"
    main(["--db", str(db), "profile", "load", str(_write(tmp_path, "p.toml", PROFILE))])
    extract = _write(tmp_path, "d.csv", DISCHARGES.replace("Downly", "Downley"))
    assert main(["--db", str(db), "load", "discharges", str(extract)]) == 0
    capsys.readouterr()
    fewer = PROFILE.split('[[districts]]\nname = "Downley"')[0]
    assert main(["--db", str(db), "profile", "load", str(_write(tmp_path, "q.toml", fewer))]) == 2
    assert "district 'Downley', which this profile does not list" in capsys.readouterr().err
