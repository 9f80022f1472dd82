"""The `pantau` command: crawl, search, tag, alerts, trends and the Elasticsearch side."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each module adds its own subcommand through register(subparsers).
COMMAND_MODULES = (
    "pantau.commands.crawl",
    "pantau.commands.sources",
    "pantau.commands.search",
    "pantau.commands.demo",
    "pantau.commands.tag",
    "pantau.commands.alerts",
    "pantau.commands.trends",
    "pantau.commands.es",
    "pantau.commands.kibana",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pantau",
        description="Watch Indonesian news and social media for election hoaxes, hate speech, "
        "vote buying and conflict.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
