"""Options every command that writes extracts shares (`load`, `import-cld`): who, how long to
wait, the file size limit, and starting a new pseudonymisation key on purpose. The leading
underscore keeps this module out of the subcommand list."""

from __future__ import annotations

import argparse

from ascdemand.store.ingest import DEFAULT_MAX_BYTES
from ascdemand.store.writer import DEFAULT_TIMEOUT_S


def add_write_options(parser: argparse.ArgumentParser, *, verb: str) -> None:
    """--new-key, --user, --wait and --max-mb; `verb` ("loading", "importing") for the help."""
    parser.add_argument(
        "--new-key",
        action="store_true",
        help="start a new pseudonymisation key on purpose: the key in use becomes this "
        "database's key (audited); people loaded before will not link to people loaded after",
    )
    parser.add_argument("--user", default=None, help=f"who is {verb} (default: your login name)")
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help="how long to wait for another load or save to finish (default: %(default).0f)",
    )
    parser.add_argument(
        "--max-mb",
        type=float,
        default=DEFAULT_MAX_BYTES / 1024 / 1024,
        help="refuse files larger than this many MB (default: %(default).0f)",
    )
