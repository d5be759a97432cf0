"""The briefing's charts: few, large type, and readable when printed in greyscale.

Series differ by line style, marker and fill pattern as well as shade, never by colour alone.
Every chart draws on the published facts, so no chart shows an exact small count.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import plotly.graph_objects as go
import polars as pl

from ascdemand.briefing import comparators
from ascdemand.briefing.facts import BriefingFacts
from ascdemand.models.budget.periods import period_end
from ascdemand.models.funnel import funnel, funnel_limits

INK = "#000000"
MID = "#555555"
LIGHT = "#BBBBBB"
FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 20, "color": INK}
WIDTH, HEIGHT = 900, 520
COUNT_NOTE = "Counts rounded to the nearest 5; 1 to 7 shown as gaps"


def _style(
    fig: go.Figure, *, title: str, y_title: str, source: str, as_at: dt.date | None
) -> go.Figure:
    fig.update_layout(
        title={
            "text": title,
            "x": 0.01,
            "xanchor": "left",
            "y": 0.97,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": 25},
        },
        template="simple_white",
        font=FONT,
        width=WIDTH,
        height=HEIGHT,
        margin={"l": 100, "r": 40, "t": 120, "b": 150},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "x": 0.0,
            "xanchor": "left",
            "font": {"size": 18},
        },
        hovermode="x unified",
        showlegend=True,
    )
    fig.update_xaxes(tickangle=0, automargin=True)
    fig.update_yaxes(
        title_text=y_title,
        rangemode="tozero",
        separatethousands=True,
        exponentformat="none",
        gridcolor="#E5E5E5",
        showgrid=True,
    )
    fig.add_annotation(
        text=f"Source: {source}." + (f"<br>As at {as_at:%d %B %Y}." if as_at else ""),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-85,
        align="left",
        yanchor="top",
        showarrow=False,
        xanchor="left",
        font={"size": 15, "color": MID},
    )
    return fig


def _trend(
    facts: BriefingFacts,
    column: str,
    *,
    title: str,
    y_title: str,
    name: str,
    source: str,
    baseline: float | None,
) -> go.Figure:
    weekly = facts.weekly.filter(
        pl.col("week_start") >= facts.pandemic_start - dt.timedelta(weeks=8)
    )
    fig = go.Figure(
        go.Scatter(
            x=weekly["week_start"].to_list(),
            y=weekly[column].to_list(),
            name=name,
            mode="lines",
            line={"color": INK, "width": 4},
            connectgaps=False,
        )
    )
    if baseline is not None:
        fig.add_trace(
            go.Scatter(
                x=[weekly["week_start"].min(), weekly["week_start"].max()],
                y=[baseline, baseline],
                name=_baseline_label(facts),
                mode="lines",
                line={"color": MID, "width": 3, "dash": "dash"},
                hoverinfo="skip",
            )
        )
    return _date_axis(_style(fig, title=title, y_title=y_title, source=source, as_at=facts.as_at))


def _date_axis(fig: go.Figure) -> go.Figure:
    """Dates under a weekly chart that never run into each other, whatever the span: at most
    eight ticks, each the month over the year on two lines."""
    return fig.update_xaxes(nticks=8, tickformat="%b<br>%Y", ticklabelmode="instant")


def _baseline_label(facts: BriefingFacts) -> str:
    return f"Before the pandemic ({facts.pandemic_start:%B %Y})"


def homecare_people(facts: BriefingFacts) -> go.Figure:
    """People receiving homecare each week, against the pre-pandemic level."""
    return _trend(
        facts,
        "homecare_people",
        title="People receiving homecare, each week",
        y_title="People",
        name="People receiving homecare",
        source=f"council care-package records. {COUNT_NOTE}",
        baseline=facts.measures["homecare_people"].baseline,
    )


def homecare_hours(facts: BriefingFacts) -> go.Figure:
    """Homecare hours commissioned each week, against the pre-pandemic level."""
    return _trend(
        facts,
        "homecare_hours",
        title="Homecare hours commissioned per week",
        y_title="Hours per week",
        name="Hours commissioned",
        source="council care-package records. Rounded to the nearest 10 hours",
        baseline=facts.measures["homecare_hours"].baseline,
    )


def temporary_residential(facts: BriefingFacts) -> go.Figure:
    """People in temporary residential care each week, against the pre-pandemic level."""
    return _trend(
        facts,
        "temp_people",
        title="People in temporary residential care, each week",
        y_title="People",
        name="People in temporary care-home beds",
        source=f"council placement records. {COUNT_NOTE}",
        baseline=facts.measures["temp_residential_people"].baseline,
    )


def discharges(facts: BriefingFacts) -> go.Figure:
    """Hospital discharges needing social care: weekly dots and the 4-week average line."""
    weekly = facts.weekly.filter(
        pl.col("week_start") >= facts.pandemic_start - dt.timedelta(weeks=8)
    )
    fig = go.Figure(
        [
            go.Scatter(
                x=weekly["week_start"].to_list(),
                y=weekly["discharges"].to_list(),
                name="Each week",
                mode="markers",
                marker={"color": LIGHT, "size": 7, "symbol": "circle-open", "line": {"width": 2}},
            ),
            go.Scatter(
                x=weekly["week_start"].to_list(),
                y=weekly["discharges_4wk_avg"].to_list(),
                name="Average of the last 4 weeks",
                mode="lines",
                line={"color": INK, "width": 4},
            ),
        ]
    )
    base = facts.measures["discharges_to_social_care"].baseline
    if base is not None:
        fig.add_trace(
            go.Scatter(
                x=[weekly["week_start"].min(), weekly["week_start"].max()],
                y=[base, base],
                name=_baseline_label(facts),
                mode="lines",
                line={"color": MID, "width": 3, "dash": "dash"},
                hoverinfo="skip",
            )
        )
    return _date_axis(
        _style(
            fig,
            title="Hospital discharges needing social care, per week",
            y_title="People per week",
            source=f"council hospital-discharge records. {COUNT_NOTE}",
            as_at=facts.as_at,
        )
    )


def overspend_trajectory(facts: BriefingFacts) -> go.Figure | None:
    """The forecast net overspend as it stood at each month of the year so far."""
    money = facts.money
    if money is None:
        return None
    months = [f"P{p} {period_end(money.financial_year, p):%b}" for p in money.trajectory["period"]]
    values = [v / 1e6 for v in money.trajectory["net_overspend"]]
    fig = go.Figure(
        go.Bar(
            x=months,
            y=values,
            name="Forecast net overspend",
            marker={"color": LIGHT, "line": {"color": INK, "width": 2}, "pattern": {"shape": "/"}},
            text=[f"{'-' if v < -0.05 else ''}£{abs(v):,.1f}m" for v in values],
            textposition="outside",
            textfont={"size": 20},
            cliponaxis=False,
        )
    )
    fig.update_xaxes(title_text="Month of forecast (P1 = April)")
    return _style(
        fig,
        title=f"Forecast net overspend for {money.financial_year}, month by month",
        y_title="£ million",
        source="council finance ledger and care records; the department's forecast model",
        as_at=facts.as_at,
    )


AXIS_TITLES = {
    "net_budget_2021_22_gbp_m": "£ million",
    "gross_asc_spend_2019_20_per_1000_pop_gbp_k": "£ thousand per 1,000 population",
    "long_term_care_65plus_per_head_gbp": "£ per person aged 65+ per year",
}
BAR_TEXT = {
    "net_budget_2021_22_gbp_m": "£{:,.0f}m",
    "gross_asc_spend_2019_20_per_1000_pop_gbp_k": "£{:,.0f}k",
    "long_term_care_65plus_per_head_gbp": "£{:,.0f}",
}
CHART_TITLES = {
    "net_budget_2021_22_gbp_m": "Net adult social care budget 2021/22",
    "gross_asc_spend_2019_20_per_1000_pop_gbp_k": (
        "Gross adult social care spend 2019/20 per 1,000 people"
    ),
    "long_term_care_65plus_per_head_gbp": "Spend on long-term care per person aged 65 or over",
}


def comparator_chart(
    table: pl.DataFrame, column: str, home_council: str, *, as_at: dt.date | None = None
) -> go.Figure | None:
    """One comparator measure as horizontal bars, smallest at the bottom; the home council
    solid black, the others white with grey hatching (so it stands out in greyscale too)."""
    table = table.drop_nulls(column).sort(column)
    if table.is_empty():
        return None
    home = table["council"] == home_council
    text = BAR_TEXT[column]

    def bars(rows: pl.DataFrame, name: str, marker: dict) -> go.Bar:
        return go.Bar(
            y=rows["council"].to_list(),
            x=rows[column].to_list(),
            orientation="h",
            name=name,
            marker=marker,
            text=[text.format(v) for v in rows[column]],
            textposition="outside",
            cliponaxis=False,
        )

    fig = go.Figure(
        [
            bars(
                table.filter(~home),
                "Comparator councils",
                {
                    "color": "#FFFFFF",
                    "line": {"color": INK, "width": 2},
                    "pattern": {"shape": "/", "fgcolor": MID},
                },
            ),
            bars(table.filter(home), home_council, {"color": INK}),
        ]
    )
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(categoryorder="array", categoryarray=table["council"].to_list())
    fig = _style(
        fig,
        title=CHART_TITLES[column],
        y_title="",
        source=comparators.source_note(table),
        as_at=as_at,
    )
    fig.update_xaxes(title_text=AXIS_TITLES[column], rangemode="tozero")
    return fig


def comparator_spend(facts: BriefingFacts) -> go.Figure | None:
    """Long-term care spend per person aged 65+, the council marked out from the others."""
    return comparator_chart(
        facts.comparators,
        "long_term_care_65plus_per_head_gbp",
        facts.profile.home_comparator,
        as_at=facts.as_at,
    )


def board_funnel(facts: BriefingFacts) -> go.Figure | None:
    """The share of discharges to a new care-home place for every care board by its volume,
    the council's board solid black, the others open grey circles, inside 95% (dashed) and
    99.8% (dotted) limits around England's rate."""
    code = facts.profile.icb
    if facts.boards.is_empty() or not code:
        return None
    rate, shown = funnel(
        facts.boards.select("org_code", "p3", pl.col("discharges").alias("n")), "p3", "n"
    )
    grid = np.linspace(float(shown["n"].min()) * 0.9, float(shown["n"].max()) * 1.05, 200)
    limits = funnel_limits(rate, grid)
    fig = go.Figure()
    for level, dash, name in (("95", "dash", "95% limits"), ("998", "dot", "99.8% limits")):
        for side in ("lo", "hi"):
            fig.add_scatter(
                x=grid,
                y=limits[f"{side}_{level}"] * 100,
                mode="lines",
                line={"color": MID, "dash": dash, "width": 2},
                name=name,
                legendgroup=name,
                showlegend=side == "hi",
            )
    others = shown.filter(pl.col("org_code") != code)
    home = shown.filter(pl.col("org_code") == code)
    fig.add_scatter(
        x=others["n"].to_list(),
        y=(others["proportion"] * 100).to_list(),
        mode="markers",
        marker={"color": "#FFFFFF", "size": 11, "line": {"color": MID, "width": 2}},
        name="Other care boards",
    )
    fig.add_scatter(
        x=home["n"].to_list(),
        y=(home["proportion"] * 100).to_list(),
        mode="markers+text",
        text=[code] * home.height,
        textposition="middle right",
        marker={"color": INK, "size": 18, "symbol": "diamond"},
        name=f"{code}, our care board",
    )
    fig = _style(
        fig,
        title="New care-home places from hospital, every care board",
        y_title="Per cent of discharges",
        source=f"NHS England discharge sitrep, {facts.board_months}",
        as_at=None,
    )
    fig.update_xaxes(title_text="Patients discharged", separatethousands=True)
    fig.update_yaxes(rangemode="tozero")
    return fig


def briefing_charts(facts: BriefingFacts) -> list[tuple[str, go.Figure]]:
    """The four to six charts of the briefing, in reading order, with a short name each."""
    charts = [
        ("homecare_people", homecare_people(facts)),
        ("homecare_hours", homecare_hours(facts)),
        ("temporary_residential", temporary_residential(facts)),
        ("discharges", discharges(facts)),
        ("overspend", overspend_trajectory(facts)),
        ("boards", board_funnel(facts)),
        ("comparators", comparator_spend(facts)),
    ]
    return [(name, fig) for name, fig in charts if fig is not None]
