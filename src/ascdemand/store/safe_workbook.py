"""Reading a workbook that may be hostile (.xlsx, .xlsm, .xls) in a child process.

The reader (fastexcel, on calamine) builds a grid from A1 to the furthest cell of a sheet: a 2 KB
workbook with one cell at XFD1048576 makes it ask for 512 GB, and the failed allocation aborts
the whole process (SIGABRT), which would end the app for every user. A workbook whose sheets
unpack to gigabytes of XML fills memory the same way, only slower. So a workbook is never read
in the server's own process:

1. `python -m ascdemand.store.safe_workbook` is started with an address-space limit
   (`RLIMIT_AS`, `WorkbookLimits.memory_bytes`), no core dumps and a timeout.
2. There it is checked before a cell is read (`check_workbook`): the unpacked size of its parts
   from the zip directory, their compression ratio, and the size each sheet declares in its
   `<dimension ref="...">` (read from the start of the part, never inflating all of it).
3. Then every sheet is read as text and handed back as an Arrow IPC file in a private
   temporary folder.

A refusal names what was found and the limit; a crash, running out of memory or the timeout in
the child becomes a `WorkbookError` ("could not read the workbook safely: ..."), and the server
carries on. A sheet that declares less than it holds is still bounded by the memory limit.
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import re
import signal
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from xml.etree import ElementTree

if TYPE_CHECKING:
    import polars as pl

MB = 1024 * 1024
GB = 1024 * MB
# How much of the start of a sheet's XML is inflated to find its <dimension>: it sits before
# <sheetData>, after at most a few hundred bytes of sheet properties.
_HEAD_BYTES = 64 * 1024
# A part smaller than this unpacked may have any compression ratio (a few KB of XML can shrink
# a hundredfold and harm nothing).
_RATIO_FLOOR_BYTES = 1 * MB
_DIMENSION = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']", re.DOTALL
)
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData\b")
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")
_WORKSHEET_PART = re.compile(r"(^|/)worksheets/[^/]+\.xml$", re.IGNORECASE)
_STDERR_KEPT = 4096
# The child's exit status when Python itself ran out of memory.
_EXIT_MEMORY = 3

Kind = Literal["refused", "unreadable", "unsafe"]


@dataclass(frozen=True, slots=True)
class WorkbookLimits:
    """What a workbook may hold before it is refused, and what reading it may cost.

    `max_cells` bounds rows x columns (from A1 to each sheet's furthest cell, all sheets
    together): the reader holds about 110 bytes a cell, so 12 million cells (every row Excel
    allows, 1,048,576, by 11 columns) need about 1.6 GB of address space, within
    `memory_bytes`. Real workbooks pack 3 to 20 times; a part over 1 MB packed more than
    `max_ratio` times is a zip bomb, not a spreadsheet.
    """

    max_unpacked_bytes: int = 1 * GB
    max_ratio: float = 100.0
    max_cells: int = 12_000_000
    memory_bytes: int = 3 * GB
    timeout_s: float = 120.0


LIMITS = WorkbookLimits()


class WorkbookError(ValueError):
    """The workbook was not read: `kind` is `refused` (out of proportion, before reading),
    `unreadable` (damaged or not a workbook; the message is the reader's) or `unsafe` (the
    reader crashed, ran out of memory or took too long)."""

    def __init__(self, message: str, kind: Kind) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class SheetRead:
    """One sheet as text cells (`frame`, columns `__UNNAMED__0` ...), or why it could not be
    read (`error`)."""

    name: str
    frame: pl.DataFrame | None
    error: str | None = None


def size_text(n: float) -> str:
    """`1073741824` -> `'1 GB'`, `20447232` -> `'19.5 MB'`, `2048` -> `'2 KB'`, `100` ->
    `'100 bytes'`."""
    for unit, scale in (("GB", GB), ("MB", MB), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{n:,.0f} bytes"


# ---------------------------------------------------------------- checks (run in the child)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _corner(ref: str) -> tuple[str, int, int] | None:
    """The furthest cell of a dimension ref (`A1:XFD1048576` -> ('XFD1048576', 1048576,
    16384)), or None when the ref is not a cell range."""
    last = ref.strip().split(":")[-1]
    match = _CELL.match(last)
    if match is None:
        return None
    letters, row = match.group(1).upper(), int(match.group(2))
    return f"{letters}{row}", row, _column_number(letters)


def _declared_dimension(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> str | None:
    """The `ref` of the sheet's `<dimension>`, inflating at most `_HEAD_BYTES` of the part;
    None when the sheet declares none before its cells."""
    with archive.open(part) as stream:
        head = stream.read(_HEAD_BYTES)
    data_at = _SHEET_DATA.search(head)
    match = _DIMENSION.search(head, 0, data_at.start() if data_at else len(head))
    return match.group(1).decode("ascii", "replace") if match else None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, zipfile.ZipInfo]]:
    """(sheet name, part) of each worksheet the workbook lists; every worksheet-like part,
    named by its path, when the workbook's own list cannot be followed."""
    parts = {info.filename: info for info in archive.infolist()}
    named: list[tuple[str, zipfile.ZipInfo]] = []
    with contextlib.suppress(KeyError, ElementTree.ParseError, ValueError):
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {
            r.get("Id"): r.get("Target", "") for r in rels.iter() if _local(r.tag) == "Relationship"
        }
        for sheet in book.iter():
            if _local(sheet.tag) != "sheet":
                continue
            rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), None)
            target = targets.get(rid, "")
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            if path in parts:
                named.append((sheet.get("name", path), parts[path]))
    if named:
        return named
    return [(name, info) for name, info in parts.items() if _WORKSHEET_PART.search(name)]


def check_workbook(path: str | os.PathLike[str], limits: WorkbookLimits = LIMITS) -> None:
    """Refuse a workbook out of proportion before reading it: more unpacked data than
    `max_unpacked_bytes`, a part packed more than `max_ratio` times, or sheets reaching more
    than `max_cells` cells. A file that is not a zip (an old .xls, or a damaged file) is left
    to the reader, which fails on it or is bounded by the .xls format itself.

    Raises:
        WorkbookError: kind `refused`, saying what was found and the limit.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        infos = archive.infolist()
        unpacked = sum(i.file_size for i in infos)
        if unpacked > limits.max_unpacked_bytes:
            raise WorkbookError(
                f"the workbook unpacks to {size_text(unpacked)} of data "
                f"(from {size_text(Path(path).stat().st_size)}), over the "
                f"{size_text(limits.max_unpacked_bytes)} limit for a workbook; "
                "save the data as CSV, or split it into smaller workbooks",
                "refused",
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > _RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
                raise WorkbookError(
                    f"its part {info.filename} unpacks from {size_text(info.compress_size)} "
                    f"to {size_text(info.file_size)}, {ratio:,.0f} times larger; a workbook's "
                    f"parts grow at most {limits.max_ratio:,.0f} times when unpacked, so this "
                    "is not an ordinary spreadsheet",
                    "refused",
                )
        try:
            _check_dimensions(archive, limits)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
            return  # a damaged or encrypted part: the reader says so in its own words


def _check_dimensions(archive: zipfile.ZipFile, limits: WorkbookLimits) -> None:
    total = 0
    for name, part in _sheet_parts(archive):
        ref = _declared_dimension(archive, part)
        corner = _corner(ref) if ref else None
        if corner is None:
            continue
        cell, rows, columns = corner
        cells = rows * columns
        total += cells
        reach = (
            f"sheet {name!r} reaches cell {cell} ({rows:,} rows by {columns:,} columns, "
            f"{cells:,} cells)"
        )
        if cells > limits.max_cells:
            raise WorkbookError(
                f"{reach}, over the limit of {limits.max_cells:,} cells in a workbook; "
                "delete the cells far below or to the right of the data (Ctrl+End in Excel "
                "goes to the last cell), or save the data as CSV",
                "refused",
            )
        if total > limits.max_cells:
            raise WorkbookError(
                f"the sheets reach {total:,} cells together (the last, {reach}), over the "
                f"limit of {limits.max_cells:,} cells in a workbook; delete the sheets the "
                "extract does not need, or save the data as CSV",
                "refused",
            )


# ----------------------------------------------------------------------- the child process


def _limit_resources(limits: WorkbookLimits) -> None:
    """Address space, CPU time and no core dump (a core would hold care records)."""
    try:
        import resource
    except ImportError:  # not on Windows: the child still keeps a crash away from the server
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    cpu = int(limits.timeout_s) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


def _read_in_child(request: dict[str, Any]) -> dict[str, Any]:
    """Check the workbook, then read every sheet as text into `request['out']`."""
    limits = WorkbookLimits(**request["limits"])
    path, out = request["path"], Path(request["out"])
    try:
        check_workbook(path, limits)
    except WorkbookError as err:
        return {"error": {"kind": err.kind, "message": str(err)}}

    import fastexcel
    import pyarrow as pa
    import pyarrow.ipc

    options: dict[str, Any] = {"header_row": None, "dtypes": "string", "eager": True}
    if request["skip_rows"] is not None:
        options["skip_rows"] = request["skip_rows"]
    try:
        reader = fastexcel.read_excel(path)
        names = list(reader.sheet_names)
    except MemoryError:
        raise
    except Exception as err:  # calamine raises its own error types for a damaged workbook
        return {"error": {"kind": "unreadable", "message": _first_line(err)}}
    sheets = []
    for i, name in enumerate(names):
        try:
            batch = reader.load_sheet(name, **options)
        except MemoryError:
            raise
        except Exception as err:  # one sheet may be broken while the others read
            sheets.append({"name": name, "file": None, "error": _first_line(err)})
            continue
        file = f"{i}.arrow"
        with (
            pa.OSFile(str(out / file), "wb") as sink,
            pyarrow.ipc.new_file(sink, batch.schema) as writer,
        ):
            writer.write_batch(batch)
        del batch
        sheets.append({"name": name, "file": file, "error": None})
    return {"sheets": sheets}


def _child_main(argv: list[str]) -> int:
    request = json.loads(argv[0])
    _limit_resources(WorkbookLimits(**request["limits"]))
    try:
        result = _read_in_child(request)
    except MemoryError:
        os._exit(_EXIT_MEMORY)
    (Path(request["out"]) / "result.json").write_text(json.dumps(result))
    return 0


# ---------------------------------------------------------------------- the parent's side


def _child_env() -> dict[str, str]:
    """The child's environment: this package importable, one malloc arena and one thread
    per pool (so the address-space limit measures data, not reservations), no backtraces."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    env.update(
        RUST_BACKTRACE="0",
        MALLOC_ARENA_MAX="2",
        OMP_NUM_THREADS="1",
        RAYON_NUM_THREADS="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _why_it_stopped(code: int, stderr: str, limits: WorkbookLimits) -> str:
    allowed = size_text(limits.memory_bytes)
    asked = re.search(r"memory allocation of (\d+) bytes failed", stderr)
    if code == _EXIT_MEMORY or asked or "MemoryError" in stderr:
        detail = f" (the reader asked for {int(asked.group(1)):,} bytes at once)" if asked else ""
        return (
            f"reading it needs more than the {allowed} of memory allowed for a workbook{detail}; "
            "check the sheets hold no stray cells far below or to the right of the data, "
            "or save the data as CSV"
        )
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if name in ("SIGXCPU", "SIGKILL"):
            return f"reading it took longer than {limits.timeout_s:g} seconds"
        return f"the reader stopped unexpectedly ({name})"
    last = next((line for line in reversed(stderr.splitlines()) if line.strip()), "")
    return f"the reader stopped unexpectedly (exit status {code}{': ' + last if last else ''})"


def _run_child(path: Path, folder: Path, skip_rows: int | None, limits: WorkbookLimits) -> None:
    request = {
        "path": str(path),
        "out": str(folder),
        "skip_rows": skip_rows,
        "limits": asdict(limits),
    }
    errors = folder / "stderr.txt"
    with open(errors, "wb") as stderr:
        try:
            done = subprocess.run(  # noqa: S603 - our own module, by the running interpreter
                [sys.executable, "-m", __name__, json.dumps(request)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env=_child_env(),
                timeout=limits.timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise WorkbookError(
                "could not read the workbook safely: reading it took longer than "
                f"{limits.timeout_s:g} seconds",
                "unsafe",
            ) from None
    if done.returncode != 0 or not (folder / "result.json").exists():
        with open(errors, "rb") as handle:
            text = handle.read(_STDERR_KEPT).decode("utf-8", "replace")
        raise WorkbookError(
            "could not read the workbook safely: " + _why_it_stopped(done.returncode, text, limits),
            "unsafe",
        )


def read_workbook(
    path: str | os.PathLike[str],
    *,
    skip_rows: int | None = 0,
    limits: WorkbookLimits | None = None,
) -> tuple[SheetRead, ...]:
    """Every sheet of the workbook at `path` as text cells, read in a child process.

    Args:
        path: The workbook.
        skip_rows: As fastexcel's `load_sheet` with no header row: 0 keeps every row, so a
            frame's row i is sheet row i + 1; None drops empty rows at the top.
        limits: What the workbook may hold and what reading it may cost (default `LIMITS`).

    Raises:
        WorkbookError: Refused before reading, unreadable (damaged, or not a workbook), or
            unsafe (the reader crashed, ran out of memory or took too long).
    """
    import polars as pl

    limits = limits or LIMITS
    with tempfile.TemporaryDirectory(prefix="ascdemand-workbook-") as name:
        folder = Path(name)
        _run_child(Path(path), folder, skip_rows, limits)
        result = json.loads((folder / "result.json").read_text())
        if "error" in result:
            raise WorkbookError(result["error"]["message"], result["error"]["kind"])
        sheets = []
        for sheet in result["sheets"]:
            frame = None
            if sheet["file"]:
                with open(folder / sheet["file"], "rb") as handle:  # read in, not mapped
                    frame = pl.read_ipc(handle)
            sheets.append(SheetRead(sheet["name"], frame, sheet["error"]))
        return tuple(sheets)


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
