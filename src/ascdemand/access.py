"""Role-based page access: which signed-in user may open which page.

Directors and commissioners see every page; committee members only the briefing and the
benchmarks, which carry no person-level data. The mapping lives in a small TOML file so that a
council's information governance officer can read and change it without touching code.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ACCESS_FILE_ENV = "ASCDEMAND_ACCESS_FILE"
DEFAULT_ACCESS_FILE = Path(__file__).resolve().parents[2] / "config" / "access.toml"
ROLE_ORDER = ("director", "commissioner", "committee")


@dataclass(frozen=True, slots=True)
class AccessConfig:
    """Role members and the pages each role may open (`*` for all)."""

    members: dict[str, tuple[str, ...]]
    pages: dict[str, tuple[str, ...]]
    local_role: str


def load_config(path: str | os.PathLike[str] | None = None) -> AccessConfig:
    """Read the access file (`$ASCDEMAND_ACCESS_FILE`, else `config/access.toml`).

    Raises:
        ValueError: An unknown role, or a local role that is not defined.
    """
    path = Path(path or os.environ.get(ACCESS_FILE_ENV) or DEFAULT_ACCESS_FILE)
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
