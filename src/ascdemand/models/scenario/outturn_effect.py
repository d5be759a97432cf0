"""What a scenario does to the budget: its effect on this year's outturn and the full-year
effect it carries into next year's budget, each against the baseline run with the same random
draws (so the range is the scenario's own uncertainty, not the noise between two runs)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ascdemand.models.scenario.engine import Trajectory

WEEKS_A_YEAR = 52


@dataclass(frozen=True, slots=True)
class OutturnEffect:
    """Scenario minus baseline, in £ (+ = more spend): to 31 March, its 80% range over the
    runs, and the weekly difference at the year end (or the horizon) times 52."""

    this_year: float
    range80: tuple[float, float]
    full_year_next: float
    weeks_to_year_end: float


def outturn_effect(baseline: Trajectory, scenario: Trajectory) -> OutturnEffect:
    """The scenario's effect on the year-end outturn and next year's recurrent pressure.

    Args:
        baseline: The baseline's runs.
        scenario: The scenario's runs over the same weeks, drawn with the same seed (one run
            each for a deterministic comparison).

    Worked example: two weeks, both before 31 March, a baseline spending 100 and 100 and a
    scenario spending 90 and 80: this year -30; the last week differs by -20, so the
    full-year effect is -20 x 52 = -1,040.

    Raises:
        ValueError: The two cover different weeks or numbers of runs.
    """
    if baseline.week_start != scenario.week_start or baseline.runs != scenario.runs:
        raise ValueError("The scenario and the baseline must cover the same weeks and runs.")
    weights = baseline.year_end_weight
    difference = scenario.series["spend_total"] - baseline.series["spend_total"]
    this_year = difference @ weights
    in_year = np.flatnonzero(weights > 0)
    last = int(in_year[-1]) if in_year.size else difference.shape[1] - 1
    full_year = difference[:, last] * WEEKS_A_YEAR
    return OutturnEffect(
        this_year=float(this_year.mean()),
        range80=(float(np.percentile(this_year, 10)), float(np.percentile(this_year, 90))),
        full_year_next=float(full_year.mean()),
        weeks_to_year_end=float(weights.sum()),
    )
