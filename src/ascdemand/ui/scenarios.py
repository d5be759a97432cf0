"""The scenarios page's machinery: the calibrated baseline, cached model runs, the widget state
of one scenario, saved scenarios, and the band charts.

Cached functions take scalars and JSON text (never frames or parameter objects) so their keys
stay cheap; a scenario travels as its parameters' JSON.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import duckdb
import plotly.graph_objects as go
import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ascdemand import settings
from ascdemand.models.scenario.calibrate import (
    Calibration,
    CalibrationInputs,
    calibrate,
    fit_errors,
    fit_history,
    with_sitrep_volumes,
)
from ascdemand.models.scenario.compare import differences
from ascdemand.models.scenario.engine import Trajectory
from ascdemand.models.scenario.montecarlo import bands, run_many
from ascdemand.models.scenario.params import (
    DESTINATION_LABELS,
    DESTINATIONS,
    SOURCE_LABELS,
    SOURCES,
    ScenarioParams,
    numeric_fields,
)
from ascdemand.models.scenario.presets import PRESETS_BY_NAME
from ascdemand.store import audit, scenario_inputs, scenarios, writer
from ascdemand.store.sitrep import queries as sitrep_queries
from ascdemand.ui import auth, common

log = logging.getLogger(__name__)

SOURCE = "ascdemand discharge scenario model, calibrated on the council's extracts"
BASELINE = "Baseline"
KEY = "sc_"  # prefix of every widget key of the scenario controls
CHARTS = {
    "homecare_hours": ("Homecare hours a week", "Hours a week"),
    "temporary": ("People in temporary residential care", "People"),
    "cumulative_spend": ("Spend since the start of the scenario", "£"),
}
FIT_LABELS = {
    "homecare": "People in homecare",
    "homecare_hours": "Homecare hours a week",
    "reablement": "People in reablement",
    "temporary": "People in temporary residential care",
    "permanent": "People in permanent residential care",
}


@dataclass(frozen=True, slots=True)
class Control:
    """One scenario input on the page: shown times `scale` (100 for shares, shown as %)."""

    name: str
    step: float
    scale: float = 1.0

    @property
    def key(self) -> str:
        return KEY + self.name

    @property
    def format(self) -> str:
        """Whole numbers for whole steps, else one decimal place."""
        return "%.0f" if self.step >= 1 else "%.1f"

    @property
    def label(self) -> str:
        meta = ScenarioParams.__dataclass_fields__[self.name].metadata
        unit = "%" if self.scale == 100 else meta["unit"]
        return f"{meta['label']} ({unit})"

    @property
    def bounds(self) -> tuple[float, float]:
        meta = ScenarioParams.__dataclass_fields__[self.name].metadata
        return float(meta["min"] * self.scale), float(meta["max"] * self.scale)

    def number_input(self, where: DeltaGenerator) -> None:
        """Draw this control's number box in `where` (a column or container), bound to its key."""
        low, high = self.bounds
        where.number_input(
            self.label,
            min_value=low,
            max_value=high,
            step=self.step,
            format=self.format,
            key=self.key,
        )


# The levers commissioners move most, grouped as on the page; every other number is in
# "More assumptions".
MAIN_CONTROLS: dict[str, tuple[Control, ...]] = {
    "Hospital discharges": (
        Control("discharges_per_week", 1.0),
        Control("share_p0", 1.0, 100),
        Control("share_p1", 1.0, 100),
        Control("share_p2", 1.0, 100),
        Control("share_p3", 1.0, 100),
    ),
    "Reablement and homecare": (
        Control("reablement_starts_per_week", 1.0),
        Control("reablement_independent_share", 1.0, 100),
        Control("homecare_capacity_hours", 100.0),
        Control("hours_per_person", 0.1),
    ),
    "Care homes and costs": (
        Control("temporary_weeks", 0.5),
        Control("homecare_hourly_rate", 0.1),
        Control("residential_weekly_rate", 5.0),
        Control("additional_payment_share", 1.0, 100),
        Control("additional_payment_weekly", 5.0),
    ),
}
_MAIN_NAMES = {c.name for group in MAIN_CONTROLS.values() for c in group}
_SKIP = {"opening_homecare", "opening_reablement", "opening_temporary", "opening_permanent"}
MORE_CONTROLS = tuple(
    Control(f.name, 1.0, 100 if f.metadata["unit"] == "share" else 1)
    for f in numeric_fields()
    if f.name not in _MAIN_NAMES | _SKIP
)
ALL_CONTROLS = (*(c for group in MAIN_CONTROLS.values() for c in group), *MORE_CONTROLS)
ALL_KEYS = tuple(c.key for c in ALL_CONTROLS)


# --- baseline -------------------------------------------------------------------------------


@st.cache_data(show_spinner="Estimating the baseline from the extracts...", max_entries=8)
def _calibration(version: str | None, weeks: int, as_at: dt.date) -> Calibration:
    with common.cursor() as cur:
        inputs = scenario_inputs.calibration_inputs(cur, weeks, as_at)
    return calibrate(CalibrationInputs(**inputs))


def calibration(weeks: int, as_at: dt.date) -> Calibration | None:
    """The baseline estimated from the `weeks` weeks to `as_at`; None without discharges."""
    if not common.has_data():
        return None
    try:
        return _calibration(common.data_version(), weeks, as_at)
    except ValueError:
        return None


RESIDENT_SHARE_HELP = (
    "A trust or care board discharges people from neighbouring areas too. The default is the "
    "share set in the council profile (resident_share)."
)


def default_sitrep_choice(choices: list[str]) -> int:
    """Index of the organisation to start with: the council's main trust, else its care board
    (both from the council profile), else the first."""
    council = common.profile()
    for choice in (f"trust:{council.default_trust}", f"icb:{council.icb}"):
        if choice in choices:
            return choices.index(choice)
    return 0


def default_resident_percent() -> float:
    """The profile's share of the care board's discharges living in the council's area, in %."""
    return round(common.profile().resident_share * 100, 1)


def no_baseline_message(weeks: int, as_at: dt.date) -> str:
    """Why the baseline is the built-in one: no data at all, or none in the window."""
    fallback = (
        "the baseline uses built-in values resembling a large county in autumn 2021 (the "
        "pressures of the 2021 report that ascdemand was first built to reproduce)."
    )
    if not common.has_data():
        return (
            f"No discharge data loaded, so {fallback} Load extracts on the **Data** page to "
            "estimate it."
        )
    return (
        f"No discharges are recorded in the {weeks} weeks to {as_at:%d %B %Y}, so {fallback} "
        "Choose an earlier as-at date in the sidebar."
    )


@st.cache_data(show_spinner=False)
def _sitrep_organisations(version: str | None) -> pl.DataFrame:
    # has_sitrep leaves its result open (fetchone), so each query takes its own cursor
    try:
        with common.cursor() as cur:
            if not sitrep_queries.has_sitrep(cur):
                return pl.DataFrame()
    except duckdb.CatalogException:
        return pl.DataFrame()
    frames = []
    for kind in ("trust", "icb"):
        with common.cursor() as cur:
            orgs = sitrep_queries.organisations(cur, kind)
        frames.append(orgs.with_columns(org_type=pl.lit(kind)))
    return pl.concat(frames).select("org_type", "org_code", "org_name")


def sitrep_organisations() -> pl.DataFrame:
    """Trusts and care boards in the imported NHS discharge sitrep (empty when none)."""
    if not common.has_data():
        return pl.DataFrame()
    return _sitrep_organisations(common.data_version())


@st.cache_data(show_spinner=False)
def _sitrep_monthly(version: str | None, org_type: str, org: str) -> pl.DataFrame:
    with common.cursor() as cur:
        return sitrep_queries.monthly_by_pathway(cur, org_type, org)


def with_sitrep(
    baseline: ScenarioParams, org_type: str, org: str, months: int, resident_share: float
) -> tuple[ScenarioParams, str]:
    """The baseline with P1-P3 volumes from the sitrep of one trust or care board."""
    monthly = _sitrep_monthly(common.data_version(), org_type, org)
    return with_sitrep_volumes(baseline, monthly, months=months, resident_share=resident_share)


def notes_table(cal: Calibration) -> pl.DataFrame:
    """Each baseline value with its label, unit and how it was obtained."""
    rows = []
    for f in numeric_fields():
        rows.append(
            (
                f.metadata["label"],
                float(getattr(cal.params, f.name)),
                f.metadata["unit"],
                cal.notes.get(f.name, ""),
            )
        )
    return pl.DataFrame(
        rows, schema=["Parameter", "Value", "Unit", "How it was obtained"], orient="row"
    )


def routes_table(params: ScenarioParams) -> pl.DataFrame:
    """Where people on each pathway go, as percentages, with plain-English labels."""
    data = {"From": [SOURCE_LABELS[s] for s in SOURCES]}
    for j, dest in enumerate(DESTINATIONS):
        data[DESTINATION_LABELS[dest] + " (%)"] = [round(100 * row[j], 1) for row in params.routes]
    return pl.DataFrame(data)


def fit(cal: Calibration) -> tuple[pl.DataFrame, dict[str, float]]:
    """The fit to history and its mean absolute percentage errors."""
    frame = fit_history(cal)
    return frame, fit_errors(frame)


def fit_figure(frame: pl.DataFrame, series: str) -> go.Figure:
    """Observed against modelled for one series over the calibration window."""
    part = frame.filter(pl.col("series") == series)
    fig = go.Figure()
    fig.add_scatter(x=part["week_start"], y=part["observed"], name="Recorded", mode="lines+markers")
    fig.add_scatter(x=part["week_start"], y=part["modelled"], name="Model", line={"dash": "dash"})
    return common.style_figure(
        fig,
        title=f"{FIT_LABELS[series]}: recorded and reproduced by the model",
        y_title=FIT_LABELS[series],
        source="council extracts; model run from the first Monday with the recorded discharges",
        height=340,
    )


# --- the scenario in the widgets --------------------------------------------------------------


# One input that is not a parameter of its own: the split of P1 discharges needing support
# between reablement and straight-to-homecare (row P1 of the routes).
P1_REABLEMENT_KEY = KEY + "p1_reablement"
P1_REABLEMENT_LABEL = "P1 (home with new support) discharges offered reablement first (%)"


def p1_reablement_percent(routes: tuple[tuple[float, ...], ...]) -> float:
    """Of P1 discharges going to reablement or homecare, the percentage going to reablement."""
    support = routes[1][1] + routes[1][2]
    return 100.0 * routes[1][1] / support if support > 0 else 0.0


def with_p1_reablement(
    routes: tuple[tuple[float, ...], ...], percent: float
) -> tuple[tuple[float, ...], ...]:
    """Routes with P1's reablement and homecare shares re-split at `percent` to reablement."""
    row = list(routes[1])
    support = row[1] + row[2]
    row[1], row[2] = support * percent / 100.0, support * (1.0 - percent / 100.0)
    return (routes[0], tuple(row), *routes[2:])


def set_widgets(params: ScenarioParams) -> None:
    """Write `params` into the widgets' session state (also from button callbacks)."""
    for control in ALL_CONTROLS:
        st.session_state[control.key] = round(getattr(params, control.name) * control.scale, 6)
    st.session_state[KEY + "routes"] = params.routes
    st.session_state[P1_REABLEMENT_KEY] = round(p1_reablement_percent(params.routes), 6)


def sync_baseline(baseline: ScenarioParams) -> None:
    """Reset the widgets to the baseline when it changes (new data, window or as-at date), and
    restore the last scenario when coming back from another page (Streamlit forgets the state
    of widgets that a run did not draw)."""
    if st.session_state.get(KEY + "baseline") != baseline.to_json():
        st.session_state[KEY + "baseline"] = baseline.to_json()
        set_widgets(baseline)
    elif any(key not in st.session_state for key in (*ALL_KEYS, P1_REABLEMENT_KEY)):
        kept = st.session_state.get(KEY + "current")
        set_widgets(ScenarioParams.from_json(kept) if kept else baseline)


def widget_params(baseline: ScenarioParams) -> ScenarioParams:
    """The scenario the widgets describe; the pathway mix is scaled to add up to 100%.

    Raises:
        ValueError: A value out of range (the message names the parameter).
    """
    values = {c.name: float(st.session_state[c.key]) / c.scale for c in ALL_CONTROLS}
    mix = [values[f"share_p{i}"] for i in range(4)]
    total = sum(mix)
    if total <= 0:
        raise ValueError("The pathway mix must have at least one pathway above 0%.")
    for i, share in enumerate(mix):
        values[f"share_p{i}"] = share / total
    routes = with_p1_reablement(
        st.session_state.get(KEY + "routes", baseline.routes),
        float(st.session_state.get(P1_REABLEMENT_KEY, p1_reablement_percent(baseline.routes))),
    )
    params = baseline.replace(routes=routes, **values)
    st.session_state[KEY + "current"] = params.to_json()
    return params


def apply_preset(name: str, baseline: ScenarioParams) -> None:
    """Button callback: apply a preset to the scenario now in the widgets."""
    try:
        current = widget_params(baseline)
    except ValueError:
        current = baseline
    set_widgets(PRESETS_BY_NAME[name].apply(current))


def reset(baseline: ScenarioParams) -> None:
    """Button callback: back to the baseline."""
    set_widgets(baseline)


def changes_against(baseline: ScenarioParams, params: ScenarioParams) -> dict[str, object]:
    """The parameters where `params` differs from `baseline` (what a saved scenario holds);
    differences within a millionth are the widgets' rounding, not changes."""
    mine, theirs = params.to_dict(), baseline.to_dict()
    return {
        k: v
        for k, v in mine.items()
        if k != "start_date" and not k.startswith("opening_") and not _same(v, theirs[k])
    }


def _same(a: object, b: object) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-6 * max(1.0, abs(b))
    return a == b


# --- model runs -------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=12)
def _trajectory(params_json: str, weeks: int, runs: int, seed: int) -> Trajectory:
    return run_many(ScenarioParams.from_json(params_json), weeks, runs=runs, seed=seed)


def trajectory(params: ScenarioParams, weeks: int, runs: int, seed: int) -> Trajectory:
    """Monte Carlo runs of a scenario (cached by its parameters, horizon, runs and seed)."""
    return _trajectory(params.to_json(), weeks, runs, seed)


def comparison_table(runs: dict[str, Trajectory]) -> pl.DataFrame:
    """Differences of every scenario from the baseline, in plain-English columns."""
    table = differences(runs[BASELINE], {k: v for k, v in runs.items() if k != BASELINE})
    return table.rename(
        {
            "scenario": "Scenario",
            "measure": "Measure",
            "at": "When",
            "baseline": "Baseline",
            "value": "Scenario value",
            "difference": "Difference",
            "percent": "Difference (%)",
        }
    )


@dataclass(frozen=True, slots=True)
class Headline:
    """One headline metric of the current scenario against the baseline."""

    label: str
    value: str
    delta: str
    delta_color: str
    help: str = ""
    delta_arrow: str = "auto"

    @classmethod
    def of(
        cls,
        label: str,
        value: float,
        difference: float,
        colour: str,
        *,
        money: bool = False,
        help_text: str = "",
    ) -> Headline:
        """A headline whose delta is quiet (grey, no arrow) when nothing changed; differences
        below a millionth of the value are the widgets' rounding, not a change."""
        same = _unchanged(difference, value)
        return cls(
            label,
            common.money(value) if money else common.whole(value),
            "same as baseline" if same else change_text(difference, money=money),
            "off" if same else colour,
            help_text,
            "off" if same else "auto",
        )


def headlines(table: pl.DataFrame, horizon: int) -> list[Headline]:
    """Spend to 31 March, then temporary beds and homecare hours at the latest checkpoint
    (week 13 or 26) the horizon reaches, for "This scenario"."""
    mine = table.filter(pl.col("Scenario") == "This scenario")

    def row(measure: str, when: str) -> dict | None:
        rows = mine.filter((pl.col("Measure") == measure) & (pl.col("When") == when))
        return rows.row(0, named=True) if rows.height else None

    out = []
    if year := row("Total spend to 31 March (£)", "31 March"):
        out.append(
            Headline.of(
                "Spend to 31 March",
                year["Scenario value"],
                year["Difference"],
                "inverse",
                money=True,
                help_text="Homecare, reablement and residential care (with additional payments) "
                "from the first week to the end of the financial year, or the end of the horizon "
                "if sooner.",
            )
        )
    checkpoints = [w for w in (13, 26) if w <= horizon]
    if checkpoints:
        when = f"week {checkpoints[-1]}"
        for measure, colour in (
            ("People in temporary residential care", "inverse"),
            ("Homecare hours a week", "off"),
        ):
            if found := row(measure, when):
                out.append(
                    Headline.of(
                        f"{measure} at {when}",
                        found["Scenario value"],
                        found["Difference"],
                        colour,
                    )
                )
    return out


def capacity_note(params: ScenarioParams, run: Trajectory) -> str:
    """How much homecare the market can deliver and how much is spare in the first week."""
    spare = params.homecare_capacity_hours - float(run.series["homecare_hours"][:, 0].mean())
    return (
        f"Homecare the market can deliver: {params.homecare_capacity_hours:,.0f} hours a week; "
        f"spare in the first week: {max(spare, 0.0):,.0f} hours. Capacity and reablement "
        "changes only matter when homecare or reablement is short."
    )


def _unchanged(difference: float, value: float) -> bool:
    return abs(difference) < max(0.5, 1e-6 * abs(value))


def change_text(difference: float, *, money: bool = False) -> str:
    """A metric delta in words: '+£1.2m against baseline', or 'same as baseline'."""
    if abs(difference) < 0.5:
        return "same as baseline"
    shown = common.money(difference, signed=True) if money else f"{difference:+,.0f}"
    return f"{shown} against baseline"


def band_figure(runs: dict[str, Trajectory], series: str, *, horizon: int) -> go.Figure:
    """Mean and 80% band of one series for the baseline and each scenario."""
    title, y_title = CHARTS[series]
    fig = go.Figure()
    for i, (name, run) in enumerate(runs.items()):
        colour = common.PALETTE[i % len(common.PALETTE)]
        frame = bands(run, (series,))
        x = frame["week_start"].to_list()
        fig.add_scatter(
            x=x + x[::-1],
            y=frame["hi_80"].to_list() + frame["lo_80"].to_list()[::-1],
            fill="toself",
            fillcolor=_transparent(colour),
            line={"width": 0},
            hoverinfo="skip",
            showlegend=False,
            name=f"{name} 80% band",
        )
        fig.add_scatter(
            x=x,
            y=frame["mean"],
            name=name,
            line={"color": colour, "width": 3 if name == BASELINE else 2},
            hovertemplate="%{y:,.0f}",
        )
    return common.style_figure(
        fig,
        title=f"{title}, next {horizon} weeks (shaded: 8 in 10 runs fall inside)",
        y_title=y_title,
        source=SOURCE,
    )


def _transparent(hex_colour: str, alpha: float = 0.15) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def chart_png(fig: go.Figure) -> bytes:
    """The chart as a PNG image (plotly through kaleido, which drives the local chromium).

    Raises:
        Exception: Whatever kaleido raises when no browser can be started.
    """
    return fig.to_image(format="png", width=1200, height=560, scale=1)


def record_export(kind: str, scenario_names: tuple[str, ...]) -> None:
    """Download callback: note in the audit trail that a scenario comparison left the system.
    A busy database does not stop the download; it is logged instead."""
    path = settings.db_path()
    if not path.exists():
        return
    detail = f"{kind}: {', '.join(scenario_names)}"
    try:
        audit.record_alone(path, user=auth.user_name(), action="scenario_export", detail=detail)
    except writer.DatabaseBusy:
        log.warning("Scenario export (%s) could not be audited: database busy", detail)


def chart_html(fig: go.Figure) -> bytes:
    """The chart as a self-contained interactive HTML page."""
    return fig.to_html(include_plotlyjs=True, full_html=True).encode("utf-8")


# --- saved scenarios --------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def _saved(version: str | None) -> pl.DataFrame:
    if version is None:
        return pl.DataFrame(schema=scenarios.LIST_SCHEMA)
    with common.cursor() as cur:
        return scenarios.list_scenarios(cur)


def saved() -> pl.DataFrame:
    """Saved scenarios, most recently changed first."""
    try:
        return _saved(common.data_version())
    except FileNotFoundError:
        return pl.DataFrame(schema=scenarios.LIST_SCHEMA)


def saved_changes(scenario_id: str) -> dict[str, object]:
    """The parameter changes of one saved scenario."""
    with common.cursor() as cur:
        return scenarios.load_scenario(cur, scenario_id)["changes"]


def save(name: str, description: str, changes: dict[str, object], *, replace: bool) -> str:
    """Save the scenario as the signed-in user; the list refreshes on the next read."""
    scenario_id = scenarios.save_scenario(
        settings.db_path(),
        name,
        changes,
        description=description,
        user=auth.user_name(),
        replace=replace,
    )
    _saved.clear()
    return scenario_id


def open_saved(scenario_id: str, baseline: ScenarioParams) -> None:
    """Button callback: put a saved scenario (its changes over `baseline`) into the widgets."""
    try:
        set_widgets(ScenarioParams.from_dict(saved_changes(scenario_id), baseline))
    except (scenarios.ScenarioNotFound, ValueError) as error:
        st.session_state["sc_open_problem"] = f"That scenario cannot be opened: {error}"


def rename(scenario_id: str, new_name: str) -> None:
    scenarios.rename_scenario(settings.db_path(), scenario_id, new_name, user=auth.user_name())
    _saved.clear()


def delete(scenario_id: str) -> None:
    scenarios.delete_scenario(settings.db_path(), scenario_id, user=auth.user_name())
    _saved.clear()
