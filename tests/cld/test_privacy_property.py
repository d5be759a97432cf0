"""No raw identifier from a CLD file ever reaches the database file: whatever names, NHS
numbers, LA person identifiers, postcodes and dates of birth the file holds, none of them is
in the bytes of the database (or anything DuckDB wrote beside it) after the import."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ascdemand.cli import main
from ascdemand.store.cld.headers import HEADERS
from tests.cld.conftest import PROFILE

IDENTIFYING = ("First Name", "Last Name", "GP Practice Name", "GP Practice Code")
COLUMNS = (*HEADERS.values(), *IDENTIFYING)
# Outward codes and sectors of Riverside's districts (tests/data/cld/riverside.toml).
PREFIXES = ("RV1 ", "RV2 ", "RV3 ", "RV4 1", "RV4 2", "RV4 3", "RV5 ")


def _nhs_number(nine: str) -> str | None:
    """Nine digits and their modulus-11 check digit (None where it would be 10)."""
    check = (11 - sum(int(d) * (10 - i) for i, d in enumerate(nine)) % 11) % 11
    return None if check == 10 else nine + str(check)


@st.composite
def people(draw: st.DrawFn) -> dict[str, str]:
    """One invented person: names, keyed by an LA identifier or (half the time) only by a
    valid NHS number (in the 999 range kept for testing), a postcode in one of the districts
    and a date of birth. Names start "Zq", so no word the database holds anyway (a column
    name, a view's SQL) can pass for one."""
    letters = st.text("abcdefghijklmnopqrstuvwxyz", min_size=6, max_size=10).map("Zq{}".format)
    nhs = draw(
        st.text("0123456789", min_size=6, max_size=6)
        .map("999{}".format)
        .map(_nhs_number)
        .filter(bool)
    )
    prefix = draw(st.sampled_from(PREFIXES))
    inward = draw(st.text("ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2))
    digit = "" if prefix[-1].isdigit() else draw(st.sampled_from("0123456789"))
    born = draw(st.dates(dt.date(1920, 1, 1), dt.date(1960, 12, 31)))
    return {
        "First Name": draw(letters),
        "Last Name": draw(letters),
        "GP Practice Name": draw(letters) + " Surgery",
        "GP Practice Code": "Y" + draw(st.text("0123456789", min_size=5, max_size=5)),
        "NHS Number": nhs,
        "LA Person Unique Identifier": draw(
            st.one_of(st.just(""), st.text("0123456789", min_size=8, max_size=8).map("LA{}".format))
        ),
        "Postcode": f"{prefix}{digit}{inward}",
        "Date of Birth": born.strftime(draw(st.sampled_from(["%Y-%m-%d", "%d/%m/%Y"]))),
    }


def _cld_file(persons: list[dict[str, str]], path: Path) -> list[str]:
    """A Q1 2023 CLD file: each person discharged from hospital, then given homecare. Returns
    the event references (stored as ids, so they must be findable in the database)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    refs = []
    for n, person in enumerate(persons):
        common = {
            **person,
            "Reporting Period End Date": "2023-06-30",
            "Client Type": "Service User",
            "Primary Support Reason": "Physical Support: Personal Care Support",
        }
        request, service = f"EVREQ{n:06d}", f"EVSVC{n:06d}"
        refs += [request, service]
        writer.writerow(
            common
            | {
                "Event Type": "Request",
                "Event Reference": request,
                "Event Start Date": "2023-05-02",
                "Request: Route of Access": "Discharge from Hospital",
            }
        )
        writer.writerow(
            common
            | {
                "Event Type": "Service",
                "Event Reference": service,
                "Event Start Date": "2023-05-03",
                "Service Type": "Long Term Support: Community",
                "Service Component": "Home Support",
                "Unit Cost": "22.50",
                "Cost Frequency (Unit Type)": "Hourly",
                "Planned units per week": "10",
            }
        )
    path.write_text(buffer.getvalue())
    return refs


def _raw_forms(person: dict[str, str]) -> set[str]:
    """Every identifier of a person in the forms a file or a careless store might hold."""
    forms = {person[c] for c in (*IDENTIFYING, "NHS Number", "Date of Birth")}
    nhs = person["NHS Number"]
    forms |= {f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}", person["Postcode"]}
    forms.add(person["Postcode"].replace(" ", ""))
    if person["LA Person Unique Identifier"]:
        forms.add(person["LA Person Unique Identifier"])
    return forms


@pytest.fixture(scope="module")
def profile_only(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a database holding only the Riverside profile, stored once."""
    db = tmp_path_factory.mktemp("cld_privacy") / "profile.duckdb"
    assert main(["--db", str(db), "profile", "load", str(PROFILE)]) == 0
    return db.read_bytes()


@pytest.mark.slow  # several seconds
@settings(max_examples=12, deadline=None)
@given(persons=st.lists(people(), min_size=1, max_size=6))
def test_no_raw_cld_identifier_reaches_the_database_file(profile_only, persons):
    with tempfile.TemporaryDirectory(prefix="cld-privacy-") as folder:
        db, cld = Path(folder) / "store.duckdb", Path(folder) / "cld.csv"
        db.write_bytes(profile_only)
        refs = _cld_file(persons, cld)
        assert main(["--db", str(db), "import-cld", str(cld)]) == 0
        raw = b"".join(p.read_bytes() for p in sorted(Path(folder).glob("store.duckdb*")))
    assert any(r.encode() in raw for r in refs), "control: stored text must be findable"
    for person in persons:
        for form in _raw_forms(person):
            for encoded in (form.encode(), form.encode("utf-16-le"), form.lower().encode()):
                assert encoded not in raw, f"raw identifier {form!r} found in the database file"
