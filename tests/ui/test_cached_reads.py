"""The one cache scheme of the app: every cached read is keyed on the stored data's version,
so a write shows at once and nothing ever clears a cache."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from ascdemand.store import writer
from ascdemand.ui.services import cache

ROOT = Path(__file__).resolve().parents[2]
calls: list[str] = []


@cache.cached
def _first(x: int) -> int:
    calls.append("first")
    return x + 1


@cache.cached
def _second(x: int) -> int:
    calls.append("second")
    return x + 2


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cached.duckdb"
    with writer.transaction(path):
        pass
    monkeypatch.setenv("ASCDEMAND_DB", str(path))
    st.cache_data.clear()
    calls.clear()
    yield path
    st.cache_data.clear()
    cache.reader().close()


def test_a_read_is_computed_once_per_data_version(db: Path):
    assert (_first(1), _first(1)) == (2, 2)
    assert calls == ["first"]
    with writer.transaction(db):  # any write of data gives a new version
        pass
    assert _first(1) == 2
    assert calls == ["first", "first"]


def test_an_audit_entry_keeps_the_cached_reads(db: Path):
    from ascdemand.store import audit

    _first(1)
    audit.record_alone(db, user="test", action="export", detail="a download")
    _first(1)
    assert calls == ["first"]


def test_each_function_has_its_own_cache(db: Path):
    assert (_first(1), _second(1)) == (2, 3)
    assert calls == ["first", "second"]


def test_no_database_has_no_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ASCDEMAND_DB", str(tmp_path / "missing.duckdb"))
    assert cache.data_version() is None


def test_nothing_clears_a_cache_and_every_cache_is_the_decorators():
    """`cached` is the only place `st.cache_data` is applied in the app, and no code clears a
    cache (`st.cache_resource` holds only the shared database reader)."""
    sources = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "src").rglob("*.py")]
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "cache_data.clear" in line
        or "cache_resource.clear" in line
        or ("st.cache_data" in line and path != ROOT / "src/ascdemand/ui/services/cache.py")
    ]
    assert offenders == []
