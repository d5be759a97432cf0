"""The Scenarios page's forms: the chart as an image or web page, saving the scenario (and its
parameters as JSON), and opening, renaming or deleting saved scenarios."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand.models.scenario.params import ScenarioParams
from ascdemand.models.scenario.summary import changes_against
from ascdemand.store.scenarios import ScenarioNotFound
from ascdemand.store.writer import DatabaseBusy
from ascdemand.ui.charts import scenarios as charts
from ascdemand.ui.services import scenarios
from ascdemand.ui.services.audit import record_scenario_export
from ascdemand.ui.widgets.scenario_controls import open_saved


def chart_downloads(figures: dict[str, go.Figure], names: tuple[str, ...]) -> None:
    """Pick one chart; download it as interactive HTML, or draw and download a PNG (kaleido may
    find no browser: then the page says to use the HTML). Each download is audited."""
    st.markdown("**Chart image**")
    choice = st.selectbox(
        "Chart", list(charts.CHARTS), format_func=lambda s: charts.CHARTS[s][0], key="sc_chart_pick"
    )
    cols = st.columns(2)
    cols[0].download_button(
        "Download chart (interactive HTML)",
        lambda: charts.chart_html(figures[choice]),
        file_name=f"scenario_{choice}.html",
        mime="text/html",
        key="sc_html",
        icon=":material/download:",
        on_click=record_scenario_export,
        args=(f"chart {choice} (HTML)", names),
    )
    if cols[1].button("Make a PNG image", key="sc_png_make", icon=":material/image:"):
        with st.spinner("Drawing the image (this can take a few seconds)..."):
            try:
                st.session_state["sc_png_image"] = (choice, charts.chart_png(figures[choice]))
            except Exception as error:  # noqa: BLE001 - kaleido may find no browser
                st.session_state.pop("sc_png_image", None)
                st.warning(
                    f"The PNG image could not be drawn here ({type(error).__name__}); download "
                    "the interactive HTML chart instead and save it as an image from the browser.",
                    icon=":material/warning:",
                )
    png = st.session_state.get("sc_png_image")
    if png and png[0] == choice:
        cols[1].download_button(
            "Download PNG image",
            png[1],
            file_name=f"scenario_{choice}.png",
            mime="image/png",
            key="sc_png",
            icon=":material/download:",
            on_click=record_scenario_export,
            args=(f"chart {choice} (PNG)", names),
        )


def _save(baseline: ScenarioParams, scenario: ScenarioParams) -> None:
    """Save from the form's fields; on success empty them, so the next save starts afresh."""
    state = st.session_state
    name = state.get("sc_save_name", "")
    try:
        scenarios.save(
            name,
            state.get("sc_save_description", ""),
            changes_against(baseline, scenario),
            replace=state.get("sc_save_replace", False),
        )
    except (ValueError, DatabaseBusy) as error:
        state["sc_save_result"] = ("error", str(error))
    else:
        state["sc_save_result"] = ("success", f"Saved {name.strip()!r}.")
        state["sc_save_name"] = ""
        state["sc_save_description"] = ""
        state["sc_save_replace"] = False


def save_form(baseline: ScenarioParams, scenario: ScenarioParams) -> None:
    """Save this scenario (only what differs from the baseline) under a name, and download its
    parameters for `ascdemand scenario --params`. The fields start empty after a save."""
    with st.form("sc_save_form", clear_on_submit=False):
        st.markdown("**Save this scenario**")
        st.text_input("Name", max_chars=80, key="sc_save_name")
        st.text_input("Description (optional)", key="sc_save_description")
        st.checkbox("Replace a saved scenario of the same name", key="sc_save_replace")
        st.form_submit_button(
            "Save",
            type="primary",
            icon=":material/save:",
            on_click=_save,
            args=(baseline, scenario),
        )
    outcome = st.session_state.pop("sc_save_result", None)
    if outcome is not None:
        kind, message = outcome
        if kind == "error":
            st.error(message, icon=":material/error:")
        else:
            st.success(message, icon=":material/check:")
    st.download_button(
        "Download its parameters (JSON, for `ascdemand scenario --params`)",
        json.dumps(changes_against(baseline, scenario), indent=2, sort_keys=True),
        file_name="scenario.json",
        mime="application/json",
        key="sc_params_json",
        icon=":material/data_object:",
        on_click="ignore",
    )


def manage_saved(saved: pl.DataFrame, baseline: ScenarioParams) -> None:
    """Open a saved scenario into the controls, rename it, or delete it (after a tick)."""
    if saved.is_empty():
        st.info("No saved scenarios yet.", icon=":material/info:")
        return
    names = dict(zip(saved["scenario_id"], saved["name"], strict=True))
    st.markdown("**Open, rename or delete**")
    chosen = st.selectbox("Saved scenario", list(names), format_func=names.get, key="sc_pick")
    row = saved.filter(saved["scenario_id"] == chosen).row(0, named=True)
    st.caption(
        f"{row['description'] or 'No description'}. Saved by {row['created_by']}, "
        f"last changed {row['updated_at']:%d %B %Y %H:%M}."
    )
    buttons = st.columns(3)
    buttons[0].button(
        "Open",
        key="sc_open",
        icon=":material/folder_open:",
        on_click=open_saved,
        args=(chosen, baseline),
    )
    if problem := st.session_state.pop("sc_open_problem", None):
        st.error(problem, icon=":material/error:")
    new_name = st.text_input("New name", key="sc_new_name")
    if buttons[1].button("Rename", key="sc_rename", icon=":material/edit:"):
        try:
            scenarios.rename(chosen, new_name)
        except (ScenarioNotFound, ValueError, DatabaseBusy) as error:
            st.error(str(error))
        else:
            st.rerun()
    confirm = st.checkbox("Yes, delete it", key="sc_delete_confirm")
    if buttons[2].button("Delete", key="sc_delete", icon=":material/delete:", disabled=not confirm):
        try:
            scenarios.delete(chosen)
        except (ScenarioNotFound, DatabaseBusy) as error:
            st.error(str(error))
        else:
            st.rerun()


def saved_section(baseline: ScenarioParams, scenario: ScenarioParams) -> None:
    """Save on the left; open, rename or delete on the right."""
    st.subheader("Saved scenarios")
    save_col, manage_col = st.columns(2)
    with save_col:
        save_form(baseline, scenario)
    with manage_col:
        manage_saved(scenarios.saved(), baseline)
