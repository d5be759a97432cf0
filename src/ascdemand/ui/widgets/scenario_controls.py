"""The scenario controls: where the baseline's volumes come from, the report's mitigations as
presets, and one number box per parameter, all bound to session state under the `sc_` prefix.

Streamlit forgets the state of widgets a run did not draw, so the scenario is also kept as
JSON (`sc_current`) and restored when the page is opened again.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ascdemand.models.scenario.params import ScenarioParams, numeric_fields
from ascdemand.models.scenario.presets import PRESETS, PRESETS_BY_NAME
from ascdemand.models.scenario.summary import p1_reablement_percent, with_p1_reablement
from ascdemand.store.scenarios import ScenarioNotFound
from ascdemand.ui.services import council, scenarios

KEY = "sc_"  # prefix of every widget key of the scenario controls
# One input that is not a parameter of its own: the split of P1 discharges needing support
# between reablement and straight-to-homecare (row P1 of the routes).
P1_REABLEMENT_KEY = KEY + "p1_reablement"
P1_REABLEMENT_LABEL = "P1 (home with new support) discharges offered reablement first (%)"
RESIDENT_SHARE_HELP = (
    "A trust or care board discharges people from neighbouring areas too. The default is the "
    "share set in the council profile (resident_share)."
)
SITREP = "The NHS discharge sitrep"


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


# --- the scenario in session state --------------------------------------------------------


def set_widgets(params: ScenarioParams) -> None:
    """Write `params` into the widgets' session state (also from button callbacks)."""
    for control in ALL_CONTROLS:
        st.session_state[control.key] = round(getattr(params, control.name) * control.scale, 6)
    st.session_state[KEY + "routes"] = params.routes
    st.session_state[P1_REABLEMENT_KEY] = round(p1_reablement_percent(params.routes), 6)


def sync_baseline(baseline: ScenarioParams) -> None:
    """Reset the widgets to the baseline when it changes (new data, window or as-at date), and
    restore the last scenario when coming back from another page."""
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


def open_saved(scenario_id: str, baseline: ScenarioParams) -> None:
    """Button callback: put a saved scenario (its changes over `baseline`) into the widgets."""
    try:
        set_widgets(ScenarioParams.from_dict(scenarios.saved_changes(scenario_id), baseline))
    except (ScenarioNotFound, ValueError) as error:
        st.session_state["sc_open_problem"] = f"That scenario cannot be opened: {error}"


# --- the controls on the page -------------------------------------------------------------


def sitrep_source(baseline: ScenarioParams) -> ScenarioParams:
    """When a sitrep is imported, let the baseline's discharge volumes and pathway mix come
    from one trust or care board instead of the council's records."""
    organisations = scenarios.sitrep_organisations()
    if organisations.is_empty():
        return baseline
    source = st.radio(
        "Discharge volumes and pathway mix from",
        ["The council's discharge records", SITREP],
        horizontal=True,
        key="sc_source",
    )
    if source != SITREP:
        return baseline
    labels = {
        f"{row['org_type']}:{row['org_code']}": f"{row['org_name'].title()} ({row['org_code']})"
        for row in organisations.iter_rows(named=True)
    }
    choices = list(labels)
    profile = council.profile()
    default = next(
        (
            choices.index(c)
            for c in (f"trust:{profile.default_trust}", f"icb:{profile.icb}")
            if c in choices
        ),
        0,
    )
    org_col, months_col, share_col = st.columns(3)
    chosen = org_col.selectbox(
        "Hospital trust or care board",
        choices,
        index=default,
        format_func=labels.get,
        key="sc_sitrep_org",
    )
    months = months_col.slider("Latest months averaged", 1, 12, 3, key="sc_sitrep_months")
    resident = share_col.number_input(
        "Share of these patients living in the council's area (%)",
        0.0,
        100.0,
        round(profile.resident_share * 100, 1),
        step=1.0,
        key="sc_sitrep_share",
        help=RESIDENT_SHARE_HELP,
    )
    org_type, org_code = chosen.split(":", 1)
    try:
        with_volumes, note = scenarios.with_sitrep(
            baseline, org_type, org_code, months, resident / 100
        )
    except ValueError as error:
        st.warning(str(error), icon=":material/warning:")
        return baseline
    st.caption(note)
    return with_volumes


def presets(baseline: ScenarioParams) -> None:
    """Pick a mitigation from the 2021 report and apply it, or go back to the baseline."""
    st.write("Start from a mitigation in the 2021 report, or set the numbers yourself.")
    pick_col, apply_col, reset_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    name = pick_col.selectbox(
        "Mitigation from the report", [p.name for p in PRESETS], key="sc_preset_pick"
    )
    apply_col.button(
        "Apply",
        key="sc_preset_apply",
        on_click=apply_preset,
        args=(name, baseline),
        icon=":material/playlist_add_check:",
        width="stretch",
    )
    reset_col.button(
        "Back to baseline",
        key="sc_reset",
        on_click=reset,
        args=(baseline,),
        icon=":material/restart_alt:",
        width="stretch",
    )
    st.caption(PRESETS_BY_NAME[name].description + " Applied on top of the numbers below.")


def number_boxes() -> None:
    """The main levers in three bordered groups, the rest under "More assumptions"."""
    group_cols = st.columns(len(MAIN_CONTROLS))
    for col, (group, controls) in zip(group_cols, MAIN_CONTROLS.items(), strict=True):
        box = col.container(border=True)
        box.markdown(f"**{group}**")
        for control in controls:
            control.number_input(box)
            if control.name == "reablement_starts_per_week":
                box.number_input(
                    P1_REABLEMENT_LABEL,
                    min_value=0.0,
                    max_value=100.0,
                    step=1.0,
                    format="%.0f",
                    key=P1_REABLEMENT_KEY,
                    help="The rest go straight to homecare. Reablement was bypassed during the "
                    "pandemic (report paragraph 36).",
                )
    with st.expander("More assumptions"):
        more_cols = st.columns(3)
        for i, control in enumerate(MORE_CONTROLS):
            control.number_input(more_cols[i % 3])
