"""The `ascdemand` command: a global `--db` option, then one subcommand per module in
`ascdemand.commands`.

Each command module defines `HELP` (one line), `add_arguments(parser)` and
`run(args) -> int`; the module name, with `_` as `-`, is the subcommand. Discovering them keeps
this file closed to edits as commands are added.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import duckdb

from ascdemand import __version__, commands, settings
from ascdemand.store.connection import DatabaseUnreadable
from ascdemand.store.writer import DatabaseBusy


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every discovered subcommand."""
    parser = argparse.ArgumentParser(
        prog="ascdemand",
        description="Adult social care demand, forecasts, scenarios and budget outturn.",
    )
    parser.add_argument(
        "--db",
        default=None,
        help=f"DuckDB file (default: ${settings.DB_ENV} or {settings.DEFAULT_DB})",
    )
    parser.add_argument("--version", action="version", version=f"ascdemand {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        command = sub.add_parser(
            info.name.replace("_", "-"),
            help=module.HELP,
            description=module.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse `argv`, resolve the database path and run the chosen subcommand."""
    args = build_parser().parse_args(argv)
    args.db = settings.db_path(args.db)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except (DatabaseUnreadable, DatabaseBusy) as err:
        print(str(err), file=sys.stderr)
        return 1
    except duckdb.IOException as err:
        print(
            f"Cannot read the database {args.db}: it is damaged or truncated "
            f"({str(err).splitlines()[0]}). Restore it from a backup, or rebuild it.",
            file=sys.stderr,
        )
        return 1
    except PermissionError as err:
        print(f"Permission denied: {err.filename or err}.", file=sys.stderr)
        return 1
