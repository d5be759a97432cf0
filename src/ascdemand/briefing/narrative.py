"""The briefing's plain-English text, generated from the published facts.

Written for councillors with a few minutes: short sentences, every number from the store (after
disclosure control), terms explained, and acronyms spelled out the first time they appear.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl

from ascdemand import privacy
from ascdemand.briefing import comparators
from ascdemand.briefing.facts import BriefingFacts, Measure
from ascdemand.formatting import markdown_prose
from ascdemand.models.board_standing import board_standing
from ascdemand.models.budget.periods import period_end
from ascdemand.store.contract import INCOME_LINES

GLOSSARY = (
    (
        "Homecare",
        "care workers visiting people in their own homes, arranged in hours per week "
        "(also called domiciliary care).",
    ),
    (
        "Temporary residential care",
        "a care-home bed for a few weeks, often straight from hospital when homecare cannot "
        "be found or needs are too high.",
    ),
    (
        "Reablement",
        "up to about six weeks of intensive support after a hospital stay to help people "
        "manage on their own again.",
    ),
    (
        "Discharge pathways",
        "the NHS sorts hospital discharges into pathway 0 (home, no "
        "new support), 1 (home with new support), 2 (a short-term bed for rehabilitation) and "
        "3 (a new care-home place, likely permanent).",
    ),
    (
        "Forecast outturn",
        "what the department expects to have spent by 31 March, the end of the financial year.",
    ),
    (
        "Net overspend",
        "forecast outturn minus budget, after underspends and income (such as NHS funding) "
        "are taken off.",
    ),
    (
        "Period",
        "a month of the financial year: period 1 is April, period 12 is March.",
    ),
    (
        "*",
        "a number of people between 1 and 7, or a figure from which one could be worked out, "
        "hidden to protect privacy.",
    ),
)


# Acronyms the briefing may use (also in officers' text): spelled out where first used.
ACRONYMS = {
    "NHS": "National Health Service",
    "HART": "Home Care and Reablement Team",
    "D2A": "Discharge to Assess",
    "MTFS": "Medium Term Financial Strategy",
    "ICB": "Integrated Care Board",
    "ASC": "adult social care",
    "CHC": "Continuing Healthcare",
}


# Why the forecast moved, as (when it pushed the overspend up, when it pulled it down).
CHANGE_REASONS = {
    "volume": ("more people in care", "fewer people in care"),
    "intensity": ("more hours of care per person", "fewer hours of care per person"),
    "price": ("higher costs per hour or week", "lower costs per hour or week"),
    "records": (
        "spending above what the care records explain",
        "spending below what the care records explain",
    ),
    "other_spend": ("higher staffing and other costs", "lower staffing and other costs"),
    "income": ("less income expected", "more income expected"),
    "budget": ("a smaller budget", "a larger budget"),
}


@dataclass(frozen=True, slots=True)
class Section:
    """One heading of the briefing and its paragraphs (plain text)."""

    title: str
    paragraphs: tuple[str, ...]
    bullets: bool = False
    """Show the paragraphs as a bulleted list (actions, targets)."""
    terms: tuple[tuple[str, str], ...] = ()
    """Glossary entries (term, meaning) shown after the paragraphs, the term in bold."""


def people(value: float | None) -> str:
    """A published count of people as text ('fewer than 8' when suppressed)."""
    if value is None:
        return "fewer than 8"
    return privacy.format_count(int(value))


def number(value: float | None, digits: int = 0) -> str:
    """A published figure with separators ('not shown' when suppressed)."""
    if value is None:
        return "not shown"
    return f"{value:,.{digits}f}"


def millions(value: float) -> str:
    """Pounds as '£3.4 million'."""
    return f"£{abs(value) / 1e6:,.1f} million"


def _signed(value: float) -> str:
    """A net position in words: "an overspend of £2.1 million" or "an underspend of ..."."""
    return f"an {'overspend' if value >= 0 else 'underspend'} of {millions(value)}"


def month_year(day: dt.date) -> str:
    """'March 2021'."""
    return f"{day:%B %Y}"


def percent_change(now: float | None, then: float | None) -> str | None:
    """'up 32%' or 'down 5%' worked out from published figures; None if either is missing."""
    if now is None or then is None or then == 0:
        return None
    change = round(100.0 * (now - then) / then)
    if change == 0:
        return "about the same"
    return f"{'up' if change > 0 else 'down'} {abs(change)}%"


def _measure_sentence(m: Measure, fmt, noun: str, start: dt.date) -> str:
    parts = [f"{m.label}: {fmt(m.now)} {noun}".rstrip() + "."]
    if m.baseline is not None:
        move = percent_change(m.now, m.baseline)
        parts.append(
            f"Before the pandemic ({month_year(start)}) it was {fmt(m.baseline)}"
            + (f", so it is {move} since then." if move else ".")
        )
    if m.peak is not None and m.peak_week is not None and m.now is not None and m.peak > m.now:
        parts.append(f"The highest since then was {fmt(m.peak)} in {month_year(m.peak_week)}.")
    if m.year_ago is not None:
        move = percent_change(m.now, m.year_ago)
        if move:
            parts.append(f"Compared with a year ago it is {move}.")
    return " ".join(parts)


def _demand(f: BriefingFacts) -> Section:
    m = f.measures
    week = f"{f.week:%d %B %Y}"
    return Section(
        "Demand for care",
        (
            f"Figures are for the week beginning {week}, for {f.area}.",
            _measure_sentence(m["homecare_people"], people, "", f.pandemic_start),
            _measure_sentence(m["homecare_hours"], number, "hours a week", f.pandemic_start),
            _measure_sentence(
                m["mean_hours_per_person"], lambda v: number(v, 1), "hours", f.pandemic_start
            ),
            _measure_sentence(m["temp_residential_people"], people, "", f.pandemic_start),
            _measure_sentence(m["discharges_to_social_care"], number, "a week", f.pandemic_start)
            + " These are people leaving hospital who need care arranged by the council.",
        ),
    )


def _money(f: BriefingFacts) -> Section:
    money = f.money
    if money is None:
        return Section(
            "Money",
            ("No month of this financial year has closed yet, so there is no forecast.",),
        )
    month = f"{period_end(money.financial_year, money.period):%B %Y}"
    word = "overspend" if money.net_overspend >= 0 else "underspend"
    first = (
        f"At period {money.period} (the end of {month}) the department forecasts a net "
        f"{word} of {millions(money.net_overspend)} for the {money.financial_year} financial "
        "year. The net figure is the forecast spend minus the budget, after underspends and "
        "income are taken off."
    )
    paras = [first]
    if money.range80 is not None:
        low, high = money.range80.low, money.range80.high
        years = len(money.range80.years)
        caution = " With so few years to go on, treat it as a rough guide." if years < 5 else ""
        paras.append(
            f"Going by how far forecasts made at this point of the year have been from the final "
            f"outturn in {years} past year{'s' if years > 1 else ''}, the outturn is likely (about "
            f"4 times in 5) to land between {_signed(low)} and {_signed(high)}.{caution}"
        )
    if money.change is not None:
        if abs(money.change) < 0.05e6:
            paras.append("This is about the same as the previous month's forecast.")
        else:
            direction = "worse" if money.change > 0 else "better"
            paras.append(
                f"That is {millions(money.change)} {direction} than the forecast a month "
                f"earlier (period {money.period - 1})."
            )
    reasons = money.change_reasons.filter(pl.col("amount").abs() >= 0.05e6)
    if money.change is not None and abs(money.change) >= 0.05e6 and reasons.height:
        top = reasons.sort(pl.col("amount").abs(), descending=True).head(2)
        items = [
            f"{CHANGE_REASONS.get(r['component'], (r['label'],) * 2)[r['amount'] < 0]} "
            f"({'+' if r['amount'] > 0 else '-'}{millions(r['amount'])})"
            for r in top.iter_rows(named=True)
        ]
        paras.append("The main reasons for the change: " + _join(items) + ".")
    pressures, offsets = [], []
    for r in money.by_line.iter_rows(named=True):
        if abs(r["variance"]) < 0.05e6:
            continue
        income = r["service_line"] in INCOME_LINES
        name, amount = _lower_first(r["label"]), millions(r["variance"])
        if r["variance"] > 0:
            pressures.append(
                f"{name} ({amount} {'less than budgeted' if income else 'over budget'})"
            )
        else:
            offsets.append(
                f"{name} ({amount} {'more than budgeted' if income else 'under budget'})"
            )
    if pressures:
        paras.append("The main pressures are " + _join(pressures[:3]) + ".")
    if offsets:
        paras.append("They are partly offset by " + _join(offsets[-3:][::-1]) + ".")
    head = money.headline
    if head.non_recurrent < -0.05e6:
        text = (
            f"Of the offsets, {millions(head.non_recurrent)} is one-off (non-recurrent) and "
            "will not help next year."
        )
        if head.full_year_effect > 0.05e6:
            text += (
                " The pressure on next year's budget, for a full year at today's levels, is "
                f"{millions(head.full_year_effect)}."
            )
        paras.append(text)
    return Section("Money", tuple(paras))


def _actions(f: BriefingFacts) -> Section:
    rows = list(f.mitigations.iter_rows(named=True))
    if not rows:
        return Section(
            "What is being done",
            ("No actions have been recorded yet. Officers add them on the briefing page.",),
        )
    lines = [
        f"{r['action']} ({r['status']}" + (f", {r['owner']})" if r["owner"] else ")") for r in rows
    ]
    return Section("What is being done", tuple(lines), bullets=True)


def _target_format(measure: str):
    """How a target's figures read: money in £ million, average hours to one decimal."""
    if measure == "net_overspend_gbp_m":
        return lambda v: f"{'-' if v < -0.05 else ''}£{abs(v):,.1f} million"
    if measure == "mean_hours_per_person":
        return lambda v: number(v, 1)
    return number


def _success(f: BriefingFacts) -> Section:
    rows = list(f.targets.iter_rows(named=True))
    if not rows:
        return Section(
            "What success looks like",
            ("The Director has not set targets yet. They are set on the briefing page.",),
        )
    lines = []
    for t in rows:
        show = _target_format(t["measure"])
        text = f"{t['label']}: target {show(t['target_value'])}"
        if t["due_date"] is not None:
            text += f" by {t['due_date']:%d %B %Y}"
        text += f"; now {show(t['current']) if t['current'] is not None else 'not shown'}"
        pct = t["progress_pct"]
        if pct is not None and pct >= 100:
            text += " - target met"
        elif pct is not None and pct >= 0:
            text += f", {pct:.0f}% of the way from {show(t['baseline_value'])}"
        elif pct is not None:
            text += f", moving away from the target (it started at {show(t['baseline_value'])})"
        lines.append(text + ".")
    return Section("What success looks like", tuple(lines), bullets=True)


def _boards(f: BriefingFacts) -> list[str]:
    """How the council's care board compares with every other, from the NHS sitrep."""
    code = f.profile.icb
    if f.boards.is_empty() or not code:
        return []
    found = [
        board_standing(f.boards, code, measure)
        for measure in ("p3_share", "same_day_share", "remaining_per_1000")
    ]
    lines = [s.sentence for s in found if s is not None]
    if not lines:
        return []
    return [
        f"Among the {found[0].boards if found[0] else len(f.boards)} NHS integrated care "
        f"boards in England ({f.board_months}): " + " ".join(lines)
    ]


def _compare(f: BriefingFacts) -> Section:
    boards = _boards(f)
    table = f.comparators.drop_nulls("long_term_care_65plus_per_head_gbp").sort(
        "long_term_care_65plus_per_head_gbp"
    )
    if table.is_empty():
        return Section("How we compare", tuple(boards) or ("No comparator figures are available.",))
    names = table["council"].to_list()
    home = f.profile.home_comparator
    paras = list(boards)
    if home in names:
        rank = names.index(home) + 1
        value = table.filter(table["council"] == home)["long_term_care_65plus_per_head_gbp"][0]
        others = table.filter(table["council"] != home)["long_term_care_65plus_per_head_gbp"]
        paras.append(
            f"{home} spends £{value:,.0f} a year on long-term care per person aged 65 "
            f"or over, {_ordinal(rank)} lowest of the {len(names)} councils compared "
            f"(the others range from £{others.min():,.0f} to £{others.max():,.0f})."
        )
    paras.append(
        "A low starting point leaves little room to absorb a rise in demand or cost. "
        f"Source: {comparators.source_note(table)}."
    )
    return Section("How we compare", tuple(paras))


def _about() -> Section:
    return Section(
        "About these figures",
        (
            "To protect privacy, counts of 1 to 7 people are shown as * and other counts are "
            "rounded to the nearest 5; percentages are worked out from the rounded counts, and "
            "a further figure is hidden where it would let a hidden one be worked out. Averages "
            "over fewer than 8 people are not shown, and other averages are rounded to the "
            "nearest half hour; hours of care are the rounded count of people times the "
            "rounded average, so no figure undoes the rounding of another. Figures cover the "
            "whole council or one district. Money is not rounded.",
        ),
        terms=GLOSSARY,
    )


def _summary(f: BriefingFacts) -> Section:
    m = f.measures
    lines = []
    hc, temp = m["homecare_people"], m["temp_residential_people"]
    if hc.now is not None:
        move = percent_change(hc.now, hc.baseline)
        lines.append(
            f"{people(hc.now)} people receive homecare"
            + (f", {move} on {month_year(f.pandemic_start)}." if move else ".")
        )
    if temp.now is not None:
        text = f"{people(temp.now)} people are in temporary residential care"
        if temp.peak is not None and temp.peak > temp.now:
            text += f", fewer than the peak of {people(temp.peak)}"
        if temp.baseline is not None:
            text += f" (before the pandemic: {people(temp.baseline)})"
        lines.append(text + ".")
    if f.money is not None:
        word = "overspend" if f.money.net_overspend >= 0 else "underspend"
        lines.append(
            f"The forecast net {word} for {f.money.financial_year} is "
            f"{millions(f.money.net_overspend)}."
        )
    return Section("At a glance", tuple(lines) or ("No figures are available yet.",))


def _lower_first(label: str) -> str:
    """'Homecare' -> 'homecare', but 'NHS one-off transfer' keeps its acronym."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[0].lower() + label[1:]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal(n: int) -> str:
    words = {1: "the", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
    return words.get(n, f"{n}th")


def _expand(text: str, seen: set[str]) -> str:
    """Spell out, in `text`, each acronym not yet in `seen`; add those met to `seen`."""
    for short, full in ACRONYMS.items():
        if short in seen:
            continue
        match = re.search(rf"(?<!\w){re.escape(short)}(?!\w)", text)
        if match is None:
            continue
        seen.add(short)
        if f"{full} ({short})" in text:
            continue
        start, end = match.span()
        if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
            text = f"{text[:start]}{full}, {short}{text[end:]}"  # "(HART)"
        else:
            text = f"{text[:start]}{full} ({short}){text[end:]}"
    return text


def spell_out_acronyms(sections: list[Section]) -> list[Section]:
    """Expand each known acronym where it first appears in reading order: 'NHS' becomes
    'National Health Service (NHS)' once; later uses stay short."""
    seen: set[str] = set()
    out = []
    for section in sections:
        paragraphs = tuple(_expand(text, seen) for text in section.paragraphs)
        terms = tuple((term, _expand(meaning, seen)) for term, meaning in section.terms)
        out.append(Section(section.title, paragraphs, section.bullets, terms))
    return out


def build_narrative(facts: BriefingFacts) -> list[Section]:
    """The briefing text, section by section, in reading order, acronyms spelled out."""
    return spell_out_acronyms(
        [
            _summary(facts),
            _demand(facts),
            _money(facts),
            _actions(facts),
            _success(facts),
            _compare(facts),
            _about(),
        ]
    )


def _md(text: str) -> str:
    return markdown_prose(text)


def section_markdown(section: Section) -> str:
    """One section's paragraphs as Markdown, special characters escaped (officers' text too)."""
    lines = [_md(p) for p in section.paragraphs]
    if section.bullets:
        return "\n".join(f"- {line}" for line in lines)
    return "\n\n".join(lines + [f"**{_md(t)}**: {_md(m)}" for t, m in section.terms])


def as_markdown(sections: list[Section]) -> str:
    """The narrative as Markdown, with a heading per section."""
    return "\n\n".join(f"### {s.title}\n\n{section_markdown(s)}" for s in sections)


def as_text(sections: list[Section]) -> str:
    """The narrative as plain text (for tests and the command line)."""
    return "\n\n".join(
        s.title + "\n" + "\n".join([*s.paragraphs, *(f"{t}: {m}" for t, m in s.terms)])
        for s in sections
    )
