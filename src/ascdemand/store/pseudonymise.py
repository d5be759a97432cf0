"""Pseudonymising person identifiers at load with a keyed hash (HMAC-SHA256).

The same person always gets the same pseudonym under one key, so packages, placements and
discharges still link up, but without the key nobody can recompute a pseudonym from a raw
identifier. The key comes from `$ASCDEMAND_PSEUDONYM_KEY`, else from a key file created on first
use with owner-only permissions outside the repository (`settings.key_file()`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

import duckdb
import polars as pl

from ascdemand import settings
from ascdemand.store import audit

PREFIX = "p_"
DIGEST_CHARS = 20  # 80 bits: no collision in practice among millions of people
MIN_KEY_CHARS = 16


FINGERPRINT_SETTING = "pseudonym_key_fingerprint"
_FINGERPRINT_MESSAGE = b"ascdemand pseudonym key fingerprint"


class PseudonymKeyError(RuntimeError):
    """The pseudonymisation key is unusable (too short, or the key file cannot be read)."""


class PseudonymKeyMismatch(PseudonymKeyError):
    """The key in use is not the one the database's people were pseudonymised with."""


def _read_or_create_key_file(path: Path) -> bytes:
    """Read the key file, creating it first (owner-only) if it does not exist.

    The new key is written to a private temporary file and then hard-linked into place, so
    a second process starting at the same moment either finds the whole key or none.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, draft = tempfile.mkstemp(dir=path.parent, prefix=".pseudonym-key-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_hex(32).encode() + b"\n")
            with contextlib.suppress(FileExistsError):
                os.link(draft, path)
        finally:
            os.unlink(draft)
    key = path.read_bytes().strip()
    if len(key) < MIN_KEY_CHARS:
        raise PseudonymKeyError(
            f"The pseudonymisation key in {path} is shorter than {MIN_KEY_CHARS} characters."
        )
    return key


def load_key() -> bytes:
    """The key: `$ASCDEMAND_PSEUDONYM_KEY` if set, else the key file (created on first use).

    Raises:
        PseudonymKeyError: The key is shorter than `MIN_KEY_CHARS` characters.
    """
    env = os.environ.get(settings.KEY_ENV)
    if env is not None:
        if len(env.strip()) < MIN_KEY_CHARS:
            raise PseudonymKeyError(
                f"${settings.KEY_ENV} must be at least {MIN_KEY_CHARS} characters long."
            )
        return env.strip().encode()
    return _read_or_create_key_file(settings.key_file())


def key_fingerprint(key: bytes) -> str:
    """A one-way fingerprint of the key (16 hex digits of an HMAC of a fixed message): enough
    to tell two keys apart, useless for recovering the key or recomputing a pseudonym."""
    return hmac.new(key, _FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()[:16]


def _key_source() -> str:
    if os.environ.get(settings.KEY_ENV) is not None:
        return f"${settings.KEY_ENV}"
    return str(settings.key_file())


def database_key(
    con: duckdb.DuckDBPyConnection, *, new_key: bool = False, user: str | None = None
) -> bytes:
    """The key to pseudonymise with for this database, checked against the fingerprint stored
    with it, inside the writer transaction that loads.

    The first load stores the key's fingerprint (never the key). A later load with another key
    would give every person a second pseudonym, so it is refused, unless `new_key` says that
    starting a new key is intended: the new fingerprint is stored and the act audited.

    Raises:
        PseudonymKeyMismatch: The key differs from the stored fingerprint and `new_key` is False.
        PseudonymKeyError: The key is unusable.
    """
    key = load_key()
    found = key_fingerprint(key)
    rows = con.execute("SELECT value FROM settings WHERE key = ?", [FINGERPRINT_SETTING]).fetchall()
    stored = rows[0][0] if rows else None
    if stored == found:
        return key
    if stored is not None and not new_key:
        raise PseudonymKeyMismatch(
            f"The pseudonymisation key in use ({_key_source()}, fingerprint {found}) is not the "
            f"key this database's people were pseudonymised with (fingerprint {stored}). "
            "Loading with it would count every person already stored a second time, so nothing "
            "was loaded. Use the original key (restore the key file, or set "
            f"${settings.KEY_ENV} to it). If the original key is lost for good, start a new "
            "key on purpose with --new-key: people loaded before will not link to people "
            "loaded after."
        )
    con.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [FINGERPRINT_SETTING, found]
    )
    if stored is not None:
        audit.record(
            con,
            user=user,
            action="pseudonym_key_new",
            detail=f"A new pseudonymisation key was started (fingerprint {stored} -> {found}); "
            "people loaded before do not link to people loaded from now on.",
        )
    return key


def pseudonym(raw: str, key: bytes) -> str:
    """The pseudonym of one identifier: `p_` and the first 20 hex digits of its HMAC-SHA256."""
    return PREFIX + hmac.new(key, raw.encode(), hashlib.sha256).hexdigest()[:DIGEST_CHARS]


def _hmac_pads(key: bytes) -> tuple[bytes, bytes]:
    """The inner and outer padded keys of HMAC-SHA256 (RFC 2104), for hashing in SQL."""
    block = hashlib.sha256(key).digest() if len(key) > 64 else key
    block = block.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in block), bytes(b ^ 0x5C for b in block)


def pseudonymise(ids: pl.Series, key: bytes) -> pl.Series:
    """Replace every identifier in `ids` by its pseudonym (nulls stay null).

    The HMAC is computed inside DuckDB, vectorised over all cores, from the padded keys:
    `sha256(outer || sha256(inner || id))`, the same value `pseudonym()` gives one at a time.
    """
    inner, outer = _hmac_pads(key)
    with duckdb.connect() as con:
        con.register("raw_ids", pl.DataFrame({"raw": ids.cast(pl.String)}).to_arrow())
        hashed = con.sql(
            "SELECT CASE WHEN raw IS NULL THEN NULL ELSE $prefix || left(sha256($outer::BLOB"
            " || unhex(sha256($inner::BLOB || encode(raw)))), $chars) END AS pseudonym"
            " FROM raw_ids",
            params={"prefix": PREFIX, "outer": outer, "inner": inner, "chars": DIGEST_CHARS},
        ).pl()
    return hashed["pseudonym"].alias(ids.name)
