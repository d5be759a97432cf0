"""Keyed-hash pseudonyms and the key's home (environment variable or a private key file)."""

from __future__ import annotations

import hashlib
import hmac
import stat

import polars as pl
import pytest

from ascdemand.store.pseudonymise import (
    PseudonymKeyError,
    load_key,
    pseudonym,
    pseudonymise,
)

KEY = b"0123456789abcdef-test-key"


def test_pseudonym_is_prefixed_truncated_hmac_sha256():
    expected = "p_" + hmac.new(KEY, b"LAS123", hashlib.sha256).hexdigest()[:20]
    assert pseudonym("LAS123", KEY) == expected


def test_series_version_matches_and_keeps_nulls_and_links():
    ids = pl.Series(["LAS1", None, "LAS2", "LAS1"])
    out = pseudonymise(ids, KEY).to_list()
    assert out == [pseudonym("LAS1", KEY), None, pseudonym("LAS2", KEY), pseudonym("LAS1", KEY)]


def test_a_different_key_gives_different_pseudonyms():
    assert pseudonym("LAS1", KEY) != pseudonym("LAS1", KEY + b"x")


def test_key_file_is_created_private_and_reused(tmp_path, monkeypatch):
    path = tmp_path / "config" / "pseudonym.key"
    monkeypatch.setenv("ASCDEMAND_KEY_FILE", str(path))
    first = load_key()
    assert len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key() == first


def test_environment_key_wins_and_must_be_long_enough(tmp_path, monkeypatch):
    monkeypatch.setenv("ASCDEMAND_KEY_FILE", str(tmp_path / "unused.key"))
    monkeypatch.setenv("ASCDEMAND_PSEUDONYM_KEY", "a-long-enough-secret-key")
    assert load_key() == b"a-long-enough-secret-key"
    assert not (tmp_path / "unused.key").exists()
    monkeypatch.setenv("ASCDEMAND_PSEUDONYM_KEY", "short")
    with pytest.raises(PseudonymKeyError, match="at least 16 characters"):
        load_key()
