"""Column mappings: a Mosaic-style export loads through one; problems with the mapping name
its key, problems with the file name the file's own headers; saved mappings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from ascdemand.store import mapping, state, writer
from ascdemand.store.contract import CARE_PACKAGES, DISCHARGES
from ascdemand.store.load import load_file, load_path
from ascdemand.store.mapping import MappingError, parse

AS_AT = dt.date(2021, 10, 31)

MOSAIC = """\
[columns]
"Client Ref" = "person_id"
"Service" = "service_type"
"Package No" = "package_id"
"Client Group" = "client_group"
"Start" = "start_date"
"End" = "end_date"
"Hours" = "hours_per_week"
"Weekly Cost" = "weekly_cost"
"Referral Source" = "source"

[values.service_type]
"Dom Care" = "homecare"
"Reablement (HART)" = "reablement"

[values.source]
"Hospital" = "hospital_discharge"
"""
HEADER = (
    "Package No,Client Ref,Service,District,Client Group,Start,End,Hours,Weekly Cost,"
    "Referral Source,Provider\n"
)


def _csv(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_text(header + "".join(f"{r}\n" for r in rows))
    return path


def test_a_mapped_export_loads_with_names_and_values_matched_ignoring_case_and_spaces(
    mem_con, tmp_path
):
    """Headers 'client  ref' and 'SERVICE', codes 'dom care' and 'REABLEMENT (hart)' match the
    mapping; 'Supported Living' is already a contract value and passes through."""
    header = HEADER.replace("Client Ref,Service", "client  ref,SERVICE")
    export = _csv(
        tmp_path / "mosaic.csv",
        "M1,C01,dom care,Melton,older_adults,2021-01-04,,10,200,community,",
        "M2,C02,REABLEMENT (hart),Melton,older_adults,2021-02-01,2021-03-01,,300,Hospital,",
        "M3,C03,Supported Living,Melton,learning_disability,2021-03-01,,,900,community,",
        header=header,
    )
    rules = parse(MOSAIC, CARE_PACKAGES, name="mosaic.toml")
    result = load_file(mem_con, "care_packages", export, as_at=AS_AT, mapping=rules)
    assert (result.status, result.rows) == ("loaded", 3), result.problems
    stored = mem_con.execute(
        "SELECT package_id, service_type, source, end_date FROM care_packages ORDER BY 1"
    ).fetchall()
    assert stored == [
        ("M1", "homecare", "community", None),
        ("M2", "reablement", "hospital_discharge", dt.date(2021, 3, 1)),
        ("M3", "supported_living", "community", None),
    ]


def test_problems_in_the_export_name_its_own_column_headers(mem_con, tmp_path):
    export = _csv(
        tmp_path / "mosaic.csv",
        "M1,,Dom Care,Melton,older_adults,2021-01-04,,10,200,community,",
        "M2,C02,Meals,Melton,older_adults,2021-02-01,,,300,community,",
    )
    rules = parse(MOSAIC, CARE_PACKAGES, name="mosaic.toml")
    result = load_file(mem_con, "care_packages", export, as_at=AS_AT, mapping=rules)
    assert result.status == "rejected"
    found = {(p.row, p.column) for p in result.problems}
    assert found == {(2, "Client Ref"), (3, "Service")}
    assert "Meals" in next(p.message for p in result.problems if p.column == "Service")
    assert "mosaic.csv, row 2, column Client Ref: blank" in str(result.problems[0])


def test_a_mapped_column_the_file_lacks_is_named_as_the_mapping_expects(mem_con, tmp_path):
    export = _csv(
        tmp_path / "mosaic.csv",
        "M1,Dom Care,Melton,older_adults,2021-01-04,,10,200,community,",
        header=HEADER.replace("Client Ref,", ""),
    )
    rules = parse(MOSAIC, CARE_PACKAGES, name="mosaic.toml")
    result = load_file(mem_con, "care_packages", export, as_at=AS_AT, mapping=rules)
    (problem,) = result.problems
    assert problem.column == "Client Ref"
    assert problem.message == (
        "required column person_id is missing: the mapping takes it from column Client Ref, "
        "which the file does not have"
    )


def test_a_column_already_named_like_a_mapped_target_is_set_aside(mem_con, tmp_path):
    """The mapping says service_type comes from Service; the file's own service_type column
    (an internal code) is ignored with a note."""
    export = _csv(
        tmp_path / "mosaic.csv",
        "M1,C01,Dom Care,Melton,older_adults,2021-01-04,,10,200,community,,HC01",
        header=HEADER.rstrip("\n") + ",Service_Type\n",
    )
    rules = parse(MOSAIC, CARE_PACKAGES, name="mosaic.toml")
    result = load_file(mem_con, "care_packages", export, as_at=AS_AT, mapping=rules)
    assert result.status == "loaded", result.problems
    assert any(
        n.column == "Service_Type" and "takes service_type from column Service" in n.message
        for n in result.notes
    )


def test_a_mapped_workbook_is_found_by_its_own_headers(mem_con, tmp_path):
    """A sheet with a title row and few contract-named headers is still recognised."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mosaic discharges report"])
    sheet.append(["Ref", "Client Ref", "Date", "Area", "Trust", "Route", "Result"])
    sheet.append(["D1", "C01", "2021-05-01", "Melton", "RWE", "P1", "Home care"])
    book.save(tmp_path / "discharges.xlsx")
    rules = parse(
        '[columns]\nRef = "discharge_id"\n"Client Ref" = "person_id"\nDate = "discharge_date"\n'
        'Area = "district"\nTrust = "hospital_trust"\nRoute = "pathway"\nResult = "outcome"\n'
        '[values.outcome]\n"Home care" = "homecare"\n',
        DISCHARGES,
        name="mosaic_discharges.toml",
    )
    result = load_file(
        mem_con, "discharges", tmp_path / "discharges.xlsx", as_at=AS_AT, mapping=rules
    )
    assert result.status == "loaded", result.problems
    assert mem_con.execute("SELECT outcome FROM discharges").fetchall() == [("homecare",)]


@pytest.mark.parametrize(
    ("toml", "key", "words"),
    [
        ('[columns]\n"Service" = "service_typ"\n', "[columns] 'Service'", "not a column of"),
        (
            '[columns]\n"Service" = "service_type"\n"Service Type" = "service_type"\n',
            "[columns] 'Service', 'Service Type'",
            "all map to service_type",
        ),
        (
            '[columns]\n"Client Ref" = "person_id"\n"client ref" = "district"\n',
            "[columns] 'client ref'",
            "the same column as 'Client Ref'",
        ),
        (
            '[values.service_type]\n"Dom Care" = "home_care_plus"\n',
            "[values.service_type] 'Dom Care'",
            "is not allowed for service_type",
        ),
        (
            '[values.service_type]\n"Dom Care" = ""\n',
            "[values.service_type] 'Dom Care'",
            "blank is not allowed",
        ),
        ('[values.services]\n"Dom Care" = "homecare"\n', "[values.services]", "not a column of"),
        ('[values.end_date]\n"Open" = "31/12/2021"\n', "[values.end_date] 'Open'", "not a date"),
        ('[colums]\n"Service" = "service_type"\n', "[colums]", "unknown section"),
        ('[columns]\n"Service" = 3\n', "[columns] 'Service'", "must be text in quotes"),
        ('[columns]\n"Service" = "service_type\n', "", "not a valid TOML file"),
    ],
    ids=[
        "unknown column",
        "target twice",
        "source twice",
        "value not allowed",
        "blank required value",
        "values of an unknown column",
        "not a date",
        "unknown section",
        "not text",
        "bad TOML",
    ],
)
def test_each_mapping_problem_names_its_key(toml, key, words):
    with pytest.raises(MappingError) as caught:
        parse(toml, CARE_PACKAGES, name="mosaic.toml")
    (problem,) = caught.value.problems
    assert problem.file == "mosaic.toml"
    assert problem.message.startswith(key) and words in problem.message, problem.message


def test_every_mapping_problem_is_listed():
    toml = '[columns]\nA = "nope"\nB = "also_nope"\n[values.service_type]\nX = "bad"\n'
    with pytest.raises(MappingError) as caught:
        parse(toml, CARE_PACKAGES, name="m.toml")
    assert len(caught.value.problems) == 3
    assert "3 problem(s)" in str(caught.value) and "Nothing was changed" in str(caught.value)


def test_contract_values_and_columns_are_taken_in_the_contracts_spelling():
    rules = parse(
        '[columns]\n"Type" = "Service Type"\n[values.service_type]\n"SL" = "Supported Living"\n',
        CARE_PACKAGES,
        name="m.toml",
    )
    assert rules.columns == {"Type": "service_type"}
    assert rules.values == {"service_type": {"SL": "supported_living"}}


def test_a_blank_target_blanks_an_optional_value(mem_con, tmp_path):
    export = _csv(
        tmp_path / "mosaic.csv",
        "M1,C01,Dom Care,Melton,older_adults,2021-01-04,Ongoing,10,200,community,",
    )
    rules = parse(MOSAIC + '[values.end_date]\n"Ongoing" = ""\n', CARE_PACKAGES, name="m.toml")
    result = load_file(mem_con, "care_packages", export, as_at=AS_AT, mapping=rules)
    assert result.status == "loaded", result.problems
    assert mem_con.execute("SELECT end_date FROM care_packages").fetchall() == [(None,)]


def test_saved_mappings_are_kept_audited_and_found_by_name(tmp_path):
    db = tmp_path / "store.duckdb"
    rules = parse(MOSAIC, CARE_PACKAGES, name="mosaic.toml")
    with writer.transaction(db):  # an extracts database; the mappings go beside it
        pass
    extracts = db.read_bytes()
    with state.transaction(db) as con:
        mapping.save(con, rules, name="Mosaic", saved_by="analyst")
    with state.transaction(db) as con:
        mapping.save(con, rules, name="Mosaic", saved_by="analyst")
        assert mapping.saved_names(con, "care_packages") == ["Mosaic"]
        assert mapping.saved_names(con, "discharges") == []
        audit = con.execute("SELECT user_name, action, detail FROM audit_log ORDER BY logged_at")
        assert [row[2] for row in audit.fetchall()] == [
            "Column mapping 'Mosaic' for care_packages saved (from mosaic.toml).",
            "Column mapping 'Mosaic' for care_packages replaced (from mosaic.toml).",
        ]
    assert db.read_bytes() == extracts
    found = mapping.resolve(db, "Mosaic", CARE_PACKAGES)
    assert (found.name, found.columns) == ("Mosaic", rules.columns)
    with pytest.raises(MappingError) as other_table:
        mapping.resolve(db, "Mosaic", DISCHARGES)
    assert "saved for care_packages, not discharges" in other_table.value.problems[0].message
    with pytest.raises(MappingError) as unknown:
        mapping.resolve(db, "LAS", CARE_PACKAGES)
    assert (
        "no mapping file or saved column mapping called 'LAS'" in unknown.value.problems[0].message
    )


def test_a_mapped_monthly_update(tmp_path):
    """The same export format month on month: April ends M1 and adds M2."""
    db = tmp_path / "store.duckdb"
    rules = parse(MOSAIC, CARE_PACKAGES, name="mosaic.toml")
    march = _csv(
        tmp_path / "march.csv", "M1,C01,Dom Care,Melton,older_adults,2021-01-04,,10,200,community,"
    )
    april = _csv(
        tmp_path / "april.csv",
        "M1,C01,Dom Care,Melton,older_adults,2021-01-04,2021-04-09,10,200,community,",
        "M2,C02,Dom Care,Melton,older_adults,2021-04-12,,5,100,community,",
    )
    assert load_path(db, "care_packages", march, as_at=AS_AT, mapping=rules).inserted == 1
    result = load_path(db, "care_packages", april, update=True, mapping=rules)
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 0)
