"""Writes by copy-and-swap: readers never see a half-written database.

One writer at a time holds `<db>.lock`; it copies the database beside itself, writes there in one
transaction, refreshes the materialised views (`schema.refresh_cache`),
checkpoints, and atomically renames the copy over the original. A failure, or the
process being killed, leaves the original untouched; readers holding read-only connections keep
their snapshot and see the new one when they next open. The cost is one file copy per write,
which is small next to a load and keeps the app serving during it. Only writes of the extracts
come here: the app state (scenarios, briefing edits, mappings, the audit entries of exports and
edits) is written in place, in the small file beside the database (`store.state`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from ascdemand.store.meta import new_data_version
from ascdemand.store.schema import create_schema, refresh_cache

DEFAULT_TIMEOUT_S = 30.0
PAUSE_ENV = "ASCDEMAND_TEST_WRITER_PAUSE"
"""For the crash tests only: `STAGE:FILE` makes a writer create FILE on reaching STAGE and wait
there to be killed: `before_commit` (the rows are in its working copy, uncommitted) or
`before_swap` (the copy is committed and checkpointed but not yet renamed over the database).
A writer left waiting a minute gives up without swapping anything in."""
PAUSE_LIMIT_S = 60.0


NEW_FILE_MODE = 0o600
"""Permissions of a database file the writer creates: the owner only, as the pseudonymised
records are special-category data. An existing file keeps its own permissions."""


class DatabaseBusy(RuntimeError):
    """Another write held the database for longer than the caller was willing to wait."""


@contextlib.contextmanager
def exclusive_lock(path: Path, timeout: float) -> Iterator[None]:
    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        f"Database busy, try again: another load or save is writing to {path}."
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pause_for_test(stage: str) -> None:
    """Wait at `stage` to be killed, if `$ASCDEMAND_TEST_WRITER_PAUSE` asks (see `PAUSE_ENV`)."""
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted or wanted.partition(":")[0] != stage:
        return
    Path(wanted.partition(":")[2]).touch()
    time.sleep(PAUSE_LIMIT_S)
    raise RuntimeError(f"{PAUSE_ENV}: not killed at {stage} within {PAUSE_LIMIT_S:.0f} s")


class DatabaseReadOnly(DatabaseBusy):
    """The database cannot be written: its file or its folder is read-only. Raised where a
    busy database is, so every caller that says "busy, try again" says this instead."""


def check_writable(path: Path) -> int:
    """The permissions the written file must keep; refuse a file without the owner's write
    permission (someone made it read-only on purpose)."""
    if not path.exists():
        return NEW_FILE_MODE
    mode = stat.S_IMODE(path.stat().st_mode)
    if not mode & stat.S_IWUSR:
        raise DatabaseReadOnly(
            f"{path} is read-only (permissions {mode:o}), so nothing was written. Make it "
            "writable by its owner (chmod u+w) to load or save."
        )
    return mode


def _remove_stale_copies(path: Path) -> None:
    """Delete working copies left by writers that were killed (we hold the lock, so none live)."""
    for stale in path.parent.glob(f".{path.name}.writing-*"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def transaction(
    db_path: str | os.PathLike[str],
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    changes_data: bool = True,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection on a private copy of the database, swapped in on success.

    Everything done on the connection lands atomically when the block exits normally; if the
    block raises, nothing changes and the exception propagates. The write gets a new data
    version (`meta.data_version`, what the app's caches follow) unless `changes_data` is False,
    as for an audit entry alone.

    Raises:
        DatabaseBusy: Another writer still held the lock after `timeout` seconds.
    """
    path = Path(db_path)
    mode = check_writable(path)
    with contextlib.ExitStack() as held:
        with unwritable_folder(path):
            held.enter_context(exclusive_lock(path, timeout))
        _remove_stale_copies(path)
        work = path.with_name(f".{path.name}.writing-{os.getpid()}")
        with unwritable_folder(path):
            if path.exists():
                shutil.copyfile(path, work)
            con = duckdb.connect(str(work))
        try:
            try:
                create_schema(con)
                _move_app_state(con, path)
                con.execute("BEGIN TRANSACTION")
                yield con
                pause_for_test("before_commit")
                if changes_data:
                    new_data_version(con)
                refresh_cache(con)
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    con.execute("ROLLBACK")
                raise
            finally:
                con.close()
            os.chmod(work, mode)
            with open(work, "rb") as handle:
                os.fsync(handle.fileno())
            pause_for_test("before_swap")
            os.replace(work, path)
            _fsync_dir(path.parent)
        finally:
            work.unlink(missing_ok=True)
            Path(str(work) + ".wal").unlink(missing_ok=True)


def _move_app_state(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Drop the app-state tables an older database still holds, once they are in its state
    file (`store.state`): the copy commits there first, the drop with this write."""
    from ascdemand.store import state  # the state module uses this one's lock

    legacy = state.legacy_tables(con)
    if not legacy:
        return
    state.ensure(path)
    with state.reading(path) as moved:
        if state.migrated(moved) is None:
            return  # not copied yet (the state file could not be written): keep them
    for table in legacy:
        con.execute(f"DROP TABLE {table}")


@contextlib.contextmanager
def unwritable_folder(path: Path) -> Iterator[None]:
    """Turn a refusal to create the lock or the working copy into a plain `DatabaseReadOnly`."""
    try:
        yield
    except (PermissionError, duckdb.IOException) as err:
        if isinstance(err, duckdb.IOException) and "ermission" not in str(err):
            raise
        reason = getattr(err, "strerror", None) or "permission denied"
        raise DatabaseReadOnly(
            f"Cannot write the database in {path.parent}: {reason}. Nothing was written; the "
            "folder must be writable by the user running ascdemand."
        ) from None


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
