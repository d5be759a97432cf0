"""Pseudonymisation at load: no raw person identifier from an extract reaches the database file."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from ascdemand import cli

HEADER = (
    "package_id,person_id,service_type,district,client_group,start_date,end_date,"
    "hours_per_week,weekly_cost,provider,source"
)


def _extract(path: Path, people: int = 60) -> tuple[list[str], list[str]]:
    """Two packages for each of `people` people; returns (raw person ids, package ids)."""
    persons = [f"LASRAW{n:06d}X" for n in range(people)]
    packages = []
    lines = [HEADER]
    for i, person in enumerate(persons * 2):
        package = f"PKGSEEN{i:06d}Y"
        packages.append(package)
        lines.append(
            f"{package},{person},homecare,Blaby,older_adults,2021-03-01,,10,250,Acme,community"
        )
    path.write_text("\n".join(lines) + "\n")
    return persons, packages


def _database_bytes(db: Path) -> bytes:
    """The database file and anything beside it that DuckDB may have written (WAL)."""
    return b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")) if p.is_file())


def test_no_raw_person_id_appears_in_the_database_file(tmp_path):
    """The package ids of the same rows are found in the bytes (so the search can see stored
    text), while none of the 60 raw person ids is, in any encoding we might store."""
    db = tmp_path / "store.duckdb"
    extract = tmp_path / "packages.csv"
    persons, packages = _extract(extract)
    assert (
        cli.main(["--db", str(db), "load", "care_packages", str(extract), "--as-at", "2021-10-31"])
        == 0
    )
    raw = _database_bytes(db)
    assert any(p.encode() in raw for p in packages), "control: stored text must be findable"
    for person in persons:
        for form in (person.encode(), person.encode("utf-16-le"), person.lower().encode()):
            assert form not in raw, f"raw identifier {person} found in the database file"


def test_pseudonyms_are_keyed_hashes_that_keep_people_linked(tmp_path):
    """Every stored person_id is `p_` + 20 hex digits; two packages of a person share one."""
    db = tmp_path / "store.duckdb"
    extract = tmp_path / "packages.csv"
    persons, _ = _extract(extract, people=10)
    assert cli.main(["--db", str(db), "load", "care_packages", str(extract)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        ids = [r[0] for r in con.execute("SELECT person_id FROM care_packages").fetchall()]
        per_person = con.execute("SELECT count(*) FROM care_packages GROUP BY person_id").fetchall()
    finally:
        con.close()
    assert all(re.fullmatch(r"p_[0-9a-f]{20}", i) for i in ids), ids[:3]
    assert sorted(n for (n,) in per_person) == [2] * len(persons)
