"""The read-only store behind every page, and the one cache scheme of the app.

Every cached read is keyed on the stored data's version (`data_version`), which every write of
data changes: a load or an import shows at once, nothing ever clears a cache, and an audit entry
(every download writes one) keeps them. Reads of the app state (saved scenarios, the briefing's
edits, saved mappings: `store.state`) are keyed on the state's version too (`cached(state=True)`),
which every edit changes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import threading
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

import duckdb
import streamlit as st

from ascdemand import settings
from ascdemand.store import meta
from ascdemand.store import state as app_state
from ascdemand.store.reader import Reader

P = ParamSpec("P")
R = TypeVar("R")

_versions: dict[tuple[str, tuple[int, int]], str] = {}
_state_versions: dict[tuple[str, tuple[object, ...]], str] = {}
_versions_lock = threading.Lock()


@st.cache_resource
def _reader(path: str) -> Reader:
    return Reader(path)


def reader() -> Reader:
    """The shared read-only reader of the configured database."""
    return _reader(str(settings.db_path()))


@contextlib.contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh read-only cursor on the current database snapshot."""
    with reader().cursor() as cur:
        yield cur


@contextlib.contextmanager
def state_cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection on the app state for one read (`store.state.reading`)."""
    with app_state.reading(settings.db_path()) as con:
        yield con


def state_version() -> str:
    """The app state's version, which every state edit changes: read once per state file on
    disk (every write changes its identity), so keying a read on it costs two `stat`s."""
    path = settings.db_path()
    key = (str(path), app_state.identity(path))
    with _versions_lock:
        known = _state_versions.get(key)
    if known is not None:
        return known
    version = app_state.version(path)
    if app_state.identity(path) != key[1]:
        return version  # the state changed while it was read: do not remember it
    with _versions_lock:
        if len(_state_versions) > 16:
            _state_versions.clear()
        _state_versions[key] = version
    return version


def data_version() -> str | None:
    """The stored data's version, None with no database.

    Read once per database file on disk (a write swaps in a new file), so keying every cached
    read on it costs a `stat`, not a query.

    Raises:
        DatabaseUnreadable: The file exists but cannot be opened.
    """
    shared = reader()
    identity = shared.identity
    if identity is None:
        return None
    key = (str(shared.path), identity)
    with _versions_lock:
        known = _versions.get(key)
    if known is not None:
        return known
    with shared.cursor() as cur:
        version = meta.data_version(cur)
    with _versions_lock:
        if len(_versions) > 16:
            _versions.clear()
        _versions[key] = version
    return version


def _source_digest(fn: Callable[..., object]) -> str:
    try:
        source = inspect.getsource(fn).encode()
    except (OSError, TypeError):
        source = fn.__code__.co_code
    return hashlib.sha256(source).hexdigest()[:12]


def cached(
    fn: Callable[P, R] | None = None,
    *,
    show_spinner: bool | str = False,
    max_entries: int | None = None,
    shared: bool = False,
    state: bool = False,
) -> Callable[P, R]:
    """Cache a read with `st.cache_data`, keyed on its arguments and the data version.

    Use it on every function that reads the store for a page. Arguments must be hashable
    scalars (dates, strings, tuples), never frames. The cache of one function is its own
    (named by its module, name and source), and a new data version is a new key, so nothing
    needs clearing.

    Args:
        fn: The read (when used as a bare decorator).
        show_spinner: As for `st.cache_data`: False, True or the text to show.
        max_entries: Results kept per function (None: no limit).
        shared: Hand every caller the same object instead of a copy (`st.cache_resource`):
            for results nobody changes, such as a built figure, where copying costs as much as
            building.
        state: The read shows app state (`store.state`): key it on the state's version as well,
            so an edit shows at once.
    """

    def decorate(read: Callable[P, R]) -> Callable[P, R]:
        def stored(version: object, *args: P.args, **kwargs: P.kwargs) -> R:
            return read(*args, **kwargs)

        stored.__module__ = read.__module__
        stored.__name__ = read.__name__
        stored.__qualname__ = f"{read.__qualname__}#{_source_digest(read)}"
        store = st.cache_resource if shared else st.cache_data
        by_version = store(stored, show_spinner=show_spinner, max_entries=max_entries)

        @functools.wraps(read)
        def keyed(*args: P.args, **kwargs: P.kwargs) -> R:
            version = (data_version(), state_version()) if state else data_version()
            return by_version(version, *args, **kwargs)

        return keyed

    return decorate if fn is None else decorate(fn)
