"""Budget and outturn: where the year will end against budget, how the forecast moved, and why."""

import streamlit as st

from ascdemand.models.budget.outturn import position
from ascdemand.ui import budget, common

common.require_app()
st.title("Budget and outturn")
st.caption(
    f"The year-end forecast for the whole {common.escape_markdown(common.profile().department)} "
    "budget: spending lines "
    "positive, income negative. Actuals come from the finance ledger; the rest of the year "
    "from the people in care at the period end, recent demand and income. Budget figures are "
    "department-wide, so the district and client-group filters do not apply here."
)
common.stop_if_no_data()

years = budget.years()
if not years:
    st.info("No budget or ledger loaded yet: load `budget_lines` and `ledger` on the Data page.")
    st.stop()
default_year, default_period = budget.default_choice(common.current_filters().as_at, years)
left, right = st.columns([1, 3])
year = left.selectbox("Financial year", years, index=years.index(default_year), key="budget_year")
last = budget.last_period(year)
if last == 0:
    st.info(f"The ledger has no actuals for {year} yet, so there is nothing to forecast from.")
    st.stop()
period = right.select_slider(
    "Forecast as at the end of",
    options=list(range(1, last + 1)),
    value=default_period if year == default_year and default_period <= last else last,
    format_func=lambda p: budget.period_label(year, p),
    key="budget_period",
)

with st.expander("How this forecast is made"):
    st.markdown(budget.METHOD_NOTE)

with common.friendly_errors("the budget forecast"):
    history = budget.forecasts(year, period)
    latest = history[-1]
    previous = history[-2] if len(history) > 1 else None

    budget.headline(latest, previous)
    st.markdown(budget.summary_sentence(latest, previous))
    st.caption(budget.non_recurrent_note(position(latest.lines)))

    st.subheader("How the forecast has moved")
    st.plotly_chart(budget.trajectory_figure(history), key="budget_trajectory")

    st.subheader("From budget to forecast outturn")
    st.plotly_chart(budget.budget_waterfall_figure(latest), key="budget_waterfall")

    if previous is not None:
        st.subheader("What changed since the previous period")
        st.plotly_chart(budget.bridge_figure(previous, latest), key="budget_bridge")
        st.caption(
            "More or fewer people, hours each and unit cost come from the care records; "
            "'actual spend against care records' is what the ledger shows beyond them."
        )

    st.subheader("What drives the care lines")
    budget.show_drivers_table(budget.drivers_table(latest))
    st.caption(
        "People the budget pays for: the line's budget divided by a year at today's cost per "
        "person. More people than that is the volume pressure."
    )

    st.subheader("Forecast by service line")
    table = budget.lines_table(latest)
    budget.show_money_table(table)
    name = f"outturn_{year.replace('/', '-')}_P{period}"
    common.download_buttons(table, name, money_columns=budget.MONEY_COLUMNS, key="budget_download")
    st.download_button(
        "Download the Director's workbook (Excel: forecast, trajectory, bridge, drivers)",
        budget.director_workbook(history),
        file_name=f"{name}_workbook.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="budget_workbook",
        icon=":material/table_view:",
    )
