"""Column mappings: load another system's export (Mosaic, LAS, ContrOCC) without editing it.

A mapping is a small TOML file for one contract table: the contract column each source column
holds, and for any contract column the contract value each source value means.

    [columns]             # source column -> contract column
    "Client Ref" = "person_id"
    "Service" = "service_type"
    [values.service_type] # contract column -> { source value -> contract value }
    "Dom Care" = "homecare"

Source column names and values match ignoring case and spaces; a value the mapping does not
name passes through for `validate` to judge. `parse` checks the mapping itself against the
contract, each problem naming its key; `apply` renames and recodes the frame as read, with polars
expressions, before `validate`; `relabel` then gives validate's problems the file's own column
headers, so a person can find them in the file. Mappings saved on the Data page are kept in the
`column_mappings` table of the app state (`store.state`).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import polars as pl

from ascdemand.store import audit, state
from ascdemand.store.contract import Column, Table
from ascdemand.store.sql import utc_now
from ascdemand.store.validate import Problem, Validation, normalise_header

_SPACES = r"\s+"
_SECTIONS = ("columns", "values")


class MappingError(ValueError):
    """The mapping cannot be used: each problem names the mapping (as its file) and the key."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        super().__init__(
            f"The column mapping {name} was not used: {len(problems)} problem(s) found. "
            "Nothing was changed."
        )
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """A checked mapping for `table`: `columns` maps source column -> contract column and
    `values` maps contract column -> {source value -> contract value}, keys as written; `name`
    (the file or saved name) is named in problems; `text` is the TOML, kept for saving."""

    name: str
    table: str
    columns: dict[str, str]
    values: dict[str, dict[str, str]]
    text: str

    @property
    def header_names(self) -> frozenset[str]:
        """The source columns as `validate.normalise_header` spells them, so the reader can
        find a header row that names them rather than the contract's columns."""
        return frozenset(normalise_header(source) for source in self.columns)


@dataclass(frozen=True, slots=True)
class Mapped:
    """A frame with the mapping applied: `headers` gives the file's own header of each mapped
    contract column, `missing` the header the mapping expected for those the file lacks."""

    frame: pl.DataFrame
    headers: dict[str, str]
    missing: dict[str, str]
    notes: tuple[Problem, ...]


def _fold(text: str) -> str:
    """`' Dom  Care '` -> `'domcare'`: how source names and values are matched."""
    return re.sub(_SPACES, "", text.replace("\ufeff", "")).lower()


def _target_value_problem(column: Column, value: str) -> str | None:
    """Why the contract value `value` cannot be a value of `column`; None when it can."""
    if not value.strip():
        return None if column.nullable else f"blank is not allowed: {column.name} needs a value"
    if column.allowed is not None and _contract_value(column, value) not in column.allowed:
        return (
            f"{value!r} is not allowed for {column.name}; use one of: {', '.join(column.allowed)}"
        )
    if column.type == "date":
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError:
            return f"{value!r} is not a date like 2021-10-31"
    if column.type in ("number", "integer"):
        try:
            float(value)
        except ValueError:
            return f"{value!r} is not a number"
    return None


def _contract_value(column: Column, value: str) -> str:
    """An allowed value in the contract's spelling (`Supported Living` -> `supported_living`),
    matched ignoring case, spaces and hyphens as `validate` matches them; else `value`."""
    canonical = {re.sub(r"[\s\-]+", "_", v.lower()): v for v in column.allowed or ()}
    return canonical.get(re.sub(r"[\s\-]+", "_", value.strip().lower()), value.strip())


def _check_columns(columns: object, table: Table, problems: list[str]) -> dict[str, str]:
    """The [columns] section as source -> contract column; its problems go to `problems`."""
    if not isinstance(columns, dict):
        problems.append('[columns]: expected lines like "Client Ref" = "person_id"')
        return {}
    mapped: dict[str, str] = {}
    by_fold: dict[str, str] = {}
    sources_of: dict[str, list[str]] = {}
    for source, target in columns.items():
        where = f"[columns] {source!r}"
        if _fold(source) in by_fold:
            problems.append(
                f"{where}: the same column as {by_fold[_fold(source)]!r} "
                "(names match ignoring case and spaces)"
            )
            continue
        by_fold[_fold(source)] = source
        if not isinstance(target, str):
            problems.append(f"{where}: the contract column must be text in quotes")
        elif normalise_header(target) not in table.column_names:
            problems.append(
                f"{where}: {target!r} is not a column of {table.name}; use one of: "
                + ", ".join(table.column_names)
            )
        else:
            mapped[source] = normalise_header(target)
            sources_of.setdefault(mapped[source], []).append(source)
    for target, sources in sources_of.items():
        if len(sources) > 1:
            problems.append(
                f"[columns] {', '.join(repr(s) for s in sources)}: all map to {target}; "
                "map one source column to each contract column"
            )
    return mapped


def _check_values(values: object, table: Table, problems: list[str]) -> dict[str, dict[str, str]]:
    """The [values.COLUMN] sections as contract column -> {source value -> contract value};
    their problems go to `problems`."""
    if not isinstance(values, dict):
        problems.append('[values]: expected sections like [values.service_type] "Dom Care" = ...')
        return {}
    recodes: dict[str, dict[str, str]] = {}
    for name, pairs in values.items():
        where = f"[values.{name}]"
        if normalise_header(name) not in table.column_names:
            problems.append(
                f"{where}: {name!r} is not a column of {table.name}; use one of: "
                + ", ".join(table.column_names)
            )
            continue
        if not isinstance(pairs, dict):
            problems.append(f'{where}: expected lines like "Dom Care" = "homecare"')
            continue
        column = table.column(normalise_header(name))
        recode: dict[str, str] = {}
        by_fold: dict[str, str] = {}
        for source, target in pairs.items():
            key = f"{where} {source!r}"
            reason = (
                "the contract value must be text in quotes"
                if not isinstance(target, str)
                else _target_value_problem(column, target)
            )
            if reason:
                problems.append(f"{key}: {reason}")
            elif _fold(source) in by_fold:
                problems.append(
                    f"{key}: the same value as {by_fold[_fold(source)]!r} "
                    "(values match ignoring case and spaces)"
                )
            else:
                by_fold[_fold(source)] = source
                recode[source] = _contract_value(column, target)
        recodes[column.name] = recode
    return recodes


def parse(text: str, table: Table, *, name: str) -> ColumnMapping:
    """Read and check a mapping's TOML for loading into `table`.

    Raises:
        MappingError: The TOML is malformed, or names a column the contract lacks, maps two
            source columns to one contract column, or maps a value to one the contract does
            not allow; every problem is listed, naming its key.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise MappingError(
            name, [Problem(name, None, None, f"not a valid TOML file: {err}", "mapping")]
        ) from None
    problems: list[str] = [
        f"[{key}]: unknown section; a mapping has [columns] and [values.COLUMN] sections"
        for key in doc
        if key not in _SECTIONS
    ]
    columns = _check_columns(doc.get("columns", {}), table, problems)
    values = _check_values(doc.get("values", {}), table, problems)
    if problems:
        raise MappingError(name, [Problem(name, None, None, p, "mapping") for p in problems])
    return ColumnMapping(name, table.name, columns, values, text)


def _recode(column: str, recode: dict[str, str]) -> pl.Expr:
    """`column` with each value the mapping names replaced by its contract value."""
    folded = {_fold(source): target for source, target in recode.items()}
    text = pl.col(column).cast(pl.String)
    key = text.str.replace_all(_SPACES, "").str.to_lowercase()
    contract = key.replace_strict(folded, default=None, return_dtype=pl.String)
    return pl.when(key.is_in(list(folded))).then(contract).otherwise(text).alias(column)


def apply(
    mapping: ColumnMapping, frame: pl.DataFrame, *, file_name: str, header_row: int | None
) -> Mapped:
    """Rename the frame's mapped columns to their contract names and recode mapped values.

    A column of the file already named like a contract column the mapping takes from another
    column is set aside (with a note), so the mapping decides which one is loaded.
    """
    targets = {_fold(source): target for source, target in mapping.columns.items()}
    rename: dict[str, str] = {}
    headers: dict[str, str] = {}
    for header in frame.columns:
        target = targets.get(_fold(header))
        if target is not None and target not in headers:
            rename[header] = target
            headers[target] = header
    set_aside = [c for c in frame.columns if c not in rename and normalise_header(c) in headers]
    notes = tuple(
        Problem(
            file_name,
            header_row,
            header,
            f"ignored: the mapping takes {normalise_header(header)} from column "
            f"{headers[normalise_header(header)]}",
            "note",
        )
        for header in set_aside
    )
    frame = frame.drop(set_aside).rename(rename)
    recodes = [
        _recode(header, mapping.values[normalise_header(header)])
        for header in frame.columns
        if mapping.values.get(normalise_header(header))
    ]
    missing = {t: s for s, t in mapping.columns.items() if t not in headers}
    return Mapped(frame.with_columns(recodes), headers, missing, notes)


def _relabelled(problem: Problem, mapped: Mapped) -> Problem:
    if problem.column in mapped.headers:
        return replace(problem, column=mapped.headers[problem.column])
    if problem.kind == "missing column" and problem.column in mapped.missing:
        source = mapped.missing[problem.column]
        return replace(
            problem,
            column=source,
            message=f"{problem.message}: the mapping takes it from column {source}, "
            "which the file does not have",
        )
    return problem


def relabel(checked: Validation, mapped: Mapped) -> Validation:
    """`checked` with each problem and note naming the file's own column header instead of
    the contract column the mapping made of it, and the mapping's notes added."""
    return replace(
        checked,
        problems=tuple(_relabelled(p, mapped) for p in checked.problems),
        notes=tuple(_relabelled(p, mapped) for p in checked.notes) + mapped.notes,
    )


def save(
    con: duckdb.DuckDBPyConnection, mapping: ColumnMapping, *, name: str, saved_by: str | None
) -> None:
    """Keep `mapping` under `name` (replacing a mapping of that name), with an audit entry,
    inside the caller's state transaction (`state.transaction`)."""
    replaced = con.execute("SELECT count(*) FROM column_mappings WHERE name = ?", [name])
    verb = "replaced" if replaced.fetchall()[0][0] else "saved"
    con.execute(
        "INSERT OR REPLACE INTO column_mappings (name, table_name, toml, saved_at, saved_by) "
        "VALUES (?, ?, ?, ?, ?)",
        [name, mapping.table, mapping.text, utc_now(), saved_by],
    )
    audit.record(
        con,
        user=saved_by,
        action="save mapping",
        detail=f"Column mapping {name!r} for {mapping.table} {verb} (from {mapping.name}).",
    )


def saved_names(con: duckdb.DuckDBPyConnection, table_name: str) -> list[str]:
    """The names of the mappings saved for `table_name`, in order."""
    rows = con.execute(
        "SELECT name FROM column_mappings WHERE table_name = ? ORDER BY name", [table_name]
    ).fetchall()
    return [row[0] for row in rows]


def saved(con: duckdb.DuckDBPyConnection, name: str, table: Table) -> ColumnMapping:
    """The mapping saved under `name`, checked for `table`.

    Raises:
        MappingError: None is saved under `name`, or it was saved for another table.
    """
    try:
        rows = con.execute(
            "SELECT table_name, toml FROM column_mappings WHERE name = ?", [name]
        ).fetchall()
    except duckdb.CatalogException:  # a database from before mappings were saved
        rows = []
    if not rows:
        message = f"there is no mapping file or saved column mapping called {name!r}"
    elif rows[0][0] != table.name:
        message = f"this mapping was saved for {rows[0][0]}, not {table.name}"
    else:
        return parse(rows[0][1], table, name=name)
    raise MappingError(name, [Problem(name, None, None, message, "mapping")])


def resolve(db_path: Path, given: str, table: Table) -> ColumnMapping:
    """The mapping in the TOML file `given`, else the one saved under that name in the
    app state of the database at `db_path` (read without the write lock).

    Raises:
        MappingError: Neither exists, or the mapping has problems.
        writer.DatabaseBusy: The app state stayed open for writing by another process.
    """
    path = Path(given)
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            problem = Problem(path.name, None, None, f"cannot be read: {err}", "mapping")
            raise MappingError(path.name, [problem]) from None
        return parse(text, table, name=path.name)
    if not db_path.exists():
        problem = Problem(given, None, None, f"there is no mapping file {given}", "mapping")
        raise MappingError(given, [problem])
    with state.reading(db_path) as con:
        return saved(con, given, table)
