"""Download buttons for tables: CSV and Excel, formulas neutralised, each export audited."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ascdemand import exports
from ascdemand.ui.services.audit import record_export


def download_buttons(
    frame: pl.DataFrame,
    name: str,
    *,
    public: bool = False,
    money_columns: tuple[str, ...] = (),
    key: str | None = None,
) -> None:
    """CSV and XLSX download buttons for a table, with spreadsheet formulas neutralised.

    Public exports go through small-number suppression first. The files are made when a
    button is clicked, not on every run of the page; the click is audited.
    """
    if public:
        from ascdemand import privacy

        frame = privacy.publishable(frame)
    key = key or name
    left, right = st.columns(2)
    left.download_button(
        "Download CSV",
        lambda: exports.to_csv_bytes(frame),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click=record_export,
        args=(f"{name}.csv", frame.height, public),
    )
    right.download_button(
        "Download Excel",
        lambda: exports.to_xlsx_bytes(frame, sheet=name, money_columns=money_columns),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
        on_click=record_export,
        args=(f"{name}.xlsx", frame.height, public),
    )


def table_with_downloads(frame: pl.DataFrame, name: str, *, label: str, **kwargs: object) -> None:
    """An expander holding a table and its download buttons."""
    with st.expander(label):
        st.dataframe(frame, hide_index=True)
        download_buttons(frame, name, **kwargs)
