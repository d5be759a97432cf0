"""Reading and checking a council profile (TOML): every problem is named with its key, and a
profile with any problem is refused whole."""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from ascdemand.profile.districts import district_key
from ascdemand.profile.model import CouncilProfile, District, StatusThresholds
from ascdemand.profile.postcode import OUTWARD_RE, SECTOR_RE, normalise_prefix

COMPARATOR_COLUMNS = (
    "net_budget_2021_22_gbp_m",
    "gross_asc_spend_2019_20_per_1000_pop_gbp_k",
    "long_term_care_65plus_per_head_gbp",
)
_ONS_AREA = re.compile(r"^[EW]\d{8}$")
_ICB = re.compile(r"^Q[A-Z0-9]{2}$")
_TRUST = re.compile(r"^[A-Z0-9]{3,5}$")

# Allowed keys per table, for the "unknown key" check (typos must not pass silently).
_KEYS: dict[str, tuple[str, ...]] = {
    "": ("council", "districts", "dates", "status", "comparators"),
    "council": (
        "name",
        "short_name",
        "ons_code",
        "icb",
        "trusts",
        "resident_share",
        "department",
        "committee",
        "health_system",
    ),
    "districts": ("name", "ons_code", "postcode_prefixes"),
    "dates": ("pandemic_start",),
    "status": ("demand_amber", "demand_red", "budget_amber", "budget_red"),
    "comparators": ("file", "home"),
}


@dataclass(frozen=True, slots=True)
class ProfileProblem:
    """One problem in a profile: the key it is at (`districts[2].name`) and what is wrong."""

    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


class ProfileError(ValueError):
    """A profile that cannot be used, with every problem found."""

    def __init__(self, source: str, problems: list[ProfileProblem]) -> None:
        self.source = source
        self.problems = problems
        listed = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{source}: the council profile has {len(problems)} problem(s):\n{listed}")


class _Reader:
    """Typed getters over the parsed TOML that record a problem instead of raising."""

    def __init__(self) -> None:
        self.problems: list[ProfileProblem] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(ProfileProblem(key, message))

    def unknown_keys(self, table: dict[str, Any], kind: str, prefix: str) -> None:
        allowed = _KEYS[kind]
        for key in table:
            if key not in allowed:
                near = difflib.get_close_matches(key, allowed, n=1)
                hint = f"; did you mean {near[0]!r}?" if near else f"; expected one of {allowed}"
                self.problem(f"{prefix}{key}", f"unknown key{hint}")

    def text(self, table: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(where, "missing")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(where, f"must be non-empty text, got {value!r}")
            return ""
        if len(value) > 120:
            self.problem(where, "is longer than 120 characters")
        return value.strip()

    def code(
        self,
        table: dict[str, Any],
        key: str,
        where: str,
        pattern: re.Pattern[str],
        example: str,
        *,
        required: bool = True,
    ) -> str:
        value = self.text(table, key, where, required=required)
        if value and not pattern.match(value.upper()):
            self.problem(where, f"{value!r} is not a code like {example!r}")
        return value.upper()

    def share(
        self,
        table: dict[str, Any],
        key: str,
        where: str,
        default: float,
        *,
        low: float = 0.0,
        high: float = 1.0,
    ) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where, f"must be a number, got {value!r}")
            return default
        if not low < value <= high:
            self.problem(where, f"must be more than {low:g} and at most {high:g}, got {value!r}")
        return float(value)


def _council(r: _Reader, doc: dict[str, Any]) -> dict[str, Any]:
    council = doc.get("council")
    if not isinstance(council, dict):
        r.problem("council", "missing: the [council] table is required")
        return {}
    r.unknown_keys(council, "council", "council.")
    trusts = council.get("trusts", [])
    if not isinstance(trusts, list) or not all(isinstance(t, str) for t in trusts):
        r.problem("council.trusts", 'must be a list of trust codes, e.g. ["RTG"]')
        trusts = []
    for i, trust in enumerate(trusts):
        if not _TRUST.match(trust.strip().upper()):
            r.problem(f"council.trusts[{i}]", f"{trust!r} is not an NHS trust code like 'RTG'")
    return {
        "name": r.text(council, "name", "council.name"),
        "short_name": r.text(council, "short_name", "council.short_name"),
        "ons_code": r.code(council, "ons_code", "council.ons_code", _ONS_AREA, "E10000007"),
        "icb": r.code(council, "icb", "council.icb", _ICB, "QJ2"),
        "trusts": tuple(t.strip().upper() for t in trusts),
        "resident_share": r.share(council, "resident_share", "council.resident_share", 1.0),
        "department": r.text(council, "department", "council.department", required=False)
        or "Adult Social Care",
        "committee": r.text(council, "committee", "council.committee", required=False)
        or "Adult Social Care Scrutiny Committee",
        "health_system": r.text(council, "health_system", "council.health_system", required=False)
        or None,
    }


def _prefixes(r: _Reader, value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        r.problem(where, 'must be a list of postcode prefixes, e.g. ["DE56", "DE55 4"]')
        return ()
    found = []
    for j, raw in enumerate(value):
        prefix = normalise_prefix(raw)
        if not (OUTWARD_RE.match(prefix) or SECTOR_RE.match(prefix)):
            r.problem(
                f"{where}[{j}]",
                f"{raw!r} is not an outward code ('DE56') or a postcode sector ('DE55 4')",
            )
        found.append(prefix)
    return tuple(found)


def _districts(r: _Reader, doc: dict[str, Any]) -> tuple[District, ...]:
    entries = doc.get("districts")
    if not isinstance(entries, list) or not entries:
        r.problem("districts", "missing: list each district as a [[districts]] table")
        return ()
    districts: list[District] = []
    names: dict[str, int] = {}
    owners: dict[str, int] = {}
    for i, entry in enumerate(entries):
        where = f"districts[{i}]"
        if not isinstance(entry, dict):
            r.problem(where, "must be a table with a name")
            continue
        r.unknown_keys(entry, "districts", f"{where}.")
        name = r.text(entry, "name", f"{where}.name")
        if name:
            if district_key(name) in names:
                r.problem(
                    f"{where}.name", f"{name!r} repeats districts[{names[district_key(name)]}]"
                )
            names[district_key(name)] = i
        ons = r.code(entry, "ons_code", f"{where}.ons_code", _ONS_AREA, "E07000032", required=False)
        prefixes = _prefixes(r, entry.get("postcode_prefixes", []), f"{where}.postcode_prefixes")
        for prefix in prefixes:
            if prefix in owners and owners[prefix] != i:
                r.problem(
                    f"{where}.postcode_prefixes",
                    f"{prefix!r} is also a prefix of districts[{owners[prefix]}]",
                )
            owners[prefix] = i
        districts.append(District(name=name, ons_code=ons or None, postcode_prefixes=prefixes))
    return tuple(districts)


def _dates(r: _Reader, doc: dict[str, Any]) -> dict[str, Any]:
    dates = doc.get("dates", {})
    if not isinstance(dates, dict):
        r.problem("dates", "must be a table")
        return {}
    r.unknown_keys(dates, "dates", "dates.")
    if "pandemic_start" not in dates:
        return {}
    value = dates["pandemic_start"]
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        r.problem("dates.pandemic_start", f"must be a date like 2020-03-01, got {value!r}")
        return {}
    return {"pandemic_start": value}


def _status(r: _Reader, doc: dict[str, Any]) -> StatusThresholds:
    status = doc.get("status", {})
    if not isinstance(status, dict):
        r.problem("status", "must be a table")
        return StatusThresholds()
    r.unknown_keys(status, "status", "status.")
    default = StatusThresholds()
    values = {
        key: r.share(status, key, f"status.{key}", getattr(default, key), low=0.0, high=1.0)
        for key in _KEYS["status"]
    }
    for kind in ("demand", "budget"):
        if values[f"{kind}_amber"] > values[f"{kind}_red"]:
            r.problem(f"status.{kind}_amber", f"must not exceed status.{kind}_red")
    return StatusThresholds(**values)


def read_comparators(r: _Reader, data: bytes, where: str) -> pl.DataFrame | None:
    """The comparator CSV: `council`, the three money measures, `source`."""
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema_length=0)
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as err:
        r.problem(where, f"cannot be read as CSV: {err}")
        return None
    missing = [c for c in ("council", *COMPARATOR_COLUMNS, "source") if c not in frame.columns]
    if missing:
        r.problem(where, f"lacks the column(s) {', '.join(missing)}")
        return None
    typed = frame.select(
        pl.col("council").str.strip_chars(),
        *(
            pl.col(c).str.replace_all(r"[£,\s]", "").cast(pl.Float64, strict=False)
            for c in COMPARATOR_COLUMNS
        ),
        pl.col("source").fill_null(""),
    )
    for i, row in enumerate(frame.iter_rows(named=True)):
        if not (row["council"] or "").strip():
            r.problem(f"{where} row {i + 2}", "council is blank")
        for c in COMPARATOR_COLUMNS:
            if row[c] not in (None, "") and typed[c][i] is None:
                r.problem(f"{where} row {i + 2}", f"{c} {row[c]!r} is not a number")
    return typed


def parse_profile(
    text: str, *, source: str = "profile", comparators: bytes | None = None
) -> CouncilProfile:
    """A checked `CouncilProfile` from TOML text (and the comparator CSV's bytes, if any).

    Raises:
        ProfileError: Listing every problem, each with its key.
    """
    r = _Reader()
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ProfileError(source, [ProfileProblem("(file)", f"not valid TOML: {err}")]) from None
    r.unknown_keys(doc, "", "")
    council = _council(r, doc)
    districts = _districts(r, doc)
    dates = _dates(r, doc)
    status = _status(r, doc)
    section = doc.get("comparators", {})
    home = None
    table = None
    if isinstance(section, dict):
        r.unknown_keys(section, "comparators", "comparators.")
        home = r.text(section, "home", "comparators.home", required=False) or None
        if "file" in section and comparators is None:
            r.problem("comparators.file", f"{section['file']!r} was not found beside the profile")
        if comparators is not None:
            table = read_comparators(r, comparators, "comparators.file")
    else:
        r.problem("comparators", "must be a table")
    if table is not None and r.problems == []:
        home_name = home or council["short_name"]
        if home_name not in table["council"].to_list():
            r.problem("comparators.home", f"{home_name!r} is not a council in the comparator CSV")
    if r.problems:
        raise ProfileError(source, r.problems)
    return CouncilProfile(
        **council,
        districts=districts,
        status=status,
        comparators=table,
        comparator_home=home,
        **dates,
    )


def comparator_file(text: str, folder: Path) -> Path | None:
    """The comparator CSV a profile names (relative to its folder), or None."""
    try:
        section = tomllib.loads(text).get("comparators", {})
    except tomllib.TOMLDecodeError:
        return None
    name = section.get("file") if isinstance(section, dict) else None
    return folder / name if isinstance(name, str) and name else None


def read_profile_file(path: Path) -> tuple[CouncilProfile, str, bytes | None]:
    """Parse the profile at `path` and its comparator CSV; returns the profile and the raw
    TOML and CSV (what the database stores).

    Raises:
        ProfileError: If the file or its comparator CSV cannot be read, or has problems.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ProfileError(
            path.name, [ProfileProblem("(file)", f"cannot be read: {err}")]
        ) from None
    csv_path = comparator_file(text, path.parent)
    csv = None
    if csv_path is not None and csv_path.is_file():
        csv = csv_path.read_bytes()
    return parse_profile(text, source=path.name, comparators=csv), text, csv
