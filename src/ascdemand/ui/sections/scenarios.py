"""The sections of the Scenarios page: the baseline, then the scenario itself (controls,
comparison, results, saved scenarios and how the baseline fits), which is one fragment: moving a
control reruns the scenario, not the baseline above it."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

from ascdemand.formatting import money
from ascdemand.models.scenario.calibrate import Calibration
from ascdemand.models.scenario.engine import Trajectory, financial_year_end
from ascdemand.models.scenario.outturn_effect import outturn_effect
from ascdemand.models.scenario.params import ScenarioParams
from ascdemand.models.scenario.summary import (
    BASELINE,
    THIS_SCENARIO,
    capacity_note,
    comparison_table,
    headlines,
    notes_table,
    rounded_table,
    routes_table,
)
from ascdemand.store.scenarios import ScenarioNotFound
from ascdemand.ui.charts import scenarios as charts
from ascdemand.ui.services import cached, council, scenarios
from ascdemand.ui.widgets import scenario_controls, scenario_forms
from ascdemand.ui.widgets.downloads import download_buttons

SEED = 2021


def no_baseline_message(weeks: int, as_at: dt.date) -> str:
    """Why the baseline is the built-in one: no data at all, or none in the window."""
    fallback = (
        "the baseline uses built-in values resembling a large county in autumn 2021 (the "
        "pressures of the 2021 report that ascdemand was first built to reproduce)."
    )
    if not council.has_data():
        return (
            f"No discharge data loaded, so {fallback} Load extracts on the **Data** page to "
            "estimate it."
        )
    return (
        f"No discharges are recorded in the {weeks} weeks to {as_at:%d %B %Y}, so {fallback} "
        "Choose an earlier as-at date in the sidebar."
    )


def baseline(as_at: dt.date) -> tuple[Calibration | None, ScenarioParams, int]:
    """The baseline: estimated from the chosen window of the extracts (built-in values without
    them), with volumes from the NHS sitrep if chosen.

    Returns:
        The calibration (None without data), the baseline parameters and the window in weeks.
    """
    window = st.segmented_control(
        "Baseline estimated from the last",
        [13, 26, 52],
        default=26,
        format_func=lambda w: f"{w} weeks",
        key="sc_window",
        help="The weeks of recorded data the baseline's rates are estimated from.",
    )
    weeks = int(window or 26)
    calibration = scenarios.calibration(weeks, as_at)
    if calibration is None:
        params = ScenarioParams()
        st.info(no_baseline_message(weeks, as_at), icon=":material/info:")
    else:
        params = calibration.params
    params = scenario_controls.sitrep_source(params)
    scenario_controls.sync_baseline(params)
    return calibration, params, weeks


def _run(wanted: dict[str, ScenarioParams], horizon: int, runs: int) -> dict[str, Trajectory]:
    progress = st.progress(0.0, text="Running the model...")
    results = {}
    for i, (name, params) in enumerate(wanted.items(), start=1):
        results[name] = scenarios.trajectory(params, horizon, runs, seed=SEED)
        progress.progress(i / len(wanted), text=f"Ran {name} ({runs} runs)")
    progress.empty()
    return results


def _compared(base: ScenarioParams, scenario: ScenarioParams) -> tuple[dict, int, int]:
    """Saved scenarios to compare, the horizon and the number of runs, as chosen."""
    saved = scenarios.saved()
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
    wanted = {BASELINE: base, THIS_SCENARIO: scenario}
    for scenario_id in compare_ids:
        try:
            label = names[scenario_id] + (" (saved)" if names[scenario_id] in wanted else "")
            wanted[label] = ScenarioParams.from_dict(scenarios.saved_changes(scenario_id), base)
        except (ScenarioNotFound, ValueError) as error:
            st.warning(f"Saved scenario {names[scenario_id]!r} cannot be used: {error}")
    return wanted, horizon, runs


@cached(shared=True, max_entries=32)
def _band_figures(
    scenario_json: tuple[tuple[str, str], ...], horizon: int, runs: int, as_at: dt.date
) -> dict[str, go.Figure]:
    """The band charts of the named scenarios (their parameters as JSON), built once for every
    session that asks for the same comparison."""
    results_ = {
        name: scenarios.trajectory(ScenarioParams.from_json(text), horizon, runs, seed=SEED)
        for name, text in scenario_json
    }
    return {
        series: charts.band_figure(results_, series, horizon=horizon, as_at=as_at)
        for series in charts.CHARTS
    }


def results(
    wanted: dict[str, ScenarioParams],
    results_: dict[str, Trajectory],
    horizon: int,
    runs: int,
    as_at: dt.date,
) -> None:
    """Headline numbers, the band charts, the differences table and the downloads."""
    scenario = wanted[THIS_SCENARIO]
    table = comparison_table(results_)
    for col, headline in zip(st.columns(3), headlines(table, horizon), strict=False):
        col.metric(
            headline.label,
            headline.value,
            headline.delta,
            delta_color=headline.delta_color,
            delta_arrow=headline.delta_arrow,
            help=headline.help or None,
        )
    st.caption(capacity_note(scenario, results_[THIS_SCENARIO]))
    effect = outturn_effect(results_[BASELINE], results_[THIS_SCENARIO])
    year = financial_year_end(scenario.start_date)
    st.markdown(
        f"**Effect on the {year.year - 1}/{year.year % 100:02d} outturn: "
        f"{money(effect.this_year, signed=True)}** (80% range "
        f"{money(effect.range80[0], signed=True)} to {money(effect.range80[1], signed=True)}); "
        f"**full-year effect next year: {money(effect.full_year_next, signed=True)}**, the "
        "weekly difference at the year end for a whole year, which next year's budget must "
        "carry."
    )
    named = tuple((name, params.to_json()) for name, params in wanted.items())
    series = st.radio(
        "Difference from the baseline in",
        list(charts.DIFFERENCE_SERIES),
        format_func=lambda s: charts.DIFFERENCE_SERIES[s][0].lower(),
        horizontal=True,
        key="sc_difference_series",
    )
    st.plotly_chart(
        charts.difference_figure(results_, series, horizon=horizon, as_at=as_at),
        key="sc_difference",
    )
    figures = _band_figures(named, horizon, runs, as_at)
    with st.expander("Levels: the baseline and each scenario", expanded=False):
        for name, fig in figures.items():
            st.plotly_chart(fig, key=f"sc_chart_{name}")

    st.subheader("Differences from the baseline")
    table = rounded_table(table)
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
    download_buttons(table, "scenario_comparison", key="sc_download")
    scenario_forms.chart_downloads(figures, tuple(results_))


def how_estimated(
    calibration: Calibration | None, weeks: int, as_at: dt.date, scenario: ScenarioParams
) -> None:
    """How the baseline was estimated, how well it reproduces recent history, and where each
    pathway sends people in this scenario."""
    with st.expander("How the baseline was estimated, and how well it reproduces recent history"):
        if calibration is None:
            st.write("Built-in values: no discharge data is loaded.")
        else:
            fit_frame, errors = scenarios.fit(weeks, as_at)
            error_cols = st.columns(len(charts.FIT_LABELS))
            for col, (series, label) in zip(error_cols, charts.FIT_LABELS.items(), strict=True):
                col.metric(f"{label}: average error", f"{errors.get(series, 0.0):.1%}")
            fit_pick = st.selectbox(
                "Series",
                list(charts.FIT_LABELS),
                format_func=charts.FIT_LABELS.get,
                key="sc_fit_pick",
            )
            st.plotly_chart(charts.fit_figure(fit_frame, fit_pick, as_at=as_at), key="sc_fit_chart")
            st.dataframe(notes_table(calibration), hide_index=True, key="sc_notes")
        st.markdown("**Where people on each pathway are sent (this scenario)**")
        st.dataframe(routes_table(scenario), hide_index=True, key="sc_routes_table")


@st.fragment
def scenario(
    calibration: Calibration | None, base: ScenarioParams, weeks: int, as_at: dt.date
) -> None:
    """The scenario: controls, the comparison run, its results, saved scenarios and the fit."""
    st.subheader("Your scenario")
    scenario_controls.presets(base)
    scenario_controls.number_boxes()
    try:
        params = scenario_controls.widget_params(base)
    except ValueError as error:
        st.error(str(error), icon=":material/error:")
        return
    st.caption(
        f"Of {params.discharges_per_week:,.0f} discharges a week, "
        f"{params.discharges_to_social_care:,.0f} need social care support. The pathway mix is "
        "scaled to add up to 100%."
    )
    wanted, horizon, runs = _compared(base, params)
    results(wanted, _run(wanted, horizon, runs), horizon, runs, as_at)
    scenario_forms.saved_section(base, params)
    how_estimated(calibration, weeks, as_at, params)
