"""The sections of the Budget page: the Director's big numbers, the charts, the drivers and
the forecast by line with its downloads."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from ascdemand.formatting import money
from ascdemand.models.budget.labels import line_label, short_period_label
from ascdemand.models.budget.outturn import Forecast, position
from ascdemand.models.budget.summary import largest_overspends, non_recurrent_note, summary_sentence
from ascdemand.models.budget.tables import (
    MONEY_COLUMNS,
    director_workbook,
    drivers_table,
    lines_table,
)
from ascdemand.models.budget.track_record import range_coverage, record_by_period
from ascdemand.ui.charts import budget as charts
from ascdemand.ui.common import escape_markdown
from ascdemand.ui.services import budget as forecasts
from ascdemand.ui.services import scenarios
from ascdemand.ui.widgets.downloads import download_buttons, table_with_downloads

METHOD_NOTE = """
- **Actuals to date** come from the finance ledger up to the chosen period.
- **Committed care**: everyone in a package or placement at the period end, at their current
  weekly cost, to their planned end or, if none, leaving at the rate seen over the last year
  (counted apart for the first six weeks of a stay, when short packages end).
- **New demand**: people starting at the rate of the last 13 weeks, at what recent starters
  cost, leaving at the same rates.
- **Run on**: staffing, other costs and income continue at the median of the last three
  periods (the median does not repeat a one-off receipt); grants arrive as allocated; the
  NHS one-off transfer counts only once received.
- **Recurrent or one-off**: staffing vacancies, grants and NHS discharge money will not
  repeat; care costs will. The pressure on next year's budget is the full-year cost of the
  people expected in care on 31 March against this budget rolled forward.
- Each earlier period is re-forecast with only what was known at its end.
"""
MONEY_FORMAT = st.column_config.NumberColumn(format="£%,.0f")


def headline(latest: Forecast, previous: Forecast | None) -> None:
    """The big numbers: net overspend, change since last period, gross overspends by line,
    then the position in a sentence."""
    now = position(latest.lines)
    before = position(previous.lines) if previous else None
    cols = st.columns(4)
    cols[0].metric(
        "Forecast net overspend",
        money(now.net_overspend),
        money(now.net_overspend - before.net_overspend, signed=True) if before else None,
        delta_color="inverse",
        help="Forecast year-end spend less income, minus the net budget. The change is since "
        "the previous period's forecast.",
    )
    cols[1].metric(
        "Gross overspends",
        money(now.gross_overspend),
        help="The spending lines forecast to go over budget, added up.",
    )
    cols[2].metric(
        "Offsets",
        money(now.offsets),
        help="Underspends and income above budget, which reduce the gross overspends.",
    )
    cols[3].metric(
        "Pressure on next year's budget",
        money(now.full_year_effect),
        help="Full-year cost of the people in care at year end, and other recurrent "
        "variances, against this year's budget rolled forward (the MTFS pressure).",
    )
    spend = largest_overspends(latest)
    if spend.height:
        st.markdown("**Gross overspends by service line**")
        cols = st.columns(4)
        for col, row in zip(cols, spend.iter_rows(named=True), strict=False):
            col.metric(
                line_label(row["service_line"]),
                money(row["variance"]),
                "recurrent" if row["recurrent"] else "one-off",
                delta_color="off",
            )
    spread = forecasts.outturn_range(latest.year, latest.period, now.net_overspend)
    if spread is not None:
        st.markdown(
            f"**80% range for the year-end net position: {money(spread.low)} to "
            f"{money(spread.high)}**, from how far the forecast made at this point of the year "
            f"has been from the final outturn in {len(spread.years)} complete year(s) "
            "(see the track record below)."
        )
    st.markdown(summary_sentence(latest, previous))
    st.caption(non_recurrent_note(now))


def _alternative(history: list[Forecast], as_at: dt.date) -> tuple[str, float] | None:
    """A saved scenario picked to show as an alternative outcome, and the net overspend if it
    happens (the forecast plus the scenario's effect on this year's outturn)."""
    saved = scenarios.saved()
    if saved.is_empty():
        return None
    names = dict(zip(saved["scenario_id"], saved["name"], strict=True))
    chosen = st.selectbox(
        "Show a saved scenario as an alternative",
        [None, *names],
        format_func=lambda i: "None" if i is None else names[i],
        key="budget_scenario",
        help="Its effect on this year's outturn (Scenarios page) added to the latest forecast.",
    )
    if chosen is None:
        return None
    effect = scenarios.saved_effect(chosen, as_at)
    if effect is None:
        st.info("No baseline to run the scenario from: load discharges and care records.")
        return None
    net = position(history[-1].lines).net_overspend + effect.this_year
    st.markdown(
        f"If **{escape_markdown(names[chosen])}** happens: net overspend {money(net)} "
        f"({money(effect.this_year, signed=True)}, 80% range "
        f"{money(effect.range80[0], signed=True)} to {money(effect.range80[1], signed=True)}); "
        f"full-year effect next year {money(effect.full_year_next, signed=True)}."
    )
    return names[chosen], net


def charts_section(history: list[Forecast], as_at: dt.date) -> None:
    """How the forecast moved, budget to outturn, and what changed since last period."""
    latest = history[-1]
    previous = history[-2] if len(history) > 1 else None
    st.subheader("How the forecast has moved")
    alternative = _alternative(history, as_at)
    st.plotly_chart(
        charts.trajectory_figure(history, as_at=as_at, alternative=alternative),
        key="budget_trajectory",
    )

    st.subheader("From budget to forecast outturn")
    st.plotly_chart(charts.budget_waterfall_figure(latest, as_at=as_at), key="budget_waterfall")

    if previous is not None:
        st.subheader("What changed since the previous period")
        st.plotly_chart(charts.bridge_figure(previous, latest, as_at=as_at), key="budget_bridge")
        st.caption(
            "More or fewer people, hours each and unit cost come from the care records; "
            "'actual spend against care records' is what the ledger shows beyond them."
        )


def drivers(latest: Forecast) -> None:
    """People x hours x unit cost of each care line, formatted for reading."""
    st.subheader("What drives the care lines")
    people = st.column_config.NumberColumn(format="%,.0f")
    st.dataframe(
        drivers_table(latest),
        hide_index=True,
        width="stretch",
        placeholder="n/a",
        column_config={
            "People in care at the period end": people,
            "Average people this year": people,
            "People the budget pays for": people,
            "Hours per person a week, year to date": st.column_config.NumberColumn(format="%.1f"),
            "Unit cost (£ an hour, or a week)": st.column_config.NumberColumn(format="£%,.2f"),
            "Cost per person a week": st.column_config.NumberColumn(format="£%,.0f"),
            "Care cost this year": MONEY_FORMAT,
        },
    )
    st.caption(
        "People the budget pays for: the line's budget divided by a year at today's cost per "
        "person. More people than that is the volume pressure."
    )


def lines(history: list[Forecast]) -> None:
    """The forecast by service line (money as whole pounds, the data unrounded), its CSV and
    Excel downloads and the Director's workbook."""
    latest = history[-1]
    st.subheader("Forecast by service line")
    table = lines_table(latest)
    config = {c: MONEY_FORMAT for c in table.columns if c in MONEY_COLUMNS}
    st.dataframe(table, hide_index=True, column_config=config, width="stretch")
    name = f"outturn_{latest.year.replace('/', '-')}_P{latest.period}"
    download_buttons(table, name, money_columns=MONEY_COLUMNS, key="budget_download")
    st.download_button(
        "Download the Director's workbook (Excel: forecast, trajectory, bridge, drivers)",
        director_workbook(history),
        file_name=f"{name}_workbook.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="budget_workbook",
        icon=":material/table_view:",
    )


def track_record(year: str, period: int) -> None:
    """The forecast's errors in complete years, period by period, as a chart and a table, with
    the sentence the Director needs: how close the forecast at this period has been."""
    st.subheader("How far to trust the forecast: its track record")
    record = forecasts.track_record(year)
    if record.is_empty():
        st.info(
            "No complete year (a budget and all twelve periods of the ledger) before "
            f"{year}, so the forecast has no track record yet and no range."
        )
        return
    by_period = record_by_period(record)
    here = by_period.filter(pl.col("period") == period)
    if not here.is_empty():
        st.markdown(
            f"At period {period} the forecast has been within "
            f"±{money(here['largest_error'][0])} of the final outturn in the "
            f"{here['years'][0]} complete year(s) before {year} (typically "
            f"±{money(here['typical_error'][0])})."
        )
    coverage = range_coverage(record)
    if coverage is not None:
        st.caption(
            f"Judged out of sample (each year's forecasts against a range built from the other "
            f"years only), the 80% range held the final outturn {coverage:.0%} of the time."
        )
    st.plotly_chart(charts.track_record_figure(record, year=year), key="budget_track_record")
    labels = [short_period_label(year, p) for p in by_period["period"]]
    shown = by_period.select(
        pl.Series("Period", labels, dtype=pl.String),
        (pl.col("typical_error") / 1e6).round(1).alias("Typical error (£m)"),
        (pl.col("largest_error") / 1e6).round(1).alias("Largest error (£m)"),
        pl.col("years").alias("Years"),
    )
    table_with_downloads(shown, "forecast_track_record", label="Track record by period (table)")
