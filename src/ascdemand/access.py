"""Role-based page access: which signed-in user may open which page.

Directors and commissioners see every page; committee members only the briefing and the
benchmarks, which carry no person-level data. The mapping lives in a small TOML file so that a
council's information governance officer can read and change it without touching code: the file
named by `$ASCDEMAND_ACCESS_FILE`, else `config/access.toml` in the working directory (as in the
source checkout), else the defaults shipped inside the package (`ascdemand/config/access.toml`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

ACCESS_FILE_ENV = "ASCDEMAND_ACCESS_FILE"
LOCAL_ACCESS_FILE = Path("config") / "access.toml"
"""A council's own access file, relative to the working directory (the checkout keeps one)."""
ROLE_ORDER = ("director", "commissioner", "committee")


@dataclass(frozen=True, slots=True)
class AccessConfig:
    """Role members and the pages each role may open (`*` for all)."""

    members: dict[str, tuple[str, ...]]
    pages: dict[str, tuple[str, ...]]
    local_role: str


def packaged_access_file() -> Traversable:
    """The default access file shipped inside the package, found from any install."""
    return resources.files("ascdemand") / "config" / "access.toml"


def access_file(path: str | os.PathLike[str] | None = None) -> Path | Traversable:
    """The access file to read: `path`, else `$ASCDEMAND_ACCESS_FILE`, else
    `config/access.toml` in the working directory if there is one, else the packaged defaults."""
    if path or os.environ.get(ACCESS_FILE_ENV):
        return Path(path or os.environ[ACCESS_FILE_ENV])
    if LOCAL_ACCESS_FILE.is_file():
        return LOCAL_ACCESS_FILE.resolve()
    return packaged_access_file()


def load_config(path: str | os.PathLike[str] | None = None) -> AccessConfig:
    """Read the access file (see `access_file` for which one).

    Raises:
        ValueError: An unknown role, or a local role that is not defined.
    """
    path = access_file(path)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    roles = data.get("roles", {})
    unknown = set(roles) - set(ROLE_ORDER)
    if unknown:
        raise ValueError(f"{path}: unknown roles {sorted(unknown)}; use {list(ROLE_ORDER)}.")
    local_role = data.get("local_role", "director")
    if local_role not in roles:
        raise ValueError(f"{path}: local_role {local_role!r} is not defined under [roles].")
    return AccessConfig(
        members={r: tuple(v.get("members", ())) for r, v in roles.items()},
        pages={r: tuple(v.get("pages", ())) for r, v in roles.items()},
        local_role=local_role,
    )


def role_for(email: str | None, groups: Iterable[str], config: AccessConfig) -> str | None:
    """The user's role: first by the order director, commissioner, committee; None if none."""
    email = (email or "").strip().lower()
    domain = "@" + email.rsplit("@", 1)[1] if "@" in email else None
    tokens = {f"group:{g}".lower() for g in groups}
    if email:
        tokens.add(email)
    if domain:
        tokens.add(domain)
    for role in ROLE_ORDER:
        if tokens & {m.lower() for m in config.members.get(role, ())}:
            return role
    return None


def may_open(role: str | None, page: str, config: AccessConfig) -> bool:
    """Whether `role` may open the page whose file stem is `page`."""
    if role is None:
        return False
    allowed = config.pages.get(role, ())
    return "*" in allowed or page in allowed
