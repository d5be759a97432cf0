"""Reading an extract file (CSV, Excel or Parquet) into a frame of raw values.

CSV and Excel cells are read as text so the validator sees exactly what the file holds.
The size limit is checked before a byte is read, so a huge file is refused, never an
out-of-memory crash; so are the columns and values a CSV or Parquet file may hold (a Parquet
file's from its footer, before a value is read), and workbooks are checked and read in a child
process (`safe_workbook`), so one that claims or holds far more than its size fails its own
load, never the process.

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

import polars as pl
import pyarrow.parquet as pq

from ascdemand.store import safe_workbook
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
# What one CSV or Parquet file may hold once read, whatever it claims: no extract has more than
# a few dozen columns, and 50 million values (a 200 MB CSV of 11 columns holds about 22 million)
# take about 800 MB as text in memory. A Parquet file may unpack to no more data than a workbook.
MAX_COLUMNS = 1_000
MAX_VALUES = 50_000_000
MAX_UNPACKED_BYTES = safe_workbook.LIMITS.max_unpacked_bytes
# A line of a CSV with more delimiters than this is not read field by field (a row of millions
# of fields would take gigabytes as Python strings); quoted text may hold a few commas.
_MAX_DELIMITERS_PER_LINE = 10 * MAX_COLUMNS
# No column name is longer; a longer value is not compared with the known names, and a header
# row longer than this for every column is refused.
_MAX_HEADER_CHARS = 256


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
    return _read_parquet(path, known)


def _utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` when the bytes look like UTF-16 text without a byte-order
    mark (as some exports write it): in text that is mostly Latin letters, digits and
    punctuation every other byte is NUL, the odd ones (LE) or the even ones (BE), and the
    others almost never; UTF-8 and Latin-1 text has no NUL bytes at all."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    even, odd = sample[0 : 2 * pairs : 2].count(0), sample[1 : 2 * pairs : 2].count(0)
    if odd >= pairs * 0.3 and even <= pairs * 0.02:
        return "utf-16-le"
    if even >= pairs * 0.3 and odd <= pairs * 0.02:
        return "utf-16-be"
    return None


def _decode(data: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes of the file and its text: UTF-8 (with or without BOM), UTF-16 (with a BOM,
    or without one, told by its NUL bytes), else Windows-1252 or Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        return text.encode(), text
    elif encoding := _utf16_without_bom(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            pass
        else:
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


def _short_lines(lines: Iterator[str], delimiter: str) -> Iterator[str]:
    """`lines`, stopping with csv.Error at a line too long in fields to split safely."""
    for line in lines:
        if line.count(delimiter) > _MAX_DELIMITERS_PER_LINE:
            raise csv.Error(
                f"a line holds more than {_MAX_DELIMITERS_PER_LINE:,} "
                f"{_DELIMITER_NAMES.get(delimiter, repr(delimiter))}s"
            )
        yield line


def _records(text: str, delimiter: str, start: int = 0) -> Iterator[tuple[int, list[str]]]:
    """(lines before it, fields) of each CSV record from offset `start`: a quoted value may
    hold line breaks, so a record can span several lines.

    Raises:
        csv.Error: The text cannot be split into records (e.g. a field over the size limit,
            or a line of more fields than could ever be an extract's).
    """
    reader = csv.reader(_short_lines(_lines_from(text, start), delimiter), delimiter=delimiter)
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
            if line.count(candidate) >= MAX_COLUMNS:  # never split a line of a million fields
                continue
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
    header_line = _head_lines(text, skip + 1)[skip]
    _check_shape(header_line.count(delimiter) + 1, _line_count(text) - skip - 1, header_row)
    if len(header_line) > MAX_COLUMNS * _MAX_HEADER_CHARS:
        raise UnreadableFile(
            f"the header row is {len(header_line):,} characters long, more than any extract's "
            f"header ({MAX_COLUMNS:,} columns of up to {_MAX_HEADER_CHARS} characters); "
            "check the file is a CSV extract",
            row=header_row,
        )
    header = header_line.split(delimiter)
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


def _check_shape(columns: int, rows: int, header_row: int | None = None) -> None:
    """Refuse a file whose columns, or rows x columns, are more than any extract holds.

    Raises:
        UnreadableFile: Over `MAX_COLUMNS` columns or `MAX_VALUES` values.
    """
    if columns > MAX_COLUMNS:
        raise UnreadableFile(
            f"the file has {columns:,} columns, over the limit of {MAX_COLUMNS:,}; "
            "check the delimiter, or remove the columns the extract does not need",
            row=header_row,
        )
    if columns * rows > MAX_VALUES:
        raise UnreadableFile(
            f"the file holds {rows:,} rows of {columns:,} columns ({columns * rows:,} values), "
            f"over the limit of {MAX_VALUES:,} values for one load; split it into smaller files"
        )


def _header_score(values: list[str | None], known: frozenset[str]) -> int:
    names = {normalise_header(v) for v in values if v and len(v) <= _MAX_HEADER_CHARS}
    return len(names & known)


def _read_excel(path: Path, table: Table, known: frozenset[str]) -> Extract:
    """The first sheet whose first rows hold a header naming half the table's columns (or
    the `known` names a column mapping gives them).

    The workbook is checked and read in a child process (`safe_workbook`): one that is out
    of proportion, or that crashes the reader or runs it out of memory, is refused here and
    never takes the app down.
    """
    try:
        sheets = safe_workbook.read_workbook(path, skip_rows=0)
    except safe_workbook.WorkbookError as err:
        if err.kind == "unreadable":
            raise UnreadableFile(f"could not read the file as an Excel workbook: {err}") from None
        raise UnreadableFile(str(err)) from None
    needed = max(2, len(table.columns) // 2)
    for sheet in sheets:
        if sheet.frame is None:  # a broken sheet before the one with the header
            raise UnreadableFile(f"could not read sheet {sheet.name!r}: {sheet.error}")
        cells = sheet.frame
        for index, values in enumerate(cells.head(_HEADER_SEARCH_ROWS).iter_rows()):
            if _header_score(list(values), known) < needed:
                continue
            label = f"{path.name} (sheet {sheet.name!r})"
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


def _read_parquet(path: Path, known: frozenset[str]) -> Extract:
    """The Parquet file's columns, checked against its footer before a value is read (rows,
    columns and unpacked size, so a small file cannot claim its way to gigabytes), with
    columns of types the checks do not take (all-null, times, durations, true/false,
    categories, bytes) turned into text. A column of lists or records among the `known`
    names is a problem naming it; an extra one is left for the checks to ignore with a note.
    """
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(4)
        handle.seek(max(0, size - 4))
        tail = handle.read(4)
    if size < 12 or head != b"PAR1" or tail != b"PAR1":
        raise UnreadableFile(
            "the file is truncated or is not a Parquet file (its Parquet markers are missing)"
        )
    try:
        lazy = pl.scan_parquet(path)
        schema = lazy.collect_schema()
        rows = lazy.select(pl.len()).collect().item()  # from the footer, not the data
    except Exception as err:  # pyarrow/polars raise several error types for a damaged footer
        raise UnreadableFile(f"the Parquet file is damaged and cannot be read: {err}") from None
    unpacked, group_rows = _parquet_row_groups(path)
    _check_shape(len(schema), max(rows, group_rows))
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(_unpacks_to(unpacked, size))
    nested = [
        Problem(
            path.name,
            None,
            name,
            "the column holds lists or records (Parquet list, struct or map), not one value "
            "per row; write it as a plain column of text, numbers or dates",
            "nested column",
        )
        for name, dtype in schema.items()
        if dtype.is_nested() and normalise_header(name) in known
    ]
    if nested:
        return Extract(pl.DataFrame(), path.name, 1, nested)
    try:
        frame = pl.read_parquet(path)
    except Exception as err:  # pyarrow/polars raise several error types for corrupt files
        raise UnreadableFile(f"the Parquet file is damaged and cannot be read: {err}") from None
    return Extract(_plain_columns(frame, size), path.name, 1)


def _parquet_row_groups(path: Path) -> tuple[int, int]:
    """(unpacked bytes of every column chunk, rows of every row group) from the footer; (0, 0)
    when pyarrow cannot read the footer, as for the 128-bit integers only polars writes (the
    text read is still measured after reading)."""
    try:
        meta = pq.read_metadata(path)
    except Exception:  # noqa: BLE001 - polars read the same footer; these checks are extra
        return 0, 0
    groups = [meta.row_group(i) for i in range(meta.num_row_groups)]
    unpacked = sum(
        g.column(c).total_uncompressed_size for g in groups for c in range(g.num_columns)
    )
    return unpacked, sum(g.num_rows for g in groups)


def _unpacks_to(unpacked: int, size: int) -> str:
    return (
        f"the file's data unpack to {safe_workbook.size_text(unpacked)} (from "
        f"{safe_workbook.size_text(size)}), over the {safe_workbook.size_text(MAX_UNPACKED_BYTES)}"
        " limit for one load; split it into smaller files"
    )


def _plain_columns(frame: pl.DataFrame, size: int) -> pl.DataFrame:
    """Columns as the checks take them: text, numbers, dates and date-times as they are;
    nested columns (extra ones, which the checks ignore) as they are; anything else as text.

    Raises:
        UnreadableFile: A column of bytes that are not text, or more text than a load may
            hold once the values are spelled out (repeated values are stored once in Parquet).
    """
    changes = []
    for name, dtype in frame.schema.items():
        if dtype == pl.String or dtype.is_numeric() or dtype.is_nested():
            continue
        if dtype == pl.Date or isinstance(dtype, pl.Datetime):
            continue
        if isinstance(dtype, pl.Duration):
            changes.append(pl.col(name).dt.to_string())
        elif dtype == pl.Binary:
            try:
                frame[name].cast(pl.String)
            except pl.exceptions.PolarsError:
                raise UnreadableFile(
                    "the column holds bytes that are not text", column=name
                ) from None
            changes.append(pl.col(name).cast(pl.String))
        else:
            changes.append(pl.col(name).cast(pl.String))
    if changes:
        frame = frame.with_columns(changes)
    text = sum(
        frame[name].str.len_bytes().sum() or 0
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )
    if text > MAX_UNPACKED_BYTES:
        raise UnreadableFile(_unpacks_to(text, size))
    return frame
