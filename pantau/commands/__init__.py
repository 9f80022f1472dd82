"""Subcommands of `pantau`; each module has register(subparsers)."""
