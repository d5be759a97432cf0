"""Pseudonym linkage never splits silently: a database remembers its key's fingerprint and
refuses a load under another key unless a new key is started on purpose (issue 18, item 3)."""

from __future__ import annotations

import duckdb

from ascdemand.cli import main
from ascdemand.store.pseudonymise import FINGERPRINT_SETTING, key_fingerprint

PEOPLE = (
    "discharge_id,person_id,discharge_date,district,hospital_trust,pathway,outcome\n"
    + "".join(f"D{i},LAS{i},2021-03-01,Melton,RWE,P1,homecare\n" for i in range(10))
)


def _load(db, path, monkeypatch, key_file, *extra) -> int:
    monkeypatch.setenv("ASCDEMAND_KEY_FILE", str(key_file))
    return main(["--db", str(db), "load", "discharges", str(path), "--update", *extra])


def test_a_lost_key_is_refused_then_a_new_key_is_an_audited_choice(tmp_path, monkeypatch, capsys):
    """Ten people under key A; the key file is lost (key B): refused, nothing changes. With
    --new-key the load goes ahead, the new fingerprint is stored and the act audited."""
    db = tmp_path / "k.duckdb"
    extract = tmp_path / "d.csv"
    extract.write_text(PEOPLE)
    assert _load(db, extract, monkeypatch, tmp_path / "a.key") == 0
    key_a = (tmp_path / "a.key").read_bytes().strip()
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute(
            "SELECT value FROM settings WHERE key = ?", [FINGERPRINT_SETTING]
        ).fetchall()
    assert stored == [(key_fingerprint(key_a),)]
    raw = db.read_bytes()
    assert key_a not in raw, "the key itself is never stored"

    extract.write_text(PEOPLE.replace("2021-03-01", "2021-03-02").replace("\nD", "\nE"))
    before = raw
    assert _load(db, extract, monkeypatch, tmp_path / "b.key") == 1
    err = capsys.readouterr().err
    assert "is not the key this database's people were pseudonymised with" in err
    assert "--new-key" in err
    assert db.read_bytes() == before

    assert _load(db, extract, monkeypatch, tmp_path / "b.key", "--new-key") == 0
    with duckdb.connect(str(db), read_only=True) as con:
        people = con.execute("SELECT count(DISTINCT person_id) FROM discharges").fetchall()[0][0]
        audit = con.execute(
            "SELECT action FROM audit_log WHERE action = 'pseudonym_key_new'"
        ).fetchall()
    assert audit == [("pseudonym_key_new",)]
    assert people == 20, "the chosen new key gives new pseudonyms, as the message warned"


def test_the_same_key_loads_again_and_people_link(tmp_path, monkeypatch):
    db = tmp_path / "k.duckdb"
    extract = tmp_path / "d.csv"
    extract.write_text(PEOPLE)
    assert _load(db, extract, monkeypatch, tmp_path / "a.key") == 0
    extract.write_text(PEOPLE.replace("2021-03-01", "2021-03-02"))
    assert _load(db, extract, monkeypatch, tmp_path / "a.key") == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT person_id) FROM discharges").fetchall() == [(10,)]


def test_a_cld_import_under_another_key_is_refused_too(tmp_path, monkeypatch, capsys):
    """The CLD route pseudonymises as it reads the files; its import still checks the key
    against the database's fingerprint before writing, and --new-key works the same way."""
    from tests.cld.conftest import PROFILE, Q1, Q2

    db = tmp_path / "cld.duckdb"
    monkeypatch.setenv("ASCDEMAND_KEY_FILE", str(tmp_path / "a.key"))
    assert main(["--db", str(db), "profile", "load", str(PROFILE)]) == 0
    assert main(["--db", str(db), "import-cld", str(Q1)]) == 0
    before = db.read_bytes()
    monkeypatch.setenv("ASCDEMAND_KEY_FILE", str(tmp_path / "b.key"))
    capsys.readouterr()
    assert main(["--db", str(db), "import-cld", str(Q2)]) == 1
    assert "is not the key this database's people were pseudonymised with" in (
        capsys.readouterr().err
    )
    assert db.read_bytes() == before
    assert main(["--db", str(db), "import-cld", str(Q2), "--new-key"]) == 0
