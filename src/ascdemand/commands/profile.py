"""The council profile: everything council-specific (name, districts and their postcodes, care
board and trusts, comparators, dates and thresholds).

  ascdemand profile load FILE.toml   check the profile and store it (exit 2 on any problem,
                                     each named with its key; nothing is changed)
  ascdemand profile show [--json]    print the stored profile
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from ascdemand.profile import CouncilProfile, ProfileError
from ascdemand.store import profile as store
from ascdemand.store.connection import connect
from ascdemand.store.writer import DatabaseBusy

HELP = "load or show the council profile (name, districts, NHS codes, comparators)"
EXIT_REJECTED = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """load FILE [--user NAME] | show [--json]."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    load = actions.add_parser("load", help="check a profile TOML file and store it")
    load.add_argument("file", type=Path, metavar="FILE", help="the profile (.toml)")
    load.add_argument("--user", default=None, help="who is loading (default: your login name)")
    show = actions.add_parser("show", help="print the stored profile")
    show.add_argument("--json", action="store_true", help="print JSON")


def as_dict(profile: CouncilProfile) -> dict[str, Any]:
    """The profile as plain data (the comparator table as a list of rows)."""
    data = {
        f.name: getattr(profile, f.name)
        for f in dataclasses.fields(profile)
        if f.name != "comparators"
    }
    data["districts"] = [dataclasses.asdict(d) for d in profile.districts]
    data["status"] = dataclasses.asdict(profile.status)
    data["pandemic_start"] = profile.pandemic_start.isoformat()
    data["comparators"] = (
        profile.comparators.to_dicts() if profile.comparators is not None else None
    )
    return data


def _print(profile: CouncilProfile) -> None:
    print(f"{profile.name} ({profile.short_name}, {profile.ons_code})")
    print(f"  department: {profile.department}")
    print(f"  integrated care board: {profile.icb}; trusts: {', '.join(profile.trusts) or '-'}")
    print(f"  share of the care board's discharges living here: {profile.resident_share:.0%}")
    print(f"  pandemic start: {profile.pandemic_start:%d %B %Y}")
    print(f"  districts ({len(profile.districts)}):")
    for d in profile.districts:
        prefixes = ", ".join(d.postcode_prefixes) or "no postcode prefixes"
        print(f"    {d.name} ({d.ons_code or 'no ONS code'}): {prefixes}")
    if profile.comparators is not None:
        names = ", ".join(profile.comparators["council"].to_list())
        print(f"  comparators: {names}")


def run(args: argparse.Namespace) -> int:
    """0 on success; 2 when the profile is refused or none is stored; 1 when busy."""
    if args.action == "load":
        try:
            profile = store.load_profile_file(
                args.db, args.file, loaded_by=args.user or getpass.getuser()
            )
        except ProfileError as err:
            print(f"{err}\nNothing was changed.", file=sys.stderr)
            return EXIT_REJECTED
        except DatabaseBusy as err:
            print(str(err), file=sys.stderr)
            return 1
        print(f"Stored the council profile of {profile.name}: {len(profile.districts)} districts.")
        return 0
    if not Path(args.db).exists():
        print(f"No database at {args.db}; load a profile first.", file=sys.stderr)
        return EXIT_REJECTED
    con = connect(args.db, read_only=True)
    try:
        profile = store.stored_profile(con)
    finally:
        con.close()
    if profile is None:
        print(
            "No council profile is stored; load one with `ascdemand profile load FILE.toml`.",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    if args.json:
        print(json.dumps(as_dict(profile), indent=2, default=_json_default))
    else:
        _print(profile)
    return 0


def _json_default(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")
