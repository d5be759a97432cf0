"""The last section of the Hospital discharges page: delays in leaving hospital at the NHS
organisation chosen above (sitrep Tables 2, 3 and 5), and the reasons people stay."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand.models.discharges import (
    care_waits,
    criteria_note,
    reasons_note,
    still_in_hospital,
)
from ascdemand.ui.charts import delays as charts
from ascdemand.ui.common import friendly_errors
from ascdemand.ui.services import cached, discharges
from ascdemand.ui.widgets.downloads import table_with_downloads
from ascdemand.ui.widgets.pickers import Organisation

IMPORT_HELP = (
    "Import the NHS discharge sitrep on the Data page to see delays in leaving hospital: how "
    "many patients stay after they no longer need a hospital bed, for how long, and why (for "
    "example waiting for homecare, reablement or a care-home bed)."
)
LENGTH_NOTE = (
    "Each week the trust adds up, over the patients still in hospital after they were ready to "
    "leave, the days since they were ready: bed days lost. NHS England splits them by the "
    "patient's whole length of stay (7 days or more, 14 or more, 21 or more); the bands here "
    "are the differences. Stays under 7 days are not counted, and the sitrep gives no count of "
    "patients by days delayed."
)


@cached(shared=True, max_entries=32)
def _figures(level: str, code: str, name: str) -> dict[str, go.Figure]:
    """The delay charts of one organisation, for the tables it has figures in."""
    criteria = discharges.criteria_monthly(level, code)
    bed_days = discharges.delay_bed_days(level, code)
    reasons = discharges.delay_reasons(level, code)
    groups = discharges.delay_reason_groups(level, code)
    figures = {}
    if not criteria.is_empty():
        figures["criteria"] = charts.criteria_figure(criteria, name)
    if not bed_days.is_empty():
        figures["length"] = charts.delay_length_figure(bed_days, name)
    if not reasons.is_empty():
        figures["reasons"] = charts.reasons_figure(reasons, name)
        figures["reason_groups"] = charts.reason_groups_figure(groups, name)
    return figures


def delays(org: Organisation | None) -> None:
    """Headline figures, charts and tables of delays at `org` (nothing without a sitrep)."""
    st.header("Delays in leaving hospital")
    if not discharges.has_sitrep():
        st.info(IMPORT_HELP, icon=":material/upload_file:")
        return
    if org is None:
        return
    with friendly_errors("the NHS delay figures"):
        st.caption(
            f"{org.shown}, as chosen above. A patient is delayed when the clinical team says "
            "they no longer meet the criteria to reside (they no longer need an acute hospital "
            "bed) but they have not left. Waits for homecare, reablement and care-home beds "
            "(pathways 1 to 3) are where pressure on the council's services shows in hospital."
        )
        criteria = discharges.criteria_monthly(org.level, org.code)
        bed_days = discharges.delay_bed_days(org.level, org.code)
        reasons = discharges.delay_reasons(org.level, org.code)
        groups = discharges.delay_reason_groups(org.level, org.code)
        if criteria.is_empty() and bed_days.is_empty() and reasons.is_empty():
            st.info(
                f"The imported sitrep months hold no delay figures for {org.shown}. Import "
                "editions that include Tables 2, 3 and 5 on the Data page."
            )
        _headline(criteria, groups)
        _charts(org, criteria, bed_days, reasons, groups)


def _headline(criteria: pl.DataFrame, groups: pl.DataFrame) -> None:
    cols = st.columns(3)
    if not criteria.is_empty():
        now = still_in_hospital(criteria)
        cols[0].metric(
            f"Ready to leave, still in hospital, {now.month:%b %Y}",
            "not available" if now.per_day is None else f"{now.per_day:,.0f} a day",
            None if now.change is None else f"{now.change:+,.0f} on {now.previous_month:%b %Y}",
            delta_color="inverse",
            help="Average per day of patients who no longer met the criteria to reside and "
            "were not discharged that day.",
        )
        cols[1].metric(
            f"Discharged on the day ready, {now.month:%b %Y}",
            "not available" if now.discharged_share is None else f"{now.discharged_share:.0%}",
            help="Patients discharged on the day / patients no longer meeting the criteria "
            "to reside, over the month's reported days.",
        )
    care = care_waits(groups)
    if care is not None:
        cols[2].metric(
            f"Waiting 14+ days for care, {care.month:%b %Y}",
            f"{care.per_day:,.0f} a day",
            None if care.share is None else f"{care.share:.0%} of delays of 14+ days",
            delta_color="off",
            delta_arrow="off",
            help="People a day in hospital 14 days or more, delayed waiting for homecare or "
            "reablement (pathway 1), a rehabilitation bed (pathway 2) or a care-home bed "
            "(pathway 3); the share is of all the reasons reported.",
        )


def _charts(
    org: Organisation,
    criteria: pl.DataFrame,
    bed_days: pl.DataFrame,
    reasons: pl.DataFrame,
    groups: pl.DataFrame,
) -> None:
    figures = _figures(org.level, org.code, org.name)
    if not criteria.is_empty():
        st.plotly_chart(figures["criteria"], key="delays_criteria")
        st.caption(criteria_note(criteria))
        table_with_downloads(
            criteria,
            f"nhs_ready_to_leave_{org.code}",
            label="Patients ready to leave hospital, monthly (table)",
        )
    if not bed_days.is_empty():
        st.plotly_chart(figures["length"], key="delays_length")
        st.caption(LENGTH_NOTE)
        table_with_downloads(
            bed_days,
            f"nhs_delay_bed_days_{org.code}",
            label="Bed days after being ready to leave, by length of stay (table)",
        )
    if not reasons.is_empty():
        st.plotly_chart(charts.reasons_figure(reasons, org.name), key="delays_reasons")
        st.plotly_chart(charts.reason_groups_figure(groups, org.name), key="delays_reason_groups")
        st.caption(reasons_note(reasons))
        table_with_downloads(
            reasons,
            f"nhs_delay_reasons_{org.code}",
            label="Reasons for delay, monthly (table)",
        )
        table_with_downloads(
            groups,
            f"nhs_delay_reason_groups_{org.code}",
            label="Delays by group of reason, monthly (table)",
        )
