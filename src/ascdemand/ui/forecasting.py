"""The forecast panel shared by the demand pages: chosen model, bands, and backtest scores."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand.models.forecast import ForecastResult, forecast
from ascdemand.ui import common, demand

MODEL_NAMES = {
    "naive": "Same as last week (naive)",
    "seasonal_naive": "Same week last year (seasonal naive)",
    "drift": "Straight-line drift",
    "mean": "Historic average",
    "ets": "Exponential smoothing (ETS)",
    "ets_damped": "Exponential smoothing, damped trend",
    "theta": "Theta method",
    "arima": "ARIMA",
    "arimax": "ARIMA with discharges as a leading indicator",
    "ensemble": "Combination of models",
}

# measure -> (cached weekly loader, column)
MEASURES = {
    "homecare_hours": (demand.homecare_weekly, "hours"),
    "homecare_people": (demand.homecare_weekly, "people"),
    "temp_residential_people": (demand.temp_weekly, "people"),
    "temp_residential_admissions": (demand.temp_weekly, "admissions"),
}


@st.cache_data(show_spinner="Choosing and fitting forecast models...", max_entries=64)
def weekly_forecast(
    measure: str,
    as_at: dt.date,
    districts: tuple[str, ...],
    group: str | None,
    horizon: int,
) -> tuple[str, pl.DataFrame, pl.DataFrame]:
    """The chosen model, its forecast (with `week_start`) and the backtest score table."""
    loader, column = MEASURES[measure]
    history = loader(as_at, districts, group)
    result: ForecastResult = forecast(history[column].to_numpy(), horizon, season_length=52)
    last = history["week_start"][-1]
    frame = result.forecast.with_columns(
        week_start=pl.lit(last) + pl.duration(weeks=pl.col("step"))
    )
    return result.chosen, frame, result.scores


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
    """The backtest score table with plain-English model names, best first."""
    return (
        scores.sort("mase")
        .with_columns(pl.col("model").replace_strict(MODEL_NAMES, default=pl.col("model")))
        .select(
            pl.col("model").alias("Model"),
            pl.col("mase").round(2).alias("MASE (error ÷ typical weekly change)"),
            pl.col("smape").round(1).alias("sMAPE %"),
            (pl.col("coverage80") * 100).round(0).alias("80% interval coverage %"),
            (pl.col("coverage95") * 100).round(0).alias("95% interval coverage %"),
        )
    )


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
    if not enabled:
        st.plotly_chart(
            demand.weekly_lines(
                history, {column: y_title}, title=title, y_title=y_title, source=source
            ),
            key=f"{measure}_{column}_history",
        )
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
        model, fc, scores = weekly_forecast(
            measure, filters.as_at, filters.districts, filters.client_group, horizon
        )
    except ValueError as err:
        st.info(f"Not enough history for a forecast with these filters: {err}")
        st.plotly_chart(
            demand.weekly_lines(
                history, {column: y_title}, title=title, y_title=y_title, source=source
            ),
            key=f"{measure}_history_only",
        )
        return
    st.plotly_chart(
        forecast_figure(
            history, column, fc, title=title, y_title=y_title, source=source, model=model
        ),
        key=f"{measure}_forecast",
    )
    end = fc.row(-1, named=True)
    st.caption(
        f"In {horizon} weeks: {end['mean']:,.0f} expected, 80% likely between "
        f"{end['lo_80']:,.0f} and {end['hi_80']:,.0f}. Model chosen by backtest: "
        f"{MODEL_NAMES.get(model, model)}."
    )
    with st.expander("How the forecast was chosen"):
        st.markdown(
            "Each model forecast the series from several earlier dates (a rolling-origin "
            "backtest), and was scored against what then happened. The model with the lowest "
            "mean absolute scaled error (MASE: the average forecast error divided by the typical "
            "week-to-week change in the history) is used. Its intervals are widened or narrowed "
            "so that they covered the backtest outcomes as often as they claim to; the coverage "
            "columns show how often they did."
        )
        st.dataframe(scores_table(scores), hide_index=True)
