"""Cached queries and charts for the Hospital discharges page: the council's own discharges
and NHS England's discharge sitrep for a chosen ICB or acute trust."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from ascdemand.store import council_discharges
from ascdemand.store.sitrep import queries as sitrep_queries
from ascdemand.ui import common

PATHWAY_LABELS = {
    "P0": "P0: home, no new support",
    "P1": "P1: home with new support",
    "P2": "P2: short-term bed-based rehabilitation",
    "P3": "P3: new care-home placement",
}
PATHWAY_COLOURS = dict(zip(PATHWAY_LABELS, common.PALETTE, strict=False))
OUTCOME_LABELS = {
    "no_ongoing_package": "No ongoing package",
    "reablement": "Reablement",
    "homecare": "Homecare",
    "temporary_residential": "Temporary residential care",
    "permanent_residential": "Permanent residential care",
    "other": "Other",
}
ORG_LEVELS = {"icb": "Integrated care board", "trust": "Acute trust"}
SOURCE_COUNCIL = "council hospital-discharge extract"
SOURCE_SITREP = "NHS England, Acute Discharge Situation Report, Table 4"
IMPORT_HELP = (
    "No NHS discharge sitrep imported yet. Download the monthly *Acute Discharge Situation "
    "Report* workbooks (.xlsx) from NHS England's statistics pages, then run "
    "`ascdemand import-sitrep FILE...` (for example `ascdemand import-sitrep ~/Downloads/*.xlsx`). "
    "Each month is checked before anything is written; importing a month again replaces it."
)


@st.cache_data(show_spinner=False)
def outcomes_weekly(as_at: dt.date, districts: tuple[str, ...]) -> pl.DataFrame:
    """Council discharges per week by outcome."""
    with common.cursor() as cur:
        return council_discharges.weekly_by_outcome(cur, as_at, districts)


@st.cache_data(show_spinner=False)
def no_package_share(as_at: dt.date, districts: tuple[str, ...]) -> pl.DataFrame:
    """Council discharges per whole month and the share needing no ongoing package."""
    with common.cursor() as cur:
        return council_discharges.monthly_no_package_share(cur, as_at, districts)


@st.cache_data(show_spinner=False)
def council_monthly(as_at: dt.date, districts: tuple[str, ...]) -> pl.DataFrame:
    """Council discharges per whole month by pathway, with weekly equivalents."""
    with common.cursor() as cur:
        return council_discharges.monthly_by_pathway(cur, as_at, districts)


@st.cache_data(show_spinner=False)
def has_sitrep() -> bool:
    """True when the database exists and holds at least one imported sitrep month."""
    try:
        with common.cursor() as cur:
            return sitrep_queries.has_sitrep(cur)
    except FileNotFoundError:
        return False


@st.cache_data(show_spinner=False)
def organisations(org_type: str) -> pl.DataFrame:
    """ICBs or trusts in the imported sitrep, by name."""
    with common.cursor() as cur:
        return sitrep_queries.organisations(cur, org_type)


@st.cache_data(show_spinner=False)
def sitrep_monthly(org_type: str, org_code: str) -> pl.DataFrame:
    """One organisation's discharges per month by pathway, with weekly equivalents."""
    with common.cursor() as cur:
        return sitrep_queries.monthly_by_pathway(cur, org_type, org_code)


@st.cache_data(show_spinner=False)
def sitrep_months() -> pl.DataFrame:
    """Imported sitrep months and their source files."""
    with common.cursor() as cur:
        return sitrep_queries.imported_months(cur)


def recent_weekly_mean(frame: pl.DataFrame, column: str, weeks: int = 4) -> float:
    """Mean per week of `column` over the last `weeks` weeks of a weekly-by-pathway frame."""
    totals = frame.group_by("week_start").agg(pl.col(column).sum()).sort("week_start")
    return float(totals[column].tail(weeks).mean() or 0.0)


@dataclass(frozen=True, slots=True)
class LatestMonth:
    """An organisation's latest sitrep month: discharges per week, those on P1 to P3, and
    their share of all discharges (None when every cell was suppressed)."""

    month: dt.date
    per_week: float
    supported_per_week: float
    supported_share: float | None


def latest_month(frame: pl.DataFrame) -> LatestMonth:
    """The headline figures of the latest month of a monthly-by-pathway sitrep frame."""
    month = frame["month"].max()
    latest = frame.filter(pl.col("month") == month)
    supported = latest.filter(pl.col("pathway") != "P0")
    total = latest["patients"].sum()
    return LatestMonth(
        month=month,
        per_week=float(latest["weekly_patients"].sum()),
        supported_per_week=float(supported["weekly_patients"].sum()),
        supported_share=supported["patients"].sum() / total if total else None,
    )


def default_org(org_type: str) -> str | None:
    """The organisation shown first at a sitrep level: the council's care board or its main
    trust, from the council profile."""
    council = common.profile()
    return {"icb": council.icb or None, "trust": council.default_trust}.get(org_type)


def pre_pandemic_share(share: pl.DataFrame, pandemic_start: dt.date) -> float | None:
    """Share of discharges with no ongoing package over the months before the pandemic
    (pooled: all such discharges / all discharges), or None without pre-pandemic months."""
    before = share.filter(pl.col("month") < pandemic_start)
    if before.is_empty():
        return None
    return before["no_ongoing_package"].sum() / before["discharges"].sum()


def pathway_mix(frame: pl.DataFrame, months: int = 12) -> pl.DataFrame:
    """Share of each supported pathway (P1 to P3) over the last `months` months of a monthly
    frame (`month`, `pathway`, `patients`); P0 is left out as it needs no new care.

    Returns:
        `pathway`, `patients`, `share` (of P1 to P3), one row per pathway present.
    """
    recent = frame.filter(pl.col("month") >= pl.col("month").unique().sort().tail(months).min())
    supported = (
        recent.filter(pl.col("pathway") != "P0")
        .group_by("pathway")
        .agg(pl.col("patients").sum())
        .sort("pathway")
    )
    total = supported["patients"].sum()
    return supported.with_columns(share=pl.col("patients") / total if total else None)


_KEEP_CASE = {"NHS", "ICB"}
_SMALL_WORDS = {"And", "Of", "The", "For", "In", "On"}


def display_name(name: str) -> str:
    """An NHS organisation's upper-case name in title case, keeping acronyms, with "Integrated
    Care Board" shortened to ICB: "NHS BATH AND NORTH EAST SOMERSET, ... INTEGRATED CARE BOARD"
    reads "NHS Bath and North East Somerset, ... ICB"."""
    words = []
    for i, word in enumerate(name.replace("INTEGRATED CARE BOARD", "ICB").split()):
        bare = word.strip(",()")
        if bare.upper() in _KEEP_CASE:
            words.append(word.upper())
        else:
            titled = word.capitalize()
            words.append(titled.lower() if i and titled in _SMALL_WORDS else titled)
    return " ".join(words)


def from_first_activity(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Drop the empty weeks before the first week with any `column` (the calendar can start
    years before the discharge extract does)."""
    active = frame.filter(pl.col(column) > 0)
    if active.is_empty():
        return frame
    return frame.filter(pl.col("week_start") >= active["week_start"].min())


def _legend_right(fig: go.Figure) -> go.Figure:
    """A vertical legend right of the plot, so long labels never run over the title."""
    fig.update_layout(
        legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1, "yanchor": "top"},
        margin={"r": 230},
    )
    return fig


def _add_stack(
    fig: go.Figure,
    frame: pl.DataFrame,
    x: str,
    y: str,
    series: str,
    labels: dict[str, str],
    **where: object,
) -> None:
    for i, (key, label) in enumerate(labels.items()):
        part = frame.filter(pl.col(series) == key)
        if part.is_empty():
            continue
        fig.add_bar(
            x=part[x],
            y=part[y],
            name=label,
            legendgroup=key,
            marker_color=PATHWAY_COLOURS.get(key, common.PALETTE[i % len(common.PALETTE)]),
            hovertemplate="%{y:,.0f}",
            **where,
        )


def pathway_weekly_figure(frame: pl.DataFrame) -> go.Figure:
    """Council discharges per week, stacked by pathway."""
    fig = go.Figure()
    _add_stack(fig, frame, "week_start", "discharges", "pathway", PATHWAY_LABELS)
    fig.update_layout(barmode="stack", bargap=0)
    fig = common.style_figure(
        fig,
        title="Hospital discharges referred to the council per week, by pathway",
        y_title="Discharges per week",
        x_title="Week starting",
        source=SOURCE_COUNCIL,
    )
    return _legend_right(fig)


def outcome_weekly_figure(frame: pl.DataFrame) -> go.Figure:
    """Council discharges per week, stacked by what followed."""
    fig = go.Figure()
    _add_stack(fig, frame, "week_start", "discharges", "outcome", OUTCOME_LABELS)
    fig.update_layout(barmode="stack", bargap=0)
    fig = common.style_figure(
        fig,
        title="Hospital discharges per week, by what support followed",
        y_title="Discharges per week",
        x_title="Week starting",
        source=SOURCE_COUNCIL,
    )
    return _legend_right(fig)


def no_package_figure(frame: pl.DataFrame, pandemic_start: dt.date) -> go.Figure:
    """Monthly share of discharges with no ongoing package, and the pre-pandemic average."""
    fig = go.Figure()
    fig.add_scatter(
        x=frame["month"],
        y=frame["share"],
        mode="lines+markers",
        name="Share with no ongoing package",
        hovertemplate="%{y:.1%}",
    )
    baseline = pre_pandemic_share(frame, pandemic_start)
    if baseline is not None:
        fig.add_hline(
            y=baseline,
            line_dash="dash",
            line_color=common.PALETTE[1],
            annotation_text=f"Before the pandemic: {baseline:.0%}",
            annotation_position="top left",
        )
    fig = common.style_figure(
        fig,
        title="Hospital discharges with no ongoing package, % of discharges each month",
        y_title="Share of discharges",
        x_title="Month",
        source=SOURCE_COUNCIL,
    )
    fig.update_yaxes(tickformat=".0%")
    fig.update_layout(showlegend=False)
    return fig


def sitrep_figure(frame: pl.DataFrame, org_name: str, *, weekly: bool) -> go.Figure:
    """An organisation's discharges by pathway each month, per week or per month."""
    column = "weekly_patients" if weekly else "patients"
    fig = go.Figure()
    _add_stack(fig, frame, "month", column, "pathway", PATHWAY_LABELS)
    fig.update_layout(barmode="stack", bargap=0.15)
    unit = "per week" if weekly else "per month"
    fig = common.style_figure(
        fig,
        title=f"{display_name(org_name)}: patients discharged {unit}, by pathway",
        y_title="Patients per week" if weekly else "Patients per month",
        x_title="Month",
        source=SOURCE_SITREP,
        dated=False,
    )
    return _legend_right(fig)


def side_by_side_figure(council: pl.DataFrame, nhs: pl.DataFrame, org_name: str) -> go.Figure:
    """Discharges per week by pathway, monthly: the council (left) and the NHS organisation
    (right), each on its own scale, with one legend."""
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("Council", display_name(org_name)),
        horizontal_spacing=0.1,
    )
    _add_stack(fig, council, "month", "weekly_patients", "pathway", PATHWAY_LABELS, row=1, col=1)
    _add_stack(fig, nhs, "month", "weekly_patients", "pathway", PATHWAY_LABELS, row=1, col=2)
    seen: set[str] = set()
    for trace in fig.data:
        trace.showlegend = trace.legendgroup not in seen
        seen.add(trace.legendgroup)
    fig.update_layout(barmode="stack", bargap=0.15)
    fig = common.style_figure(
        fig,
        title="Discharges per week by pathway, monthly average: council and NHS side by side",
        y_title="Patients per week",
        x_title="",
        source=f"{SOURCE_COUNCIL}; {SOURCE_SITREP}",
    )
    fig.update_yaxes(title_text="", row=1, col=2)
    return _legend_right(fig)


def mix_table(council: pl.DataFrame, nhs: pl.DataFrame, nhs_name: str) -> pl.DataFrame:
    """Council and NHS shares of P1 to P3 side by side, each over its own latest 12 months."""
    labels = pl.DataFrame(
        {"pathway": list(PATHWAY_LABELS)[1:], "Pathway": list(PATHWAY_LABELS.values())[1:]}
    )
    council_mix = pathway_mix(council).select("pathway", pl.col("share").alias("Council"))
    nhs_mix = pathway_mix(nhs).select("pathway", pl.col("share").alias(display_name(nhs_name)))
    return (
        labels.join(council_mix, on="pathway", how="left")
        .join(nhs_mix, on="pathway", how="left")
        .drop("pathway")
    )


# --- Delays in leaving hospital (sitrep Tables 2, 3 and 5) --------------------------------------

SOURCE_DELAYS = "NHS England, Discharge delays (acute) sitrep"
DELAYS_IMPORT_HELP = (
    "Import the NHS discharge sitrep on the Data page to see delays in leaving hospital: how "
    "many patients stay after they no longer need a hospital bed, for how long, and why (for "
    "example waiting for homecare, reablement or a care-home bed)."
)
DELAY_LENGTH_NOTE = (
    "Each week the trust adds up, over the patients still in hospital after they were ready to "
    "leave, the days since they were ready: bed days lost. NHS England splits them by the "
    "patient's whole length of stay (7 days or more, 14 or more, 21 or more); the bands here "
    "are the differences. Stays under 7 days are not counted, and the sitrep gives no count of "
    "patients by days delayed."
)
REASON_GROUP_COLOURS = {
    sitrep_queries.CARE_AFTER_HOSPITAL: "#D55E00",  # vermillion: the council's side stands out
    sitrep_queries.COMMUNITY_SERVICES: "#E69F00",
    sitrep_queries.HOSPITAL_TASKS: "#0072B2",
    sitrep_queries.OTHER_REASONS: "#999999",
}


@st.cache_data(show_spinner=False)
def criteria_monthly(org_type: str, org_code: str) -> pl.DataFrame:
    """Patients no longer meeting the criteria to reside, daily averages per month (Table 2)."""
    with common.cursor() as cur:
        return sitrep_queries.criteria_to_reside_monthly(cur, org_type, org_code)


@st.cache_data(show_spinner=False)
def delay_bed_days(org_type: str, org_code: str) -> pl.DataFrame:
    """Bed days after being ready to leave, by length of stay, per month (Table 3)."""
    with common.cursor() as cur:
        return sitrep_queries.delay_bed_days_by_stay(cur, org_type, org_code)


@st.cache_data(show_spinner=False)
def delay_reasons(org_type: str, org_code: str) -> pl.DataFrame:
    """Reasons for delays of patients in hospital 14 days or more, per month (Table 5)."""
    with common.cursor() as cur:
        return sitrep_queries.delay_reasons(cur, org_type, org_code)


@st.cache_data(show_spinner=False)
def delay_reason_groups(org_type: str, org_code: str) -> pl.DataFrame:
    """Delayed people per day by group of reason, per month (Table 5)."""
    with common.cursor() as cur:
        return sitrep_queries.delay_reason_groups(cur, org_type, org_code)


def latest(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows of a monthly frame's latest month."""
    return frame.filter(pl.col("month") == pl.col("month").max())


@dataclass(frozen=True, slots=True)
class StillInHospital:
    """The latest month of Table 2: patients still in hospital each day after no longer meeting
    the criteria to reside, the change on the month before, and the share discharged that day."""

    month: dt.date
    per_day: float | None
    previous_month: dt.date | None
    change: float | None
    discharged_share: float | None


def still_in_hospital(criteria: pl.DataFrame) -> StillInHospital:
    """Headline figures from a non-empty `criteria_monthly` frame."""
    last = criteria.row(-1, named=True)
    before = criteria.row(-2, named=True) if criteria.height > 1 else None
    change = None
    if before is not None and None not in (last["remaining_per_day"], before["remaining_per_day"]):
        change = last["remaining_per_day"] - before["remaining_per_day"]
    return StillInHospital(
        month=last["month"],
        per_day=last["remaining_per_day"],
        previous_month=before["month"] if before else None,
        change=change,
        discharged_share=last["discharged_share"],
    )


@dataclass(frozen=True, slots=True)
class CareWaits:
    """People a day delayed 14+ days waiting for care after hospital (pathways 1 to 3) in the
    latest month, and their share of all the reasons reported (None if nothing was)."""

    month: dt.date
    per_day: float
    share: float | None


def care_waits(groups: pl.DataFrame) -> CareWaits | None:
    """The latest month's waits for care after hospital from `delay_reason_groups`, or None when
    that month has no such figure."""
    care = latest(groups).filter(pl.col("reason_group") == sitrep_queries.CARE_AFTER_HOSPITAL)
    if care.is_empty() or care["average_patients"][0] is None:
        return None
    return CareWaits(care["month"][0], care["average_patients"][0], care["share"][0])


def criteria_note(criteria: pl.DataFrame) -> str:
    """How the daily counts were averaged, and why there is no share of beds."""
    last = criteria.row(-1, named=True)
    return (
        f"Daily counts averaged over each month's reported days ({last['days_reported']} of "
        f"{last['days_in_month']} in {last['month']:%B %Y}). The sitrep does not count occupied "
        "beds, so delays are shown as patients, not as a share of beds."
    )


def reasons_note(reasons: pl.DataFrame) -> str:
    """What the reasons charts count, and which reasons NHS England did not publish for the
    organisation in the latest month."""
    hidden = latest(reasons).filter(pl.col("average_patients").is_null())["label"].to_list()
    note = (
        "Patients in hospital 14 days or more who were ready to leave, by the reason they "
        "stayed: the average of the month's weekly snapshots. Pathway 1 is care at home "
        "(homecare or reablement), pathway 2 a short-term rehabilitation bed, pathway 3 a "
        "care-home bed."
    )
    if hidden:
        note += " Not published for trusts and integrated care boards: "
        note += "; ".join(label.lower() for label in hidden) + "."
    return note


def _months_note(frame: pl.DataFrame) -> str:
    first, last = frame["month"].min(), frame["month"].max()
    return f"{last:%B %Y}" if first == last else f"{first:%B %Y} to {last:%B %Y}"


def criteria_figure(frame: pl.DataFrame, org_name: str) -> go.Figure:
    """Patients no longer meeting the criteria to reside, average per day each month: those still
    in hospital at the end of the day (below) and those discharged that day (above)."""
    fig = go.Figure()
    fig.add_bar(
        x=frame["month"],
        y=frame["remaining_per_day"],
        name="Still in hospital at the end of the day",
        marker_color="#D55E00",
        hovertemplate="%{y:,.0f}",
    )
    fig.add_bar(
        x=frame["month"],
        y=frame["discharged_per_day"],
        name="Discharged the same day",
        marker_color="#0072B2",
        hovertemplate="%{y:,.0f}",
    )
    fig.update_layout(barmode="stack", bargap=0.15)
    fig = common.style_figure(
        fig,
        title=f"{display_name(org_name)}: patients ready to leave hospital, average per day",
        y_title="Patients per day",
        x_title="Month",
        source=f"{SOURCE_DELAYS}, {_months_note(frame)} (Table 2)",
        dated=False,
    )
    return _legend_right(fig)


def delay_length_figure(frame: pl.DataFrame, org_name: str) -> go.Figure:
    """Bed days after being ready to leave, by length of stay: the latest month, beside the same
    month a year before when it was imported."""
    month = frame["month"].max()
    year_before = month.replace(year=month.year - 1)
    fig = go.Figure()
    for when, colour in ((year_before, "#56B4E9"), (month, "#D55E00")):
        part = frame.filter(pl.col("month") == when)
        if part.is_empty():
            continue
        fig.add_bar(
            x=part["stay"],
            y=part["bed_days"],
            name=f"{when:%B %Y}",
            marker_color=colour,
            text=part["bed_days"],
            texttemplate="%{text:,.0f}",
            textposition="outside",
            hovertemplate="%{y:,.0f}",
        )
    fig.update_layout(barmode="group", bargap=0.3)
    fig = common.style_figure(
        fig,
        title=(
            f"{display_name(org_name)}: bed days used after patients were ready to leave, "
            f"by length of stay, {month:%B %Y}"
        ),
        y_title="Bed days (average weekly snapshot)",
        x_title="Patient's length of stay in hospital",
        source=f"{SOURCE_DELAYS}, {month:%B %Y} (Table 3)",
        dated=False,
    )
    fig.update_yaxes(rangemode="tozero", range=[0, float(frame["bed_days"].max() or 0) * 1.15])
    return fig


def reasons_figure(frame: pl.DataFrame, org_name: str) -> go.Figure:
    """The latest month's reasons for delay as horizontal bars, coloured by group, the group of
    care after hospital (pathways 1 to 3) first; reasons not published are left out."""
    month = frame["month"].max()
    shown = latest(frame).filter(pl.col("average_patients").is_not_null())
    fig = go.Figure()
    for group, colour in REASON_GROUP_COLOURS.items():
        part = shown.filter(pl.col("reason_group") == group)
        if part.is_empty():
            continue
        fig.add_bar(
            x=part["average_patients"],
            y=part["label"],
            orientation="h",
            name=group,
            marker_color=colour,
            text=part["average_patients"],
            texttemplate="%{text:,.1f}",
            textposition="outside",
            hovertemplate="%{x:,.1f} a day<extra>%{fullData.name}</extra>",
        )
    fig = common.style_figure(
        fig,
        title=(
            f"{display_name(org_name)}: why patients in hospital 14 days or more were "
            f"still there, {month:%B %Y}"
        ),
        y_title="",
        x_title="People per day (average of weekly snapshots)",
        source=f"{SOURCE_DELAYS}, {month:%B %Y} (Table 5)",
        dated=False,
        height=200 + 30 * shown.height,
    )
    fig.update_yaxes(
        categoryorder="array", categoryarray=shown["label"].reverse().to_list(), automargin=True
    )
    fig.update_xaxes(range=[0, float(shown["average_patients"].max() or 0) * 1.15])
    fig.update_layout(hovermode="closest")
    return _legend_right(fig)


def reason_groups_figure(frame: pl.DataFrame, org_name: str) -> go.Figure:
    """People in hospital 14 days or more and delayed, per day each month, by group of reason."""
    fig = go.Figure()
    for group, colour in REASON_GROUP_COLOURS.items():
        part = frame.filter(pl.col("reason_group") == group)
        if part.is_empty():
            continue
        fig.add_scatter(
            x=part["month"],
            y=part["average_patients"],
            mode="lines+markers",
            name=group,
            line={
                "color": colour,
                "width": 3 if group == sitrep_queries.CARE_AFTER_HOSPITAL else 2,
            },
            hovertemplate="%{y:,.1f}",
        )
    fig = common.style_figure(
        fig,
        title=(
            f"{display_name(org_name)}: delayed patients in hospital 14 days or more, "
            "by reason, people per day"
        ),
        y_title="People per day",
        x_title="Month",
        source=f"{SOURCE_DELAYS}, {_months_note(frame)} (Table 5)",
        dated=False,
    )
    return _legend_right(fig)
