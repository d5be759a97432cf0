"""A scenario as commissioners read it: the comparison table, the headline numbers against the
baseline, how much homecare is spare, where each pathway sends people, how the baseline was
obtained, and which parameters a saved scenario holds."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ascdemand.formatting import money, whole
from ascdemand.models.scenario.calibrate import Calibration
from ascdemand.models.scenario.compare import differences
from ascdemand.models.scenario.engine import Trajectory
from ascdemand.models.scenario.params import (
    DESTINATION_LABELS,
    DESTINATIONS,
    SOURCE_LABELS,
    SOURCES,
    ScenarioParams,
    numeric_fields,
)

BASELINE = "Baseline"
THIS_SCENARIO = "This scenario"
Routes = tuple[tuple[float, ...], ...]


def comparison_table(runs: dict[str, Trajectory]) -> pl.DataFrame:
    """Differences of every scenario from the one named `BASELINE`, in plain-English columns:
    Scenario, Measure, When, Baseline, Scenario value, Difference, Difference (%)."""
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


def rounded_table(table: pl.DataFrame) -> pl.DataFrame:
    """The comparison as people read it: people, hours and pounds whole, percentages to one
    decimal (the unrounded values stay in the runs)."""
    return table.with_columns(
        pl.col("Baseline", "Scenario value", "Difference").round(0),
        pl.col("Difference (%)").round(1),
    )


def _unchanged(difference: float, value: float) -> bool:
    return abs(difference) < max(0.5, 1e-6 * abs(value))


def change_text(difference: float, *, as_money: bool = False) -> str:
    """A metric delta in words: '+£1.2m against baseline', or 'same as baseline'."""
    if abs(difference) < 0.5:
        return "same as baseline"
    shown = money(difference, signed=True) if as_money else f"{difference:+,.0f}"
    return f"{shown} against baseline"


@dataclass(frozen=True, slots=True)
class Headline:
    """One headline metric of the current scenario against the baseline, ready to show: the
    delta is quiet (grey, no arrow) when nothing changed."""

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
        as_money: bool = False,
        help_text: str = "",
    ) -> Headline:
        """Differences below a millionth of the value are the widgets' rounding, not a change."""
        same = _unchanged(difference, value)
        return cls(
            label,
            money(value) if as_money else whole(value),
            "same as baseline" if same else change_text(difference, as_money=as_money),
            "off" if same else colour,
            help_text,
            "off" if same else "auto",
        )


SPEND_HELP = (
    "Homecare, reablement and residential care (with additional payments) from the first week "
    "to the end of the financial year, or the end of the horizon if sooner."
)


def headlines(table: pl.DataFrame, horizon: int) -> list[Headline]:
    """Spend to 31 March, then temporary beds and homecare hours at the latest checkpoint
    (week 13 or 26) the horizon reaches, for `THIS_SCENARIO` in a `comparison_table`."""
    mine = table.filter(pl.col("Scenario") == THIS_SCENARIO)

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
                as_money=True,
                help_text=SPEND_HELP,
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
                        f"{measure} at {when}", found["Scenario value"], found["Difference"], colour
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


def notes_table(cal: Calibration) -> pl.DataFrame:
    """Each baseline value with its label, unit and how it was obtained."""
    rows = [
        (
            f.metadata["label"],
            float(getattr(cal.params, f.name)),
            f.metadata["unit"],
            cal.notes.get(f.name, ""),
        )
        for f in numeric_fields()
    ]
    return pl.DataFrame(
        rows, schema=["Parameter", "Value", "Unit", "How it was obtained"], orient="row"
    )


def routes_table(params: ScenarioParams) -> pl.DataFrame:
    """Where people on each pathway go, as percentages, with plain-English labels."""
    data = {"From": [SOURCE_LABELS[s] for s in SOURCES]}
    for j, dest in enumerate(DESTINATIONS):
        data[DESTINATION_LABELS[dest] + " (%)"] = [round(100 * row[j], 1) for row in params.routes]
    return pl.DataFrame(data)


def p1_reablement_percent(routes: Routes) -> float:
    """Of P1 discharges going to reablement or homecare, the percentage going to reablement."""
    support = routes[1][1] + routes[1][2]
    return 100.0 * routes[1][1] / support if support > 0 else 0.0


def with_p1_reablement(routes: Routes, percent: float) -> Routes:
    """Routes with P1's reablement and homecare shares re-split at `percent` to reablement."""
    row = list(routes[1])
    support = row[1] + row[2]
    row[1], row[2] = support * percent / 100.0, support * (1.0 - percent / 100.0)
    return (routes[0], tuple(row), *routes[2:])


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
