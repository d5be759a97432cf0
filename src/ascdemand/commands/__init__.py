"""Subcommands of the `ascdemand` CLI, one module each (see `ascdemand.cli`)."""
