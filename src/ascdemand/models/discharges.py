"""Headline figures of hospital discharges, from the council's extract and from NHS England's
discharge sitrep: recent volumes, the pathway mix, the latest month, and delays in leaving
hospital. Pure functions of the frames the store returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from ascdemand.store.sitrep.queries import CARE_AFTER_HOSPITAL

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


def recent_weekly_mean(frame: pl.DataFrame, column: str, weeks: int = 4) -> float:
    """Mean per week of `column` over the last `weeks` weeks of a weekly-by-pathway frame."""
    totals = frame.group_by("week_start").agg(pl.col(column).sum()).sort("week_start")
    return float(totals[column].tail(weeks).mean() or 0.0)


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


def mix_table(
    council: pl.DataFrame, nhs: pl.DataFrame, nhs_name: str, labels: dict[str, str]
) -> pl.DataFrame:
    """Council and NHS shares of P1 to P3 side by side, each over its own latest 12 months;
    `labels` names each pathway (P0 first, which is left out)."""
    names = pl.DataFrame({"pathway": list(labels)[1:], "Pathway": list(labels.values())[1:]})
    council_mix = pathway_mix(council).select("pathway", pl.col("share").alias("Council"))
    nhs_mix = pathway_mix(nhs).select("pathway", pl.col("share").alias(display_name(nhs_name)))
    return (
        names.join(council_mix, on="pathway", how="left")
        .join(nhs_mix, on="pathway", how="left")
        .drop("pathway")
    )


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
    """Headline figures from a non-empty monthly criteria-to-reside frame."""
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
    """The latest month's waits for care after hospital from the delays by group of reason, or
    None when that month has no such figure."""
    care = latest(groups).filter(pl.col("reason_group") == CARE_AFTER_HOSPITAL)
    if care.is_empty() or care["average_patients"][0] is None:
        return None
    return CareWaits(care["month"][0], care["average_patients"][0], care["share"][0])


def months_note(frame: pl.DataFrame) -> str:
    """The months a monthly frame covers, in words ("May 2023" or "April 2023 to May 2023")."""
    first, last = frame["month"].min(), frame["month"].max()
    return f"{last:%B %Y}" if first == last else f"{first:%B %Y} to {last:%B %Y}"


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
