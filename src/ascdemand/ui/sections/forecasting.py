"""The forecast panel shared by the demand pages: the model used and why, bands, and the
out-of-sample scores (forecasts of weeks the choice never saw). The panel is a fragment: moving
its horizon reruns the panel alone, not the page."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand.models.forecast import ForecastResult, forecast
from ascdemand.models.forecast.nested import MARGIN
from ascdemand.models.scenario.backtest import MEASURE_SERIES
from ascdemand.ui import common
from ascdemand.ui.charts import demand as charts
from ascdemand.ui.services import demand, scenarios
from ascdemand.ui.services.cache import cached

MODEL_NAMES = {
    "naive": "Same as last week (naive)",
    "seasonal_naive": "Same week last year (seasonal naive)",
    "ses": "Simple exponential smoothing",
    "drift": "Straight-line drift",
    "mean": "Historic average",
    "ets": "Exponential smoothing (ETS)",
    "ets_damped": "Exponential smoothing, damped trend",
    "theta": "Theta method",
    "arima": "ARIMA",
    "arimax": "ARIMA with discharges as a leading indicator",
    "ensemble": "Combination of models",
    "pooled_seasonal": "Last week with part of the districts' seasonal change",
    "chosen": "The forecast as made (model chosen afresh each week)",
}
ROLES = {
    "procedure": "what the forecast does",
    "choosable": "can be chosen",
    "benchmark": "benchmark only",
}

# measure -> (cached weekly loader, column)
MEASURES = {
    "homecare_hours": (demand.homecare_weekly, "hours"),
    "homecare_people": (demand.homecare_weekly, "people"),
    "temp_residential_people": (demand.temp_weekly, "people"),
    "temp_residential_admissions": (demand.temp_weekly, "admissions"),
}


@cached(show_spinner="Choosing and fitting forecast models...", max_entries=64)
def weekly_forecast(
    measure: str,
    as_at: dt.date,
    districts: tuple[str, ...],
    group: str | None,
    horizon: int,
) -> tuple[str, str, pl.DataFrame, pl.DataFrame]:
    """The chosen model, why, its forecast (with `week_start`) and the score table."""
    loader, column = MEASURES[measure]
    history = loader(as_at, districts, group)
    result: ForecastResult = forecast(history[column].to_numpy(), horizon, season_length=52)
    last = history["week_start"][-1]
    frame = result.forecast.with_columns(
        week_start=pl.lit(last) + pl.duration(weeks=pl.col("step"))
    )
    return result.chosen, result.reason, frame, result.scores


def forecast_figure(
    history: pl.DataFrame,
    column: str,
    fc: pl.DataFrame,
    *,
    title: str,
    y_title: str,
    source: str,
    model: str,
) -> go.Figure:
    """History as a solid line, the forecast dashed, with 95% and 80% prediction bands."""
    fig = go.Figure()
    for level, fill in ((95, common.BAND_FILL_95), (80, common.BAND_FILL)):
        fig.add_scatter(
            x=pl.concat([fc["week_start"], fc["week_start"].reverse()]),
            y=pl.concat([fc[f"hi_{level}"], fc[f"lo_{level}"].reverse()]),
            fill="toself",
            fillcolor=fill,
            line={"width": 0},
            name=f"{level}% prediction interval",
            hoverinfo="skip",
        )
    fig.add_scatter(
        x=history["week_start"],
        y=history[column],
        name="Recorded",
        mode="lines",
        line={"color": common.PALETTE[0]},
    )
    fig.add_scatter(
        x=fc["week_start"],
        y=fc["mean"],
        name=f"Forecast: {MODEL_NAMES.get(model, model)}",
        mode="lines",
        line={"color": common.PALETTE[3], "dash": "dash"},
    )
    return common.style_figure(fig, title=title, y_title=y_title, source=source, x_title="Week")


def scores_table(scores: pl.DataFrame) -> pl.DataFrame:
    """Out-of-sample scores in plain English: the forecast as made first, then the models,
    best first. Errors are relative to naive's on the same weeks (below 1: better)."""
    return (
        scores.sort(pl.col("model") != "chosen", "vs_naive", nulls_last=True)
        .with_columns(
            pl.col("model").replace_strict(MODEL_NAMES, default=pl.col("model")),
            pl.col("role").replace_strict(ROLES, default=pl.col("role")),
        )
        .select(
            pl.col("model").alias("Model"),
            pl.col("role").alias("Role"),
            pl.col("vs_naive").round(2).alias("Error ÷ naive's"),
            pl.col("mase").round(2).alias("MASE (error ÷ typical weekly change)"),
            pl.col("smape").round(1).alias("sMAPE %"),
            (pl.col("coverage80") * 100).round(0).alias("80% interval coverage %"),
            (pl.col("coverage95") * 100).round(0).alias("95% interval coverage %"),
            pl.col("origins").alias("Weeks scored"),
        )
    )


@st.fragment
def forecast_panel(
    measure: str,
    history: pl.DataFrame,
    column: str,
    filters: common.Filters,
    *,
    title: str,
    y_title: str,
    source: str,
    enabled: bool = True,
) -> None:
    """Chart of the history with a forecast (when `enabled`), and the backtest behind it."""

    def history_only(key: str) -> None:
        figure = charts.weekly_lines(
            history,
            {column: y_title},
            title=title,
            y_title=y_title,
            source=source,
            as_at=common.chart_as_at(),
        )
        st.plotly_chart(figure, key=key)

    if not enabled:
        history_only(f"{measure}_{column}_history")
        st.caption("Forecasts are made for people and hours; the average follows from them.")
        return
    horizon = st.slider(
        "Forecast horizon (weeks)",
        4,
        26,
        13,
        key=f"{measure}_horizon",
        help="How far ahead to forecast. Models are compared on this same horizon.",
    )
    try:
        model, reason, fc, scores = weekly_forecast(
            measure, filters.as_at, filters.districts, filters.client_group, horizon
        )
    except ValueError as err:
        st.info(f"Not enough history for a forecast with these filters: {err}")
        history_only(f"{measure}_history_only")
        return
    st.plotly_chart(
        forecast_figure(
            history, column, fc, title=title, y_title=y_title, source=source, model=model
        ),
        key=f"{measure}_forecast",
    )
    end = fc.row(-1, named=True)
    made = scores.filter(model="chosen").row(0, named=True)
    st.caption(
        f"In {horizon} weeks: {end['mean']:,.0f} expected, 80% likely between "
        f"{end['lo_80']:,.0f} and {end['hi_80']:,.0f}."
    )
    st.markdown(f"**Model used:** {reason}")
    if made["origins"]:
        st.caption(
            f"Tested on {made['origins']} past weeks, each forecast with only the data before "
            f"it: errors {made['vs_naive']:.2f} × those of repeating the last week; the 80% "
            f"range held the outcome {made['coverage80']:.0%} of the time, the 95% range "
            f"{made['coverage95']:.0%}."
        )
    with st.expander("How the forecast was chosen and how accurate it has been"):
        st.markdown(
            "Every model forecast this series from each past week, using only the weeks before "
            "it, and was scored on what then happened. At each of those weeks the choice "
            "itself was replayed with only the data available then, so the scores below are "
            "**out of sample**: forecasts of weeks the choice never saw. The rule keeps the "
            "simplest forecast, the last week's value (naive), unless another model had "
            f"clearly smaller errors (by {MARGIN:.0%}) over many weeks; seasonal models need "
            "three full years. The 80% and 95% ranges are set from the errors the forecast actually made "
            "on earlier weeks, not from any model's assumptions. MASE is the average error "
            "divided by the typical week-to-week change; sMAPE the average error in percent."
        )
        st.dataframe(scores_table(scores), hide_index=True)
        _flow_model_line(measure, filters, horizon)


def _flow_model_line(measure: str, filters: common.Filters, horizon: int) -> None:
    """The Scenarios page's baseline judged the same way, beside the statistical models, so
    the two can be seen to tell the same story (whole council only: the scenario model has
    no districts or client groups)."""
    if measure not in MEASURE_SERIES:
        return
    if filters.districts or filters.client_group:
        st.caption("The scenario model's baseline is for the whole council only.")
        return
    flow = scenarios.flow_scores(filters.as_at, horizon)
    row = flow.filter(pl.col("measure") == measure)
    if row.is_empty() or row["mase"][0] is None:
        return
    got = row.row(0, named=True)
    st.markdown(
        f"**The Scenarios page's baseline**, judged the same way from {got['origins']} past "
        f"weeks four weeks apart: errors {got['mase'] / got['naive_mase']:.2f} × those of "
        f"repeating the last week; its 80% band held the outcome {got['coverage_80']:.0%} of "
        "the time (the band shows the spread of the scenario's assumptions, not a forecast "
        "interval)."
    )
