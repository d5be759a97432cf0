"""Reading an extract file (CSV, Excel or Parquet) into a frame of raw values.

CSV and Excel cells are read as text so the validator sees exactly what the file holds.
The size limit is checked before a byte is read, so a huge file is refused, never an
out-of-memory crash.

Rows are numbered as a spreadsheet shows them: in a CSV each record is one row (header = row 1
unless title rows sit above it), even when a quoted value holds line breaks, and a blank line
is a row; an Excel row is its sheet row; a Parquet file's first record is row 1. Where a CSV row
starts on another line of the file, `Extract.lines` says which.
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import fastexcel
import polars as pl

from ascdemand.store.contract import Table
from ascdemand.store.validate import Problem, normalise_header

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
PARQUET_SUFFIXES = (".parquet", ".pq")
ALLOWED_SUFFIXES = CSV_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_HEADER_SEARCH_ROWS = 30
_RAGGED_SAMPLE_ROWS = 10_000


class UnreadableFile(ValueError):
    """The file cannot be read as an extract at all; `row`/`column` say where, when known."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.row = row
        self.column = column


@dataclass(frozen=True, slots=True)
class LineMap:
    """Where a CSV's rows start on other lines of the file than their row numbers.

    A quoted value holding line breaks is one row in a spreadsheet but several lines in a text
    editor, so every later row starts further down the file: from row `rows[i]` on, a row
    starts on line `row + shifts[i]`.
    """

    rows: tuple[int, ...]
    shifts: tuple[int, ...]

    def line(self, row: int) -> int:
        """The line of the file on which spreadsheet row `row` starts."""
        i = bisect.bisect_right(self.rows, row) - 1
        return row + self.shifts[i] if i >= 0 else row

    def locate(self, problems: Iterable[Problem]) -> tuple[Problem, ...]:
        """`problems` with `line` set on those whose row starts on another line of the file."""
        return tuple(
            p if p.row is None or self.line(p.row) == p.row else replace(p, line=self.line(p.row))
            for p in problems
        )


@dataclass(frozen=True, slots=True)
class Extract:
    """A file read into raw values.

    `label` names the file (and the sheet, for Excel) in problems; `first_row` is the row
    number a spreadsheet shows for the frame's first row; `problems` are layout faults found
    while reading (rows with the wrong number of fields, repeated headers); `lines` maps rows
    to lines of the file, for a CSV whose quoted values hold line breaks (else None).
    """

    frame: pl.DataFrame
    label: str
    first_row: int
    problems: list[Problem] = field(default_factory=list)
    lines: LineMap | None = None


def _size(n: float) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:,.1f}".removesuffix(".0") + " MB"
    return f"{n / 1024:,.1f}".removesuffix(".0") + " KB"


def too_large(size: int, max_bytes: int) -> str:
    """The refusal for a file over the limit: its size and the limit, in MB (or KB)."""
    return (
        f"the file is {_size(size)}, over the {_size(max_bytes)} limit for one load; "
        "split it into smaller files"
    )


def read_extract(
    path: Path,
    table: Table,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    aliases: frozenset[str] = frozenset(),
) -> Extract:
    """Read `path` for loading into `table`; `aliases` are other header names (normalised, as a
    column mapping's source columns) that count as the table's when finding the header row.

    Raises:
        UnreadableFile: Missing, too large, empty, of a type we do not read, or corrupt.
    """
    suffix = path.suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UnreadableFile(
            f"{path.name} is not a file type we load; use one of: {', '.join(ALLOWED_SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnreadableFile(f"{path} does not exist") from None
    if size > max_bytes:
        raise UnreadableFile(too_large(size, max_bytes))
    if size == 0:
        raise UnreadableFile("the file is empty: expected a header row and data rows", row=1)
    known = frozenset(table.column_names) | aliases
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, known)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, table, known)
    return _read_parquet(path)


def _decode(data: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes of the file and its text: UTF-8 (with or without BOM), UTF-16, else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        return text.encode(), text
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        return text.encode(), text


def _lines_from(text: str, start: int) -> Iterator[str]:
    """The lines of `text` from offset `start`, each with its line break, without copying the
    rest of a large file."""
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _records(text: str, delimiter: str, start: int = 0) -> Iterator[tuple[int, list[str]]]:
    """(lines before it, fields) of each CSV record from offset `start`: a quoted value may
    hold line breaks, so a record can span several lines.

    Raises:
        csv.Error: The text cannot be split into records (e.g. a field over the size limit).
    """
    reader = csv.reader(_lines_from(text, start), delimiter=delimiter)
    before = 0
    for fields in reader:
        yield before, fields
        before = reader.line_num


def _line_if_moved(row: int, line: int) -> int | None:
    return line if line != row else None


def _ragged_rows(
    text: str, delimiter: str, label: str, skip: int, header_row: int
) -> list[Problem]:
    """Rows (of the first `_RAGGED_SAMPLE_ROWS` after the header, which starts on line `skip`
    + 1 and is spreadsheet row `header_row`) whose field count differs from the header's."""
    start = 0
    for _ in range(skip):
        start = text.find("\n", start) + 1
    problems = []
    header: list[str] = []
    row = header_row - 1
    try:
        records = _records(text, delimiter, start)
        for before, fields in itertools.islice(records, _RAGGED_SAMPLE_ROWS + 1):
            row += 1
            line = skip + before + 1
            if row == header_row:
                header = fields
            elif fields and len(fields) != len(header) and any(f.strip() for f in fields):
                problems.append(
                    Problem(
                        label,
                        row,
                        None,
                        f"this row has {len(fields)} value(s) but the header has {len(header)} "
                        f"columns; check the delimiter (the header is split by "
                        f"{_DELIMITER_NAMES[delimiter]}s) and quoting",
                        "wrong number of fields",
                        _line_if_moved(row, line),
                    )
                )
    except csv.Error as err:
        problems.append(Problem(label, row + 1, None, f"could not read as CSV: {err}", "bad CSV"))
    return problems


def _rows_before(text: str, lines: int) -> int:
    """How many spreadsheet rows the first `lines` lines of `text` make (title rows above a
    header; a quoted title may span lines)."""
    rows = 0
    try:
        for before, _ in _records(text, ","):
            if before >= lines:
                break
            rows += 1
    except csv.Error:
        return lines
    return rows


def _line_map(text: str, row_count: int) -> LineMap | None:
    """Where rows start on other lines than their numbers, found by reading every record;
    None when none does, or when the records cannot be told apart or number other than the
    `row_count` rows read (no line is better than a wrong one)."""
    rows: list[int] = []
    shifts: list[int] = []
    shift, row = 0, 0
    try:
        for row, (before, _) in enumerate(_records(text, ","), start=1):
            if before + 1 - row != shift:
                shift = before + 1 - row
                rows.append(row)
                shifts.append(shift)
    except csv.Error:
        return None
    return LineMap(tuple(rows), tuple(shifts)) if rows and row == row_count else None


def _line_count(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def _repeated_headers(names: list[str], label: str, header_row: int) -> list[Problem]:
    counts = Counter(normalise_header(n) for n in names if normalise_header(n))
    return [
        Problem(label, header_row, name, f"the column {name} appears {n} times", "duplicate column")
        for name, n in counts.items()
        if n > 1
    ]


def _head_lines(text: str, count: int) -> list[str]:
    """The first `count` lines of `text`, without copying the rest of a large file."""
    lines, start = [], 0
    while len(lines) < count and start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            lines.append(text[start:])
            break
        lines.append(text[start:end])
        start = end + 1
    return [line.rstrip("\r") for line in lines]


def _find_header(text: str, known: frozenset[str]) -> tuple[int, str]:
    """(line index, delimiter) of the header: the line among the first few that holds most
    of the `known` column names (title rows above it are skipped); else line 1 split by its most
    frequent delimiter."""
    lines = _head_lines(text, _HEADER_SEARCH_ROWS)
    best_score, index = 0, 0
    delimiter = max(_DELIMITERS, key=lines[0].count)
    for i, line in enumerate(lines):
        for candidate in _DELIMITERS:
            score = _header_score(line.split(candidate), known)
            if score > best_score:
                best_score, index, delimiter = score, i, candidate
    if lines[index].count(delimiter) == 0:
        delimiter = ","
    return index, delimiter


def _read_csv(path: Path, known: frozenset[str]) -> Extract:
    data, text = _decode(path.read_bytes())
    if not text.strip():
        raise UnreadableFile("the file is empty: expected a header row and data rows", row=1)
    skip, delimiter = _find_header(text, known)
    header_row = _rows_before(text, skip) + 1 if skip else 1
    header = _head_lines(text, skip + 1)[skip].split(delimiter)
    problems = [
        replace(p, line=_line_if_moved(header_row, skip + 1))
        for p in _repeated_headers(header, path.name, header_row)
    ]
    problems += _ragged_rows(text, delimiter, path.name, skip, header_row)
    if problems:
        return Extract(pl.DataFrame(), path.name, header_row + 1, problems)
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            separator=delimiter,
            infer_schema=False,
            truncate_ragged_lines=False,
            skip_lines=skip,
        )
    except (pl.exceptions.PolarsError, ValueError, OSError) as err:
        # OSError: bytes that start like a zlib or gzip stream make polars try to decompress
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise UnreadableFile(f"could not read the file as CSV: {reason}") from None
    row_count = header_row + frame.height
    lines = None if _line_count(text) == row_count else _line_map(text, row_count)
    return Extract(frame, path.name, header_row + 1, lines=lines)


def _header_score(values: list[str | None], known: frozenset[str]) -> int:
    return len({normalise_header(v) for v in values if v} & known)


def _read_excel(path: Path, table: Table, known: frozenset[str]) -> Extract:
    """The first sheet whose first rows hold a header naming half the table's columns (or
    the `known` names a column mapping gives them)."""
    try:
        reader = fastexcel.read_excel(path)
    except Exception as err:  # calamine raises its own error types for corrupt workbooks
        raise UnreadableFile(f"could not read the file as an Excel workbook: {err}") from None
    needed = max(2, len(table.columns) // 2)
    for sheet in reader.sheet_names:
        try:
            cells = reader.load_sheet(
                sheet, header_row=None, skip_rows=0, dtypes="string"
            ).to_polars()
        except Exception as err:  # one broken sheet should not hide a good one after it
            raise UnreadableFile(f"could not read sheet {sheet!r}: {err}") from None
        for index, values in enumerate(cells.head(_HEADER_SEARCH_ROWS).iter_rows()):
            if _header_score(list(values), known) < needed:
                continue
            label = f"{path.name} (sheet {sheet!r})"
            names = [v if v is not None else "" for v in values]
            header_row = index + 1
            problems = _repeated_headers(names, label, header_row)
            unique = [n if names.index(n) == i else f"{n} ({i + 1})" for i, n in enumerate(names)]
            unique = [n if n else f"(blank column {i + 1})" for i, n in enumerate(unique)]
            frame = cells.slice(index + 1).rename(dict(zip(cells.columns, unique, strict=True)))
            return Extract(frame, label, header_row + 1, problems)
    raise UnreadableFile(
        f"no sheet has a header row naming the {table.name} columns ("
        + ", ".join(table.column_names)
        + f") within its first {_HEADER_SEARCH_ROWS} rows"
    )


def _read_parquet(path: Path) -> Extract:
    with open(path, "rb") as handle:
        head = handle.read(4)
        handle.seek(max(0, path.stat().st_size - 4))
        tail = handle.read(4)
    if path.stat().st_size < 12 or head != b"PAR1" or tail != b"PAR1":
        raise UnreadableFile(
            "the file is truncated or is not a Parquet file (its Parquet markers are missing)"
        )
    try:
        frame = pl.read_parquet(path)
    except Exception as err:  # pyarrow/polars raise several error types for corrupt files
        raise UnreadableFile(f"the Parquet file is damaged and cannot be read: {err}") from None
    return Extract(frame, path.name, 1)
