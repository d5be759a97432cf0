"""Reading an extract file (CSV, Excel or Parquet) into a frame of raw values.

CSV and Excel cells are read as text so the validator sees exactly what the file holds.
The size limit is checked before a byte is read, so a huge file is refused, never an
out-of-memory crash.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from dataclasses import dataclass, field
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
class Extract:
    """A file read into raw values.

    `label` names the file (and the sheet, for Excel) in problems; `first_row` is the row
    number a person sees for the frame's first row; `problems` are layout faults found while
    reading (rows with the wrong number of fields, repeated headers).
    """

    frame: pl.DataFrame
    label: str
    first_row: int
    problems: list[Problem] = field(default_factory=list)


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


def read_extract(path: Path, table: Table, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Extract:
    """Read `path` for loading into `table`.

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
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, table)
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, table)
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


def _ragged_rows(text: str, delimiter: str, label: str, skip: int) -> list[Problem]:
    """Rows (of the first `_RAGGED_SAMPLE_ROWS` after the header on line `skip` + 1) whose
    field count differs from the header's."""
    start = 0
    for _ in range(skip):
        start = text.find("\n", start) + 1
    end = start - 1
    for _ in range(_RAGGED_SAMPLE_ROWS + 1):
        end = text.find("\n", end + 1)
        if end < 0:
            break
    sample = text[start:] if end < 0 else text[start : end + 1]
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    problems = []
    try:
        header = next(reader, [])
        for fields in itertools.islice(reader, _RAGGED_SAMPLE_ROWS):
            if fields and len(fields) != len(header) and any(f.strip() for f in fields):
                problems.append(
                    Problem(
                        label,
                        skip + reader.line_num,
                        None,
                        f"this row has {len(fields)} value(s) but the header has {len(header)} "
                        f"columns; check the delimiter (the header is split by "
                        f"{_DELIMITER_NAMES[delimiter]}s) and quoting",
                        "wrong number of fields",
                    )
                )
    except csv.Error as err:
        problems.append(
            Problem(label, skip + reader.line_num, None, f"could not read as CSV: {err}", "bad CSV")
        )
    return problems


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


def _find_header(text: str, table: Table) -> tuple[int, str]:
    """(line index, delimiter) of the header: the line among the first few that names most
    of the table's columns (title rows above it are skipped); else line 1 split by its most
    frequent delimiter."""
    lines = _head_lines(text, _HEADER_SEARCH_ROWS)
    best_score, index = 0, 0
    delimiter = max(_DELIMITERS, key=lines[0].count)
    for i, line in enumerate(lines):
        for candidate in _DELIMITERS:
            score = _header_score(line.split(candidate), table)
            if score > best_score:
                best_score, index, delimiter = score, i, candidate
    if lines[index].count(delimiter) == 0:
        delimiter = ","
    return index, delimiter


def _read_csv(path: Path, table: Table) -> Extract:
    data, text = _decode(path.read_bytes())
    if not text.strip():
        raise UnreadableFile("the file is empty: expected a header row and data rows", row=1)
    skip, delimiter = _find_header(text, table)
    header_row = skip + 1
    header = _head_lines(text, header_row)[skip].split(delimiter)
    problems = _repeated_headers(header, path.name, header_row)
    problems += _ragged_rows(text, delimiter, path.name, skip)
    if problems:
        return Extract(pl.DataFrame(), path.name, header_row + 1, problems)
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            separator=delimiter,
            infer_schema=False,
            truncate_ragged_lines=False,
            skip_rows=skip,
        )
    except (pl.exceptions.PolarsError, ValueError, OSError) as err:
        # OSError: bytes that start like a zlib or gzip stream make polars try to decompress
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise UnreadableFile(f"could not read the file as CSV: {reason}") from None
    return Extract(frame, path.name, header_row + 1)


def _header_score(values: list[str | None], table: Table) -> int:
    names = {normalise_header(v) for v in values if v}
    return len(names & set(table.column_names))


def _read_excel(path: Path, table: Table) -> Extract:
    """The first sheet whose first rows hold a header naming the table's key column."""
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
            if _header_score(list(values), table) < needed:
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
