"""The read-only store behind every page, and the one cache scheme of the app.

Every cached read is keyed on the stored data's version (`data_version`), which every write of
data changes: a load, an import or an edit shows at once, nothing ever clears a cache, and an
audit entry (every download writes one) keeps them.
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
from ascdemand.store.reader import Reader

P = ParamSpec("P")
R = TypeVar("R")

_versions: dict[tuple[str, tuple[int, int]], str] = {}
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
    """

    def decorate(read: Callable[P, R]) -> Callable[P, R]:
        def stored(version: str | None, *args: P.args, **kwargs: P.kwargs) -> R:
            return read(*args, **kwargs)

        stored.__module__ = read.__module__
        stored.__name__ = read.__name__
        stored.__qualname__ = f"{read.__qualname__}#{_source_digest(read)}"
        store = st.cache_resource if shared else st.cache_data
        by_version = store(stored, show_spinner=show_spinner, max_entries=max_entries)

        @functools.wraps(read)
        def keyed(*args: P.args, **kwargs: P.kwargs) -> R:
            return by_version(data_version(), *args, **kwargs)

        return keyed

    return decorate if fn is None else decorate(fn)
