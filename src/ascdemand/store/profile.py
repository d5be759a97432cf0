"""The council profile in the database: stored as the TOML (and comparator CSV) the council
loaded, parsed again on read, so what is shown is always what was checked."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import duckdb
import polars as pl

from ascdemand.profile.model import GENERIC, CouncilProfile
from ascdemand.profile.parse import ProfileError, ProfileProblem, parse_profile, read_profile_file
from ascdemand.store import audit, writer
from ascdemand.store.sql import has_table, utc_now


def shipped_profile_path(name: str) -> Path:
    """A profile shipped inside the package (the demo county's), found from any install."""
    return Path(str(resources.files("ascdemand.profile") / "shipped" / name))


def stored_profile(con: duckdb.DuckDBPyConnection) -> CouncilProfile | None:
    """The loaded profile, or None when no profile has been loaded."""
    if not has_table(con, "council_profile"):
        return None
    rows = con.execute(
        "SELECT source, toml, comparators_csv FROM council_profile WHERE id = 1"
    ).fetchall()
    if not rows:
        return None
    source, text, csv = rows[0]
    return parse_profile(text, source=source, comparators=bytes(csv) if csv else None)


def current_profile(con: duckdb.DuckDBPyConnection) -> CouncilProfile:
    """The loaded profile, or the generic one (no names, no districts) before any is loaded."""
    return stored_profile(con) or GENERIC


def district_names(con: duckdb.DuckDBPyConnection) -> tuple[str, ...] | None:
    """The profile's districts, or None when no profile constrains them."""
    profile = stored_profile(con)
    return profile.district_names if profile else None


def _unknown_stored_districts(
    con: duckdb.DuckDBPyConnection, profile: CouncilProfile
) -> list[ProfileProblem]:
    """Districts in the stored extracts that the new profile does not list."""
    from ascdemand.profile.districts import district_key

    rows = con.execute(
        """
        SELECT district, count(*) FROM (
          SELECT district FROM care_packages UNION ALL SELECT district FROM placements
          UNION ALL SELECT district FROM discharges
        ) GROUP BY district ORDER BY district
        """
    ).fetchall()
    known = {district_key(n) for n in profile.district_names}
    return [
        ProfileProblem(
            "districts",
            f"the stored extracts hold {rows_:,} row(s) in district {name!r}, which this "
            "profile does not list; add it (or correct the extracts) and load again",
        )
        for name, rows_ in rows
        if district_key(name) not in known
    ]


def save_profile(
    con: duckdb.DuckDBPyConnection,
    text: str,
    csv: bytes | None,
    *,
    source: str,
    loaded_by: str | None,
) -> CouncilProfile:
    """Check and store a profile inside an open writer transaction, replacing any before it.

    Raises:
        ProfileError: The profile has problems, or the stored extracts use districts it lacks.
    """
    profile = parse_profile(text, source=source, comparators=csv)
    clashes = _unknown_stored_districts(con, profile)
    if clashes:
        raise ProfileError(source, clashes)
    con.execute("DELETE FROM council_profile")
    con.execute(
        "INSERT INTO council_profile VALUES (1, ?, ?, ?, ?, ?)",
        [source, text, csv, utc_now(), loaded_by],
    )
    audit.record(
        con,
        user=loaded_by,
        action="profile",
        detail=f"Council profile {source} loaded: {profile.name}, "
        f"{len(profile.districts)} districts.",
    )
    return profile


def save_shipped_profile(
    con: duckdb.DuckDBPyConnection, name: str, *, loaded_by: str | None
) -> CouncilProfile:
    """Store a profile shipped inside the package (inside an open writer transaction)."""
    path = shipped_profile_path(name)
    _, text, csv = read_profile_file(path)
    return save_profile(con, text, csv, source=path.name, loaded_by=loaded_by)


def load_profile_file(
    db_path: str | os.PathLike[str], path: Path, *, loaded_by: str | None
) -> CouncilProfile:
    """Check the profile at `path` and store it in the database at `db_path` (one write).

    Raises:
        ProfileError: The profile has problems; nothing was changed.
        writer.DatabaseBusy: Another write held the database too long.
    """
    _, text, csv = read_profile_file(path)
    with writer.transaction(db_path) as con:
        return save_profile(con, text, csv, source=path.name, loaded_by=loaded_by)


def profile_summary(profile: CouncilProfile) -> pl.DataFrame:
    """One row per district: name, ONS code and postcode prefixes, for display."""
    return pl.DataFrame(
        {
            "District": [d.name for d in profile.districts],
            "ONS code": [d.ons_code or "" for d in profile.districts],
            "Postcode prefixes": [", ".join(d.postcode_prefixes) for d in profile.districts],
        },
        schema={"District": pl.String, "ONS code": pl.String, "Postcode prefixes": pl.String},
    )
