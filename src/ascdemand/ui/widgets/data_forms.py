"""The Data page's upload forms: an extract (with a column mapping and as a monthly update),
a column mapping to save, NHS sitrep workbooks, CLD returns, and the as-at date. Each says in
plain words what happened; a refused file changes nothing."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ascdemand.models.load_report import cld_counts, problems_frame
from ascdemand.store.contract import EXTRACT_TABLES
from ascdemand.store.ingest import ALLOWED_SUFFIXES, CSV_SUFFIXES, DEFAULT_MAX_BYTES, EXCEL_SUFFIXES
from ascdemand.store.load import LoadResult
from ascdemand.store.mapping import MappingError
from ascdemand.store.pseudonymise import PseudonymKeyError
from ascdemand.store.sitrep.workbook import SitrepError
from ascdemand.store.writer import DatabaseBusy
from ascdemand.ui.services import data

NO_MAPPING = "None: the file uses the contract's column names"
MAPPING_EXAMPLE = (
    '[columns]\n"Client Ref" = "person_id"\n"Service" = "service_type"\n\n'
    '[values.service_type]\n"Dom Care" = "homecare"\n"Reablement (HART)" = "reablement"'
)


def mapping_form(table: str) -> None:
    """Check a column mapping (uploaded or pasted) against `table` and save it under a name."""
    with st.expander("Save a column mapping, for exports with other column names or codes"):
        st.caption(
            "A mapping lets an export from Mosaic, LAS or ContrOCC load as it is: a TOML file "
            f"whose [columns] section names the {table} column each of its columns holds, and "
            "whose [values.COLUMN] sections name the contract value each of its codes means. "
            "Names and codes match ignoring case and spaces. It is saved for the table chosen "
            "above."
        )
        st.code(MAPPING_EXAMPLE, language="toml")
        mapping_file = st.file_uploader("Mapping file (.toml)", type=["toml"], key="mapping_file")
        mapping_text = st.text_area("...or paste the mapping here", key="mapping_text", height=150)
        mapping_name = st.text_input("Save it as", key="mapping_name", placeholder="e.g. Mosaic")
        if not st.button("Check and save the mapping", key="mapping_save"):
            return
        source = mapping_file.name if mapping_file else "the pasted mapping"
        try:
            text = mapping_file.getvalue().decode("utf-8-sig") if mapping_file else mapping_text
            if not (text.strip() and mapping_name.strip()):
                st.warning("Give a mapping, and a name to save it under.")
                return
            data.save_mapping(mapping_name.strip(), table, text, source)
        except UnicodeDecodeError:
            st.warning(f"{source} is not a text file in UTF-8; nothing was saved.")
        except MappingError as err:
            st.warning(
                f"Not saved: the mapping has {len(err.problems)} problem(s). Fix them and save it "
                "again.",
                icon=":material/report:",
            )
            st.dataframe(problems_frame(err.problems), hide_index=True)
        except DatabaseBusy as busy:
            st.warning(str(busy), icon=":material/hourglass:")
        else:
            st.success(
                f"Saved the mapping {mapping_name.strip()} for {table}: choose it under "
                "Column mapping when you load a file.",
                icon=":material/check_circle:",
            )


def extract_upload() -> None:
    """Choose the table, mapping and update mode, then check and load one extract."""
    st.subheader("Load an extract")
    left, right = st.columns([2, 1])
    table = left.selectbox(
        "What the file holds",
        list(EXTRACT_TABLES),
        format_func=lambda name: f"{name}: {EXTRACT_TABLES[name].description}",
        key="upload_table",
    )
    set_as_at = right.checkbox("Also set the as-at date", key="upload_set_as_at")
    as_at = right.date_input(
        "As-at date of the extract", key="upload_as_at", disabled=not set_as_at
    )
    mapping_form(table)
    mapping = st.selectbox(
        "Column mapping",
        [NO_MAPPING, *data.saved_mappings(table)],
        key="upload_mapping",
        help="A mapping saved above, for an export whose columns or codes are named differently.",
    )
    update = st.checkbox(
        "The file updates what is stored (new rows added, stored rows replaced)",
        key="upload_update",
        help="For a monthly refresh: rows whose key is stored already replace the stored row "
        "(each changed value is kept in the load_changes table), new rows are added, and stored "
        "rows the file does not hold are kept. Without it, a row whose key is stored is refused.",
    )
    uploaded = st.file_uploader(
        f"Extract file ({', '.join(ALLOWED_SUFFIXES)}; up to {DEFAULT_MAX_BYTES // 2**20} MB)",
        type=[s.lstrip(".") for s in ALLOWED_SUFFIXES],
        key="upload_file",
    )
    if uploaded is None or not st.button("Check and load", type="primary", key="upload_go"):
        return
    with st.status(f"Checking {uploaded.name}...", expanded=True) as status:
        try:
            result = data.upload(
                table,
                uploaded.name,
                uploaded.getvalue(),
                as_at if set_as_at else None,
                update=update,
                mapping=None if mapping == NO_MAPPING else mapping,
            )
        except DatabaseBusy as busy:
            status.update(label="Database busy", state="error")
            st.warning(str(busy), icon=":material/hourglass:")
        except PseudonymKeyError as err:
            status.update(label="Not loaded: the pseudonymisation key", state="error")
            st.warning(str(err), icon=":material/key:")
        except MappingError as err:
            status.update(label="Not loaded: the mapping has problems", state="error")
            st.warning(str(err), icon=":material/report:")
            st.dataframe(problems_frame(err.problems), hide_index=True)
        else:
            _report_load(result, status, update=update)


def _report_load(result: LoadResult, status, *, update: bool) -> None:
    if result.status == "loaded":
        done = (
            f"{result.inserted:,} new, {result.updated:,} updated rows"
            if update
            else f"Loaded {result.rows:,} rows"
        )
        status.update(label=done, state="complete")
        st.success(result.message, icon=":material/check_circle:")
    elif result.status == "skipped":
        status.update(label="Already loaded", state="complete")
        st.info(result.message, icon=":material/content_copy:")
    else:
        status.update(label="Not loaded: the file has problems", state="error")
        st.warning(
            f"{result.message} Nothing was written. Fix the file and load it again.",
            icon=":material/report:",
        )
        st.dataframe(problems_frame(result.problems), hide_index=True)
    for note in result.notes:
        st.caption(f"Note: {note.message}")


def sitrep_import() -> None:
    """Import NHS England's monthly discharge sitrep workbooks, all or none."""
    st.subheader("Import NHS England discharge sitreps")
    st.caption(
        "The monthly Acute Discharge Situation Report workbooks (.xlsx) from NHS England's "
        "statistics pages. Importing a month again replaces it."
    )
    workbooks = st.file_uploader(
        "Sitrep workbooks", type=["xlsx"], accept_multiple_files=True, key="sitrep_files"
    )
    if not workbooks or not st.button("Import workbooks", key="sitrep_go"):
        return
    with st.spinner(f"Reading {len(workbooks)} workbook(s)..."):
        try:
            editions = data.import_sitreps([(f.name, f.getvalue()) for f in workbooks])
        except SitrepError as err:
            st.warning(f"Not imported, nothing was written: {err}", icon=":material/report:")
        except DatabaseBusy as busy:
            st.warning(str(busy), icon=":material/hourglass:")
        else:
            st.success(
                "Imported " + ", ".join(f"{e.month:%B %Y}" for e in editions) + ".",
                icon=":material/check_circle:",
            )


def cld_import() -> None:
    """Import the national CLD returns, several quarters at once."""
    st.subheader("Import Client Level Data (CLD) returns")
    st.caption(
        "The quarterly Adult Social Care Client Level Data return your council submits to NHS "
        "England (CSV or Excel; several quarters at once). Service users' services become care "
        "packages and placements, requests from hospital discharges; a service in several "
        "quarters is kept once, with the latest quarter's values. Names, NHS numbers, dates of "
        "birth and postcodes are never stored. Needs the council profile (above) for districts "
        "and the trust."
    )
    returns = st.file_uploader(
        "CLD returns",
        type=[s.lstrip(".") for s in CSV_SUFFIXES + EXCEL_SUFFIXES],
        accept_multiple_files=True,
        key="cld_files",
    )
    skip_invalid = st.checkbox(
        "Import the valid rows and list the others",
        key="cld_skip_invalid",
        help="Without it, any problem rejects the whole import and nothing changes.",
    )
    if not returns or not st.button("Import returns", key="cld_go"):
        return
    with st.spinner(f"Reading {len(returns)} return(s)..."):
        try:
            imported = data.import_cld_returns(
                [(f.name, f.getvalue()) for f in returns], skip_invalid
            )
        except DatabaseBusy as busy:
            st.warning(str(busy), icon=":material/hourglass:")
            return
        except PseudonymKeyError as err:
            st.warning(str(err), icon=":material/key:")
            return
    if imported.status == "imported":
        st.success(imported.message, icon=":material/check_circle:")
    elif imported.status == "skipped":
        st.info(imported.message, icon=":material/content_copy:")
    else:
        st.warning(imported.message, icon=":material/report:")
    if imported.tables or imported.rows_read:
        st.dataframe(cld_counts(imported), hide_index=True)
    if imported.problems:
        st.dataframe(problems_frame(imported.problems), hide_index=True)
    for note in imported.notes:
        st.caption(f"Note: {note}")


def as_at_form(current: dt.date) -> None:
    """Change the database's as-at date (audited)."""
    with st.expander("Change the as-at date"):
        new_as_at = st.date_input("Data as at", value=current, key="set_as_at")
        if st.button("Save as-at date", key="save_as_at"):
            try:
                data.set_as_at(new_as_at)
            except DatabaseBusy as busy:
                st.warning(str(busy))
            else:
                st.success(f"As-at date set to {new_as_at:%d %B %Y}.")
