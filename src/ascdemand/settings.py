"""Where the database and the pseudonymisation key live, resolved once from flags and environment."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = Path("data/ascdemand.duckdb")
DB_ENV = "ASCDEMAND_DB"
KEY_ENV = "ASCDEMAND_PSEUDONYM_KEY"
KEY_FILE_ENV = "ASCDEMAND_KEY_FILE"


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file: an explicit path, else `$ASCDEMAND_DB`, else `data/ascdemand.duckdb`."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(DB_ENV)
    return Path(env) if env else DEFAULT_DB


def key_file() -> Path:
    """The pseudonymisation key file: `$ASCDEMAND_KEY_FILE`, else in the user's config folder.

    The default lies outside the repository so that a copy of the code or of the database
    never carries the key with it.
    """
    env = os.environ.get(KEY_FILE_ENV)
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "ascdemand" / "pseudonym.key"
