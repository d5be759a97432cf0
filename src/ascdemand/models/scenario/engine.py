"""The weekly stock-and-flow model from hospital discharge to reablement, homecare and care homes.

Five stocks of people: in reablement, in homecare, waiting for homecare, in temporary and in
permanent residential care. Each week people leave every stock at the rate 1 / (mean stay), so a
steady state obeys Little's law (stock = arrivals a week x mean stay in weeks). Arrivals are
routed by pathway; reablement is limited to a number of starts a week and homecare to the hours
the market can deliver. Free homecare places are shared pro rata between everyone who needs one
that week. When homecare is short, hospital discharges who find none go to temporary residential
care instead (or wait at home), and people ready to leave a temporary bed for homecare stay in it:
the mechanism behind the 2021 report's rise in temporary placements.

Every parameter may be a scalar or an array with one value per run, so one call runs many Monte
Carlo runs at once; the only Python loop is over weeks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from ascdemand.models.scenario.params import SOURCES, ScenarioParams

MAX_HORIZON = 52

STOCKS = ("reablement", "homecare", "waiting", "temporary", "permanent")
SPEND_SERIES = ("spend_homecare", "spend_reablement", "spend_temporary", "spend_permanent")
# Per-run numeric parameters the engine reads; Monte Carlo may replace any with an array.
RUN_PARAMETERS = (
    "reablement_starts_per_week",
    "reablement_weeks",
    "reablement_independent_share",
    "homecare_capacity_hours",
    "hours_per_person",
    "homecare_weeks",
    "shortfall_to_temporary_share",
    "waiting_weeks",
    "temporary_weeks",
    "temporary_to_permanent_share",
    "temporary_to_homecare_share",
    "permanent_weeks",
)


@dataclass(frozen=True, slots=True)
class Trajectory:
    """Weekly results of one or many runs: each series is an array of shape (runs, weeks)."""

    week_start: list[dt.date]
    series: dict[str, np.ndarray]
    year_end_weight: np.ndarray

    @property
    def runs(self) -> int:
        return next(iter(self.series.values())).shape[0]

    def frame(self, run: int = 0) -> pl.DataFrame:
        """One run as a frame: `week`, `week_start` and one column per series."""
        data = {name: values[run] for name, values in self.series.items()}
        return pl.DataFrame(
            {"week": np.arange(1, len(self.week_start) + 1), "week_start": self.week_start} | data
        )

    def year_end_totals(self) -> dict[str, np.ndarray]:
        """Spend from the first week to 31 March (the financial year end), one value per run."""
        return {
            name: self.series[name] @ self.year_end_weight
            for name in (*SPEND_SERIES, "spend_total")
        }


def financial_year_end(day: dt.date) -> dt.date:
    """31 March that ends the financial year (April-March) containing `day`."""
    return dt.date(day.year + (day.month >= 4), 3, 31)


def year_end_weights(start: dt.date, weeks: int) -> np.ndarray:
    """Share of each week's days that fall on or before the financial year end (0 to 1)."""
    end = financial_year_end(start)
    days_left = np.array([(end - start).days + 1 - 7 * w for w in range(weeks)], dtype=float)
    return np.clip(days_left / 7.0, 0.0, 1.0)


def expected_arrivals(params: ScenarioParams, weeks: int) -> np.ndarray:
    """Mean arrivals a week by source (P0..P3, community), shape (1, weeks, 5)."""
    per_week = np.array(
        [params.discharges_per_week * s for s in params.pathway_shares]
        + [params.community_referrals_per_week]
    )
    return np.broadcast_to(per_week, (1, weeks, len(SOURCES))).copy()


def simulate(
    params: ScenarioParams,
    weeks: int = MAX_HORIZON,
    *,
    arrivals: np.ndarray | None = None,
    overrides: dict[str, np.ndarray] | None = None,
) -> Trajectory:
    """Run the model forward `weeks` weeks from the opening stocks in `params`.

    Args:
        params: The scenario; its scalars apply to every run.
        weeks: Horizon in weeks, 1 to 52.
        arrivals: People arriving each week by source (P0, P1, P2, P3, community), shape
            (runs, weeks, 5) or (weeks, 5); default the expected arrivals of `params`.
        overrides: Per-run values of any of `RUN_PARAMETERS`, each of shape (runs,).

    Returns:
        A `Trajectory` with stocks, flows, hours, unmet hours and spend per run and week.

    Raises:
        ValueError: If `weeks` is outside 1..52 or `arrivals` has the wrong shape.
    """
    if not 1 <= weeks <= MAX_HORIZON:
        raise ValueError(f"Horizon must be between 1 and {MAX_HORIZON} weeks; got {weeks}.")
    if arrivals is None:
        arrivals = expected_arrivals(params, weeks)
    arrivals = np.asarray(arrivals, dtype=float)
    if arrivals.ndim == 2:
        arrivals = arrivals[None]
    if arrivals.shape[1:] != (weeks, len(SOURCES)):
        raise ValueError(
            f"Arrivals must have shape (runs, {weeks}, {len(SOURCES)}); got {arrivals.shape}."
        )
    overrides = overrides or {}
    runs = max([arrivals.shape[0], *(np.size(v) for v in overrides.values())])
    p = {
        name: np.broadcast_to(np.asarray(overrides.get(name, getattr(params, name)), float), runs)
        for name in RUN_PARAMETERS
    }
    routed = arrivals @ np.asarray(params.routes)  # (runs, weeks, destination)
    routed = np.broadcast_to(routed, (runs, weeks, routed.shape[2]))
    series = _run_weeks(params, p, routed, arrivals.sum(axis=2), runs, weeks)
    _add_hours_and_spend(params, p, series)
    week_start = [params.start_date + dt.timedelta(weeks=w) for w in range(weeks)]
    return Trajectory(week_start, series, year_end_weights(params.start_date, weeks))


def _run_weeks(
    params: ScenarioParams,
    p: dict[str, np.ndarray],
    routed: np.ndarray,
    arrived: np.ndarray,
    runs: int,
    weeks: int,
) -> dict[str, np.ndarray]:
    """The weekly loop; every quantity is an array over runs."""
    out = {
        name: np.empty((runs, weeks))
        for name in (
            *STOCKS,
            "arrivals",
            "departures",
            "reablement_starts",
            "homecare_starts",
            "temporary_admissions",
            "diverted_to_temporary",
        )
    }
    reab = np.full(runs, params.opening_reablement)
    home = np.full(runs, params.opening_homecare)
    wait = np.full(runs, params.opening_waiting)
    temp = np.full(runs, params.opening_temporary)
    perm = np.full(runs, params.opening_permanent)
    capacity_people = p["homecare_capacity_hours"] / p["hours_per_person"]
    home_exit_rate = 1.0 / p["homecare_weeks"]
    temp_stay_share = 1.0 - p["temporary_to_permanent_share"] - p["temporary_to_homecare_share"]
    arrived = np.broadcast_to(arrived, (runs, weeks))
    for w in range(weeks):
        to_none, to_reab, to_home, to_temp, to_perm = routed[:, w].T
        # people leaving each stock this week
        reab_out = reab / p["reablement_weeks"]
        home_out = home * home_exit_rate
        wait_out = wait / p["waiting_weeks"]
        temp_out = temp / p["temporary_weeks"]
        perm_out = perm / p["permanent_weeks"]
        # reablement: limited starts; the overflow needs homecare straight from hospital
        reab_in = np.minimum(to_reab, p["reablement_starts_per_week"])
        discharge_need = to_home + (to_reab - reab_in)
        reab_to_home = reab_out * (1.0 - p["reablement_independent_share"])
        # homecare places free this week, given by hours the market can deliver
        # free places are shared pro rata between everyone needing homecare this week: people
        # leaving hospital, people ready to leave a temporary bed, and those already waiting
        free = np.maximum(capacity_people - (home - home_out), 0.0)
        temp_ready = temp_out * p["temporary_to_homecare_share"]
        queue = wait - wait_out + reab_to_home
        need = discharge_need + temp_ready + queue
        filled = np.divide(free, need, out=np.ones_like(need), where=need > free)
        from_hospital = discharge_need * filled
        from_temp = temp_ready * filled
        from_queue = queue * filled
        shortfall = discharge_need - from_hospital
        diverted = shortfall * p["shortfall_to_temporary_share"]
        temp_admitted = to_temp + diverted
        # stocks at the end of the week
        reab = reab - reab_out + reab_in
        home = home - home_out + from_hospital + from_temp + from_queue
        wait = queue - from_queue + (shortfall - diverted)
        temp = temp - temp_out + temp_admitted + (temp_ready - from_temp)
        perm = perm - perm_out + to_perm + temp_out * p["temporary_to_permanent_share"]
        departures = (
            to_none
            + reab_out * p["reablement_independent_share"]
            + home_out
            + wait_out
            + temp_out * temp_stay_share
            + perm_out
        )
        for name, value in (
            ("reablement", reab),
            ("homecare", home),
            ("waiting", wait),
            ("temporary", temp),
            ("permanent", perm),
            ("departures", departures),
            ("reablement_starts", reab_in),
            ("homecare_starts", from_hospital + from_temp + from_queue),
            ("temporary_admissions", temp_admitted),
            ("diverted_to_temporary", diverted),
        ):
            out[name][:, w] = value
    out["arrivals"][:] = arrived
    return out


def _add_hours_and_spend(
    params: ScenarioParams, p: dict[str, np.ndarray], series: dict[str, np.ndarray]
) -> None:
    """Hours, unmet hours and weekly spend (£) from the end-of-week stocks."""
    hours = p["hours_per_person"][:, None]
    series["homecare_hours"] = series["homecare"] * hours
    series["unmet_hours"] = series["waiting"] * hours
    series["spend_homecare"] = series["homecare_hours"] * params.homecare_hourly_rate
    series["spend_reablement"] = series["reablement"] * params.reablement_weekly_cost
    placement = params.residential_weekly_cost
    series["spend_temporary"] = series["temporary"] * placement
    series["spend_permanent"] = series["permanent"] * placement
    series["spend_total"] = sum(series[name] for name in SPEND_SERIES)
    series["cumulative_spend"] = np.cumsum(series["spend_total"], axis=1)


def run_scenario(params: ScenarioParams, weeks: int = MAX_HORIZON) -> pl.DataFrame:
    """The deterministic run as one frame, one row per week (see `simulate`)."""
    return simulate(params, weeks).frame()
