"""CLD rows into the contract's tables: read and de-identify each file, classify its events, keep
the latest submission of each, map the values, and find every problem.

A file's direct identifiers are used once, as it is read (`deidentify`): the person key becomes
its pseudonym, the date of birth an age at the event start, the postcode its sector (enough to
find the district), and the raw values are dropped. Everything after that works on the
de-identified frame, so no name, NHS number, date of birth or full postcode reaches a problem
message, a log or the database.

Problems name the CLD file, its row as a spreadsheet shows it and the CLD column as the file
writes it. The mapped rows also go through the data contract's own checks (`validate`), whose
problems are put back in CLD terms.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ascdemand.profile.model import CouncilProfile
from ascdemand.profile.postcode import districts_for_postcodes
from ascdemand.store.cld import values as v
from ascdemand.store.cld.headers import HEADERS, cld_columns, read_cld_extract
from ascdemand.store.contract import CARE_PACKAGES, DISCHARGES, PLACEMENTS, Table
from ascdemand.store.ingest import DEFAULT_MAX_BYTES, LineMap, UnreadableFile
from ascdemand.store.pseudonymise import load_key, pseudonymise
from ascdemand.store.validate import MAX_SHOWN, ROW, Problem, validate

FILE = "__file__"
_POS = "__pos__"
TABLES: dict[str, Table] = {t.name: t for t in (CARE_PACKAGES, PLACEMENTS, DISCHARGES)}
SKIP_REASONS = (
    "carers",
    "assessments",
    "reviews",
    "other requests",
    "other services",
    "older submission",
    "invalid rows",
)
FREQUENCIES = "Hourly, Daily, Weekly, Fortnightly, 4-Weekly, Monthly, Quarterly, Annually, One-off"
# The CLD field each contract column comes from, to name it in the contract's problems.
_FIELD_OF = {
    "package_id": "event_reference",
    "placement_id": "event_reference",
    "discharge_id": "event_reference",
    "person_id": "la_person_id",
    "service_type": "service_component",
    "placement_type": "service_type",
    "setting": "service_component",
    "district": "postcode",
    "client_group": "primary_support_reason",
    "start_date": "event_start",
    "discharge_date": "event_start",
    "end_date": "event_end",
    "hours_per_week": "planned_units",
    "weekly_cost": "unit_cost",
    "standard_rate": "unit_cost",
    "additional_payment": "unit_cost",
    "provider": "provider",
}
_PROBLEM_SCHEMA = {
    FILE: pl.Int32,
    ROW: pl.Int64,
    "field": pl.String,
    "message": pl.String,
    "kind": pl.String,
    "covers": pl.String,
}


@dataclass(frozen=True, slots=True)
class CldFile:
    """One CLD file, read and de-identified: `frame` holds the fields the import needs, with
    `person_id` (pseudonymised), `age`, `sector` and `outward` in place of the identifiers;
    `headers` gives each field's header as the file writes it."""

    label: str
    sha256: str
    frame: pl.DataFrame
    headers: dict[str, str]
    lines: LineMap | None


def deidentify(frame: pl.DataFrame) -> pl.DataFrame:
    """Replace the person identifiers, date of birth and postcode by what the import needs of
    them: the pseudonym of the LA Person Unique Identifier (else of a valid NHS Number), the age
    at the event start, the postcode's sector and outward code, and flags for their faults."""
    la_id, nhs = pl.col("la_person_id"), pl.col("nhs_number")
    digits = v.nhs_digits(nhs)
    valid = v.nhs_number_valid(digits)
    start, birth = v.parse_date(pl.col("event_start")), v.parse_date(pl.col("date_of_birth"))
    outward = v.outward_code(pl.col("postcode"))
    keyed = frame.with_columns(
        pl.coalesce(la_id, pl.when(valid).then(pl.format("nhs:{}", digits))).alias("person_key"),
        pl.when(la_id.is_null() & nhs.is_null())
        .then(pl.lit("missing"))
        .when(la_id.is_null() & ~valid)
        .then(pl.lit("invalid"))
        .when(nhs.is_not_null() & ~valid)
        .then(pl.lit("unused invalid"))
        .alias("person_issue"),
        v.age_at(birth, start).alias("age"),
        pl.when(pl.col("date_of_birth").is_null())
        .then(pl.lit("blank"))
        .when(birth.is_null())
        .then(pl.lit("not a date"))
        .when(birth > start)
        .then(pl.lit("after start"))
        .alias("birth_issue"),
        v.postcode_sector(pl.col("postcode")).alias("sector"),
        outward.alias("outward"),
        pl.when(pl.col("postcode").is_null())
        .then(pl.lit("blank"))
        .when(outward.is_null())
        .then(pl.lit("not a postcode"))
        .alias("postcode_issue"),
    )
    person_id = pseudonymise(keyed["person_key"], load_key()).alias("person_id")
    return keyed.with_columns(person_id).drop(
        "person_key", "la_person_id", "nhs_number", "date_of_birth", "postcode"
    )


def read_cld(path: Path, sha256: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> CldFile:
    """Read a CLD file and de-identify it straight away.

    Raises:
        UnreadableFile: The file cannot be read, or lacks a required CLD column.
    """
    extract = read_cld_extract(path, max_bytes=max_bytes)
    columns, headers = cld_columns(extract)
    if columns.height == 0:
        raise UnreadableFile("no data rows below the header", extract.first_row)
    return CldFile(extract.label, sha256, deidentify(columns), headers, extract.lines)


@dataclass(frozen=True, slots=True)
class StoredState:
    """What an import needs from the database: the profile, the reporting period of every CLD
    event stored (`table_name`, `event_reference`, `reporting_period_end`) and the as-at date
    setting, if one is set."""

    profile: CouncilProfile
    periods: pl.DataFrame
    as_at_setting: dt.date | None


@dataclass(frozen=True, slots=True)
class Prepared:
    """The files' rows ready to store: per table, the valid rows of the latest submission of
    each event (contract columns, `FILE`, `event_reference`, `reporting_period_end`), with what
    was skipped and every problem (the first `MAX_SHOWN` listed, all counted)."""

    tables: dict[str, pl.DataFrame]
    rows_read: int
    skipped: dict[str, int]
    problems: tuple[Problem, ...]
    problem_total: int
    problem_counts: dict[str, int]
    notes: tuple[Problem, ...]
    as_at: dt.date
    period_ends: tuple[dt.date | None, ...]


def _found(
    frame: pl.DataFrame,
    when: pl.Expr,
    field: str,
    kind: str,
    message: pl.Expr | str,
    covers: str | None = None,
) -> pl.DataFrame:
    """The problem of kind `kind` in column `field` on every row where `when` holds; `covers`
    names the field whose contract check would report the same fault again."""
    text = pl.lit(message) if isinstance(message, str) else message
    return frame.filter(when.fill_null(False)).select(
        pl.col(FILE),
        pl.col(ROW),
        pl.lit(field).alias("field"),
        text.cast(pl.String).alias("message"),
        pl.lit(kind).alias("kind"),
        pl.lit(covers, pl.String).alias("covers"),
    )


def _classify(rows: pl.DataFrame) -> pl.DataFrame:
    """Each row's `kind`: the table it maps to (`care_packages`, `placements`, `discharges`),
    a skip reason, or `unknown` when its Client Type or Event Type is not a CLD value."""
    client, event = v.value_key(pl.col("client_type")), v.value_key(pl.col("event_type"))
    table, package, placement_type, setting = v.service_mapping(
        pl.col("service_type"), pl.col("service_component"), pl.col("delivery_mechanism")
    )
    discharge = v.value_key(pl.col("route_of_access")) == "dischargefromhospital"
    kind = (
        pl.when(client.is_in(["carer", "carerknownbyassociation"]))
        .then(pl.lit("carers"))
        .when(client.is_null() | (client != "serviceuser"))
        .then(pl.lit(None, pl.String))
        .when(event == "request")
        .then(pl.when(discharge).then(pl.lit("discharges")).otherwise(pl.lit("other requests")))
        .when(event == "assessment")
        .then(pl.lit("assessments"))
        .when(event == "review")
        .then(pl.lit("reviews"))
        .when(event == "service")
        .then(pl.coalesce(table, pl.lit("other services")))
    )
    return rows.with_columns(
        kind.fill_null("unknown").alias("kind"),
        client.alias("client"),
        event.alias("event"),
        v.parse_date(pl.col("reporting_period_end")).alias("period_end"),
        package.alias("package_type"),
        placement_type.alias("placement_type"),
        setting.alias("setting"),
    )


def _unknown_values(rows: pl.DataFrame) -> list[pl.DataFrame]:
    """Rows whose Client Type or Event Type is blank or not a CLD value."""
    unknown = pl.col("kind") == "unknown"
    clients = "Service User, Carer, Carer known by association"
    return [
        _found(
            rows,
            unknown & pl.col("client_type").is_null(),
            "client_type",
            "blank value",
            "blank, but a value is required",
        ),
        _found(
            rows,
            unknown & pl.col("client_type").is_not_null() & (pl.col("client") != "serviceuser"),
            "client_type",
            "not an allowed value",
            pl.format("'{}' is not a CLD client type; use one of: " + clients, "client_type"),
        ),
        _found(
            rows,
            unknown & (pl.col("client") == "serviceuser") & pl.col("event_type").is_null(),
            "event_type",
            "blank value",
            "blank, but a value is required",
        ),
        _found(
            rows,
            unknown & (pl.col("client") == "serviceuser") & pl.col("event_type").is_not_null(),
            "event_type",
            "not an allowed value",
            pl.format(
                "'{}' is not a CLD event type; use one of: Request, Assessment, Review, Service",
                "event_type",
            ),
        ),
    ]


def _latest(
    loaded: pl.DataFrame, periods: pl.DataFrame
) -> tuple[pl.DataFrame, list[pl.DataFrame], int]:
    """The latest submission of each event: a reference repeated within one file is a problem;
    across files the later Reporting Period End Date wins (on a tie, the file given later); a
    submission older than the one stored is skipped. Returns the rows kept, the problems and
    how many older submissions were skipped."""
    ref = pl.col("event_reference")
    first = pl.col(ROW).min().over(FILE, "kind", "event_reference")
    repeated = ref.is_not_null() & (pl.col(ROW) != first)
    problems = [
        _found(
            loaded.with_columns(first.alias("__first__")),
            repeated,
            "event_reference",
            "duplicate key",
            pl.format("'{}' appears again in this file: first on row {}", ref, "__first__"),
        ),
        _found(
            loaded,
            pl.col("period_end").is_null(),
            "reporting_period_end",
            "invalid date",
            pl.when(pl.col("reporting_period_end").is_null())
            .then(pl.lit("blank, but it decides which submission of an event is the latest"))
            .otherwise(pl.format("'{}' is not a date", "reporting_period_end")),
        ),
    ]
    newest_first = loaded.filter(~repeated).sort(
        ["period_end", FILE], descending=True, nulls_last=True
    )
    ranked = newest_first.with_columns(
        pl.int_range(pl.len()).over("kind", "event_reference").alias("__rank__")
    ).join(
        periods.rename({"table_name": "kind", "reporting_period_end": "__stored__"}),
        on=["kind", "event_reference"],
        how="left",
    )
    stored_is_newer = (pl.col("__stored__") > pl.col("period_end")).fill_null(False)
    kept = ranked.filter(ref.is_null() | ((pl.col("__rank__") == 0) & ~stored_is_newer))
    return kept.drop("__rank__", "__stored__"), problems, ranked.height - kept.height


def _mapped_values(rows: pl.DataFrame, profile: CouncilProfile) -> pl.DataFrame:
    """The contract's values of every row to load (before the derived ones)."""
    frequency = v.cost_frequency(pl.col("cost_frequency"))
    unit_cost = v.parse_number(pl.col("unit_cost"))
    planned = v.parse_number(pl.col("planned_units"))
    return rows.with_columns(
        v.parse_date(pl.col("event_start")).alias("start_date"),
        v.parse_date(pl.col("event_end")).alias("end_date"),
        v.parse_date(pl.col("date_of_death")).alias("death"),
        frequency.alias("frequency"),
        unit_cost.alias("unit_cost_number"),
        planned.alias("planned_number"),
        v.weekly_cost(unit_cost, frequency, planned).alias("weekly_cost"),
        pl.when(frequency == "hourly").then(planned).alias("hours_per_week"),
        v.client_group(pl.col("primary_support_reason"), pl.col("age")).alias("client_group"),
        districts_for_postcodes(rows["sector"], profile.districts).alias("district"),
    )


def _value_problems(rows: pl.DataFrame) -> list[pl.DataFrame]:
    """Problems with the values of the rows to load, each covering the contract check that
    would report its fault again."""
    service = pl.col("kind") != "discharges"
    start, end = pl.col("start_date"), pl.col("end_date")
    not_shown = " (the value is not shown)"
    return [
        _found(
            rows,
            pl.col("person_issue") == "missing",
            "la_person_id",
            "blank value",
            "blank, and so is the NHS Number: the person cannot be identified",
            covers="la_person_id",
        ),
        _found(
            rows,
            pl.col("person_issue") == "invalid",
            "nhs_number",
            "invalid NHS number",
            "fails the NHS number check digit"
            + not_shown
            + ", and the LA Person Unique Identifier is blank",
            covers="la_person_id",
        ),
        _found(
            rows,
            service & pl.col("birth_issue").is_not_null(),
            "date_of_birth",
            "invalid date of birth",
            pl.when(pl.col("birth_issue") == "blank")
            .then(pl.lit("blank, but the age at the service start decides the client group"))
            .when(pl.col("birth_issue") == "not a date")
            .then(pl.lit("not a date" + not_shown))
            .otherwise(pl.lit("after the event start date" + not_shown)),
            covers="primary_support_reason",
        ),
        _found(
            rows,
            pl.col("date_of_death").is_not_null() & pl.col("death").is_null(),
            "date_of_death",
            "invalid date",
            "not a date" + not_shown,
        ),
        _found(
            rows,
            service & (pl.col("death") < start),
            "date_of_death",
            "death before service",
            pl.format("the person died before this service starts on {}", start),
        ),
        _found(
            rows,
            pl.col("event_start").is_not_null() & start.is_null(),
            "event_start",
            "invalid date",
            pl.format(
                "'{}' is not a date (use YYYY-MM-DD, DD/MM/YYYY or an Excel date)", "event_start"
            ),
            covers="event_start",
        ),
        _found(
            rows,
            start > pl.col("period_end"),
            "event_start",
            "after reporting period",
            pl.format(
                "the event starts on {}, after the reporting period ends on {}", start, "period_end"
            ),
            covers="event_start",
        ),
        _found(
            rows,
            service & pl.col("event_end").is_not_null() & end.is_null(),
            "event_end",
            "invalid date",
            pl.format(
                "'{}' is not a date (use YYYY-MM-DD, DD/MM/YYYY or an Excel date)", "event_end"
            ),
            covers="event_end",
        ),
        _found(
            rows,
            pl.col("postcode_issue").is_not_null() | pl.col("district").is_null(),
            "postcode",
            "unknown district",
            pl.when(pl.col("postcode_issue") == "blank")
            .then(pl.lit("blank, but the district comes from the postcode"))
            .when(pl.col("postcode_issue").is_not_null())
            .then(pl.lit("not a postcode" + not_shown))
            .otherwise(
                pl.format(
                    "a postcode in {} lies in none of the council's districts (the rest of the "
                    "postcode is not shown); check the profile's postcode prefixes",
                    "outward",
                )
            ),
            covers="postcode",
        ),
        _found(
            rows,
            service & pl.col("unit_cost").is_not_null() & pl.col("unit_cost_number").is_null(),
            "unit_cost",
            "not a number",
            pl.format("'{}' is not a number", "unit_cost"),
            covers="unit_cost",
        ),
        _found(
            rows,
            service & pl.col("frequency").is_null(),
            "cost_frequency",
            "unknown cost frequency",
            pl.when(pl.col("cost_frequency").is_null())
            .then(pl.lit("blank, but the weekly cost needs it"))
            .otherwise(
                pl.format(
                    "'{}' is not a cost frequency; use one of: " + FREQUENCIES, "cost_frequency"
                )
            ),
            covers="unit_cost",
        ),
        _found(
            rows,
            service & (pl.col("frequency") == "hourly") & pl.col("planned_number").is_null(),
            "planned_units",
            "no planned hours",
            pl.when(pl.col("planned_units").is_null())
            .then(pl.lit("blank, but an hourly cost needs the planned hours a week"))
            .otherwise(pl.format("'{}' is not a number", "planned_units")),
            covers="unit_cost",
        ),
    ]


def _contract_frame(rows: pl.DataFrame, table: str, profile: CouncilProfile) -> pl.DataFrame:
    """The rows of one table in the contract's columns, plus what the writer needs. Derived
    values (`source`; `pathway`, `outcome`) are placeholders here: `derive` sets them."""
    ref = pl.col("event_reference")
    columns: dict[str, pl.Expr]
    if table == "care_packages":
        columns = {
            "package_id": ref,
            "person_id": pl.col("person_id"),
            "service_type": pl.col("package_type"),
            "district": pl.col("district"),
            "client_group": pl.col("client_group"),
            "start_date": pl.col("start_date"),
            "end_date": pl.col("end_date"),
            "hours_per_week": pl.col("hours_per_week"),
            "weekly_cost": pl.col("weekly_cost"),
            "provider": pl.col("provider"),
            "source": pl.lit("community"),
        }
    elif table == "placements":
        # CLD has no standard rate: the whole weekly cost is taken as the standard rate.
        columns = {
            "placement_id": ref,
            "person_id": pl.col("person_id"),
            "placement_type": pl.col("placement_type"),
            "setting": pl.col("setting"),
            "district": pl.col("district"),
            "client_group": pl.col("client_group"),
            "start_date": pl.col("start_date"),
            "end_date": pl.col("end_date"),
            "weekly_cost": pl.col("weekly_cost"),
            "standard_rate": pl.col("weekly_cost"),
            "additional_payment": pl.lit(0.0),
            "provider": pl.col("provider"),
            "reason": pl.lit(None, pl.String),
        }
    else:
        columns = {
            "discharge_id": ref,
            "person_id": pl.col("person_id"),
            "discharge_date": pl.col("start_date"),
            "district": pl.col("district"),
            "hospital_trust": pl.lit(profile.default_trust, pl.String),
            "pathway": pl.lit("P0"),
            "outcome": pl.lit("no_ongoing_package"),
        }
    return rows.filter(pl.col("kind") == table).select(
        *(e.alias(name) for name, e in columns.items()),
        pl.col(FILE),
        pl.col(ROW).alias("__cld_row__"),
        ref,
        pl.col("period_end").alias("reporting_period_end"),
    )


@dataclass(frozen=True, slots=True)
class _Checked:
    """The contract's checks on one table's mapped rows, in CLD terms: the problems kept (at
    most `MAX_SHOWN`), every invalid row, how many problems of each kind, and the notes."""

    problems: pl.DataFrame
    invalid: pl.DataFrame
    counts: dict[str, int]
    notes: pl.DataFrame


def _contract_check(
    frame: pl.DataFrame, table: Table, as_at: dt.date, districts: tuple[str, ...]
) -> _Checked:
    """Run `validate` on one table's mapped rows and put its findings back in CLD terms: the
    file and row each came from, and the CLD field of each contract column."""
    checked = validate(
        frame.select(table.column_names),
        table,
        file_name="",
        as_at=as_at,
        first_row=1,
        districts=districts,
    )
    where = frame.select(FILE, pl.col("__cld_row__").alias(ROW))

    def in_cld_terms(findings: tuple[Problem, ...]) -> pl.DataFrame:
        found = [p for p in findings if p.row is not None]
        return where[[p.row - 1 for p in found if p.row is not None]].with_columns(
            pl.Series("field", [_FIELD_OF.get(p.column or "") for p in found], pl.String),
            pl.Series("message", [p.message for p in found], pl.String),
            pl.Series("kind", [p.kind for p in found], pl.String),
            pl.lit(None, pl.String).alias("covers"),
        )

    return _Checked(
        problems=in_cld_terms(checked.problems),
        invalid=where[(checked.invalid_rows - 1).to_list()],
        counts=checked.counts,
        notes=in_cld_terms(checked.notes),
    )


def _as_problems(found: pl.DataFrame, files: list[CldFile]) -> tuple[Problem, ...]:
    """Findings (`_PROBLEM_SCHEMA` rows) as `Problem`s naming the file, its row (and line, where
    a CSV row starts on another) and the CLD column as the file writes it."""
    listed = []
    for file, row, field, message, kind in found.select(
        FILE, ROW, "field", "message", "kind"
    ).iter_rows():
        source = files[file]
        column = source.headers.get(field, HEADERS.get(field)) if field else None
        problem = Problem(source.label, row, column, message, kind)
        listed.append(source.lines.locate([problem])[0] if source.lines else problem)
    return tuple(listed)


def _unused_nhs_numbers(rows: pl.DataFrame) -> pl.DataFrame:
    """A note per file on NHS numbers that fail their check digit where the LA Person Unique
    Identifier is the key, so they are not used."""
    return (
        rows.filter(pl.col("person_issue") == "unused invalid")
        .group_by(FILE)
        .agg(pl.col(ROW).min(), pl.len().alias("n"))
        .select(
            FILE,
            ROW,
            pl.lit("nhs_number").alias("field"),
            pl.format(
                "{} row(s) have an NHS Number that fails its check digit (not shown); not used, "
                "as the LA Person Unique Identifier is given",
                "n",
            ).alias("message"),
            pl.lit("note").alias("kind"),
            pl.lit(None, pl.String).alias("covers"),
        )
    )


def prepare(files: list[CldFile], state: StoredState) -> Prepared:
    """Classify, supersede, map and check the rows of `files` against the stored state.

    Problems include the contract's own checks on the mapped rows, except where a CLD check
    already reported the same fault on that row (a blank district after an unknown postcode).
    """
    rows = _classify(
        pl.concat(
            [f.frame.with_columns(pl.lit(i, pl.Int32).alias(FILE)) for i, f in enumerate(files)],
            how="diagonal",
        )
    )
    kinds = dict(rows.group_by("kind").len().iter_rows())
    found = _unknown_values(rows)
    loaded, superseded, older = _latest(
        rows.filter(pl.col("kind").is_in(list(TABLES))), state.periods
    )
    found += superseded
    ends = pl.DataFrame({FILE: range(len(files))}, schema={FILE: pl.Int32}).join(
        rows.group_by(FILE).agg(pl.col("period_end").max()), on=FILE, how="left"
    )
    period_ends = tuple(ends.sort(FILE)["period_end"].to_list())
    as_at = max([d for d in (state.as_at_setting, *period_ends) if d], default=dt.date.today())
    mapped = _mapped_values(loaded, state.profile)
    found += _value_problems(mapped)
    own = pl.concat(found).cast(_PROBLEM_SCHEMA)

    frames = {name: _contract_frame(mapped, name, state.profile) for name in TABLES}
    checks = [
        _contract_check(frames[name], table, as_at, state.profile.district_names)
        for name, table in TABLES.items()
        if frames[name].height
    ]
    counts: Counter[str] = Counter(own["kind"].to_list())
    for check in checks:
        counts.update(check.counts)
    contract = pl.concat([c.problems for c in checks] or [own.clear()]).cast(_PROBLEM_SCHEMA)
    covered = own.filter(pl.col("covers").is_not_null()).select(
        FILE, ROW, pl.col("covers").alias("field")
    )
    repeats = pl.concat([own, contract.join(covered, on=[FILE, ROW, "field"], how="anti")])
    shown = repeats.unique([FILE, ROW, "field", "message"], keep="first", maintain_order=True)
    for kind, n in Counter(pl.concat([own, contract])["kind"].to_list()).items():
        counts[kind] -= n - shown.filter(pl.col("kind") == kind).height
    invalid = pl.concat([own.select(FILE, ROW), *(c.invalid for c in checks)]).unique()
    tables = {
        name: frame.join(
            invalid.rename({ROW: "__cld_row__"}), on=[FILE, "__cld_row__"], how="anti"
        ).drop("__cld_row__")
        for name, frame in frames.items()
    }
    notes = pl.concat(
        [_unused_nhs_numbers(loaded).cast(_PROBLEM_SCHEMA), *(c.notes for c in checks)]
    )
    skipped = {reason: kinds.get(reason, 0) for reason in SKIP_REASONS}
    skipped["older submission"] = older
    skipped["invalid rows"] = invalid.height
    total = sum(counts.values())
    return Prepared(
        tables=tables,
        rows_read=rows.height,
        skipped=skipped,
        problems=_as_problems(shown.sort(FILE, ROW, maintain_order=True).head(MAX_SHOWN), files),
        problem_total=total,
        problem_counts={k: n for k, n in counts.items() if n > 0},
        notes=_as_problems(notes, files),
        as_at=as_at,
        period_ends=period_ends,
    )
