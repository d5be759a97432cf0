"""Scenarios: what happens to homecare, temporary beds and spend if discharges, reablement or
homecare capacity change, against a baseline estimated from the council's own data."""

import json

import streamlit as st

from ascdemand.models.scenario.params import ScenarioParams
from ascdemand.models.scenario.presets import PRESETS, PRESETS_BY_NAME
from ascdemand.store.scenarios import ScenarioNotFound
from ascdemand.store.writer import DatabaseBusy
from ascdemand.ui import common
from ascdemand.ui import scenarios as sc

common.require_app()
st.title("Scenarios")
st.caption(
    "What if hospital discharges run at a different level, or reablement or homecare capacity "
    "changes? The model follows people from discharge into reablement, homecare and care homes "
    "week by week; when homecare cannot be found, people go to temporary residential care "
    "instead. Scenarios cover the whole council area: the district and client group filters do not "
    "apply here."
)
filters = common.current_filters()

# --- baseline --------------------------------------------------------------------------------
window = st.segmented_control(
    "Baseline estimated from the last",
    [13, 26, 52],
    default=26,
    format_func=lambda w: f"{w} weeks",
    key="sc_window",
    help="The weeks of recorded data the baseline's rates are estimated from.",
)
calibration = sc.calibration(int(window or 26), filters.as_at)
if calibration is None:
    baseline = ScenarioParams()
    st.info(sc.no_baseline_message(int(window or 26), filters.as_at), icon=":material/info:")
else:
    baseline = calibration.params

organisations = sc.sitrep_organisations()
if not organisations.is_empty():
    source = st.radio(
        "Discharge volumes and pathway mix from",
        ["The council's discharge records", "The NHS discharge sitrep"],
        horizontal=True,
        key="sc_source",
    )
    if source == "The NHS discharge sitrep":
        labels = {
            f"{row['org_type']}:{row['org_code']}": f"{row['org_name'].title()} ({row['org_code']})"
            for row in organisations.iter_rows(named=True)
        }
        choices = list(labels)
        org_col, months_col, share_col = st.columns(3)
        chosen_org = org_col.selectbox(
            "Hospital trust or care board",
            choices,
            index=sc.default_sitrep_choice(choices),
            format_func=labels.get,
            key="sc_sitrep_org",
        )
        months = months_col.slider("Latest months averaged", 1, 12, 3, key="sc_sitrep_months")
        resident = share_col.number_input(
            "Share of these patients living in the council's area (%)",
            0.0,
            100.0,
            sc.default_resident_percent(),
            step=1.0,
            key="sc_sitrep_share",
            help=sc.RESIDENT_SHARE_HELP,
        )
        org_type, org_code = chosen_org.split(":", 1)
        try:
            baseline, sitrep_note = sc.with_sitrep(
                baseline, org_type, org_code, months, resident / 100
            )
        except ValueError as error:
            st.warning(str(error), icon=":material/warning:")
        else:
            st.caption(sitrep_note)
sc.sync_baseline(baseline)

# --- scenario controls -----------------------------------------------------------------------
st.subheader("Your scenario")
st.write("Start from a mitigation in the 2021 report, or set the numbers yourself.")
pick_col, apply_col, reset_col = st.columns([3, 1, 1], vertical_alignment="bottom")
preset_name = pick_col.selectbox(
    "Mitigation from the report", [p.name for p in PRESETS], key="sc_preset_pick"
)
apply_col.button(
    "Apply",
    key="sc_preset_apply",
    on_click=sc.apply_preset,
    args=(preset_name, baseline),
    icon=":material/playlist_add_check:",
    width="stretch",
)
reset_col.button(
    "Back to baseline",
    key="sc_reset",
    on_click=sc.reset,
    args=(baseline,),
    icon=":material/restart_alt:",
    width="stretch",
)
st.caption(PRESETS_BY_NAME[preset_name].description + " Applied on top of the numbers below.")

group_cols = st.columns(len(sc.MAIN_CONTROLS))
for col, (group, controls) in zip(group_cols, sc.MAIN_CONTROLS.items(), strict=True):
    box = col.container(border=True)
    box.markdown(f"**{group}**")
    for control in controls:
        control.number_input(box)
        if control.name == "reablement_starts_per_week":
            box.number_input(
                sc.P1_REABLEMENT_LABEL,
                min_value=0.0,
                max_value=100.0,
                step=1.0,
                format="%.0f",
                key=sc.P1_REABLEMENT_KEY,
                help="The rest go straight to homecare. Reablement was bypassed during the "
                "pandemic (report paragraph 36).",
            )
with st.expander("More assumptions"):
    more_cols = st.columns(3)
    for i, control in enumerate(sc.MORE_CONTROLS):
        control.number_input(more_cols[i % 3])

try:
    scenario = sc.widget_params(baseline)
except ValueError as error:
    st.error(str(error), icon=":material/error:")
    st.stop()
st.caption(
    f"Of {scenario.discharges_per_week:,.0f} discharges a week, "
    f"{scenario.discharges_to_social_care:,.0f} need social care support. The pathway mix is "
    "scaled to add up to 100%."
)

# --- comparison set and run --------------------------------------------------------------------
saved = sc.saved()
names = dict(zip(saved["scenario_id"], saved["name"], strict=True))
left, mid, right = st.columns([3, 1, 1])
compare_ids = left.multiselect(
    "Compare with saved scenarios (up to four)",
    list(names),
    format_func=names.get,
    max_selections=4,
    key="sc_compare",
)
horizon = mid.slider("Weeks ahead", 4, 52, 52, key="sc_horizon")
runs = right.select_slider("Runs for the bands", [100, 250, 500, 1000], 500, key="sc_runs")

wanted = {sc.BASELINE: baseline, "This scenario": scenario}
for scenario_id in compare_ids:
    try:
        label = names[scenario_id] + (" (saved)" if names[scenario_id] in wanted else "")
        wanted[label] = ScenarioParams.from_dict(sc.saved_changes(scenario_id), baseline)
    except (ScenarioNotFound, ValueError) as error:
        st.warning(f"Saved scenario {names[scenario_id]!r} cannot be used: {error}")

progress = st.progress(0.0, text="Running the model...")
results = {}
for i, (name, params) in enumerate(wanted.items(), start=1):
    results[name] = sc.trajectory(params, horizon, runs, seed=2021)
    progress.progress(i / len(wanted), text=f"Ran {name} ({runs} runs)")
progress.empty()

# --- headline numbers --------------------------------------------------------------------------
table = sc.comparison_table(results)
for col, headline in zip(st.columns(3), sc.headlines(table, horizon), strict=False):
    col.metric(
        headline.label,
        headline.value,
        headline.delta,
        delta_color=headline.delta_color,
        delta_arrow=headline.delta_arrow,
        help=headline.help or None,
    )
st.caption(sc.capacity_note(scenario, results["This scenario"]))

# --- charts ------------------------------------------------------------------------------------
figures = {series: sc.band_figure(results, series, horizon=horizon) for series in sc.CHARTS}
for series, fig in figures.items():
    st.plotly_chart(fig, key=f"sc_chart_{series}")

st.subheader("Differences from the baseline")
st.dataframe(
    table,
    hide_index=True,
    column_config={
        "Baseline": st.column_config.NumberColumn(format="localized"),
        "Scenario value": st.column_config.NumberColumn(format="localized"),
        "Difference": st.column_config.NumberColumn(format="localized"),
        "Difference (%)": st.column_config.NumberColumn(format="%.1f"),
    },
    key="sc_table",
)
st.caption(
    f"Averages of {runs} runs. Each run varies weekly discharges and referrals at random and "
    "draws lengths of stay and outcome shares around their estimates; the same random draws "
    "are used for every scenario, so differences come from the changes alone."
)
common.download_buttons(table, "scenario_comparison", key="sc_download")

st.markdown("**Chart image**")
chart_choice = st.selectbox(
    "Chart", list(sc.CHARTS), format_func=lambda s: sc.CHARTS[s][0], key="sc_chart_pick"
)
image_cols = st.columns(2)
image_cols[0].download_button(
    "Download chart (interactive HTML)",
    sc.chart_html(figures[chart_choice]),
    file_name=f"scenario_{chart_choice}.html",
    mime="text/html",
    key="sc_html",
    icon=":material/download:",
    on_click=sc.record_export,
    args=(f"chart {chart_choice} (HTML)", tuple(results)),
)
if image_cols[1].button("Make a PNG image", key="sc_png_make", icon=":material/image:"):
    with st.spinner("Drawing the image (this can take a few seconds)..."):
        try:
            st.session_state["sc_png_image"] = (chart_choice, sc.chart_png(figures[chart_choice]))
        except Exception as error:  # noqa: BLE001 - kaleido may find no browser
            st.session_state.pop("sc_png_image", None)
            st.warning(
                f"The PNG image could not be drawn here ({type(error).__name__}); download the "
                "interactive HTML chart instead and save it as an image from the browser.",
                icon=":material/warning:",
            )
png = st.session_state.get("sc_png_image")
if png and png[0] == chart_choice:
    image_cols[1].download_button(
        "Download PNG image",
        png[1],
        file_name=f"scenario_{chart_choice}.png",
        mime="image/png",
        key="sc_png",
        icon=":material/download:",
        on_click=sc.record_export,
        args=(f"chart {chart_choice} (PNG)", tuple(results)),
    )

# --- saved scenarios -----------------------------------------------------------------------------
st.subheader("Saved scenarios")
save_col, manage_col = st.columns(2)
with save_col.form("sc_save_form", clear_on_submit=False):
    st.markdown("**Save this scenario**")
    name = st.text_input("Name", max_chars=80, key="sc_save_name")
    description = st.text_input("Description (optional)", key="sc_save_description")
    overwrite = st.checkbox("Replace a saved scenario of the same name", key="sc_save_replace")
    if st.form_submit_button("Save", type="primary", icon=":material/save:"):
        try:
            sc.save(name, description, sc.changes_against(baseline, scenario), replace=overwrite)
        except (ValueError, DatabaseBusy) as error:
            st.error(str(error), icon=":material/error:")
        else:
            st.success(f"Saved {name.strip()!r}.", icon=":material/check:")
            saved = sc.saved()
            names = dict(zip(saved["scenario_id"], saved["name"], strict=True))

save_col.download_button(
    "Download its parameters (JSON, for `ascdemand scenario --params`)",
    json.dumps(sc.changes_against(baseline, scenario), indent=2, sort_keys=True),
    file_name="scenario.json",
    mime="application/json",
    key="sc_params_json",
    icon=":material/data_object:",
    on_click="ignore",
)

with manage_col:
    if saved.is_empty():
        st.info("No saved scenarios yet.", icon=":material/info:")
    else:
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
            on_click=sc.open_saved,
            args=(chosen, baseline),
        )
        if problem := st.session_state.pop("sc_open_problem", None):
            st.error(problem, icon=":material/error:")
        new_name = st.text_input("New name", key="sc_new_name")
        if buttons[1].button("Rename", key="sc_rename", icon=":material/edit:"):
            try:
                sc.rename(chosen, new_name)
            except (ScenarioNotFound, ValueError, DatabaseBusy) as error:
                st.error(str(error))
            else:
                st.rerun()
        confirm = st.checkbox("Yes, delete it", key="sc_delete_confirm")
        if buttons[2].button(
            "Delete", key="sc_delete", icon=":material/delete:", disabled=not confirm
        ):
            try:
                sc.delete(chosen)
            except (ScenarioNotFound, DatabaseBusy) as error:
                st.error(str(error))
            else:
                st.rerun()

# --- how the baseline was obtained ---------------------------------------------------------------
with st.expander("How the baseline was estimated, and how well it reproduces recent history"):
    if calibration is None:
        st.write("Built-in values: no discharge data is loaded.")
    else:
        fit_frame, errors = sc.fit(calibration)
        error_cols = st.columns(len(sc.FIT_LABELS))
        for col, (series, label) in zip(error_cols, sc.FIT_LABELS.items(), strict=True):
            col.metric(f"{label}: average error", f"{errors.get(series, 0.0):.1%}")
        fit_pick = st.selectbox(
            "Series", list(sc.FIT_LABELS), format_func=sc.FIT_LABELS.get, key="sc_fit_pick"
        )
        st.plotly_chart(sc.fit_figure(fit_frame, fit_pick), key="sc_fit_chart")
        st.dataframe(sc.notes_table(calibration), hide_index=True, key="sc_notes")
    st.markdown("**Where people on each pathway are sent (this scenario)**")
    st.dataframe(sc.routes_table(scenario), hide_index=True, key="sc_routes_table")
