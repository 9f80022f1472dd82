"""``python -m pantau.fixture_site serve`` runs the sites; ``record`` rewrites recorded/."""

from __future__ import annotations

import argparse
import sys
import time

from . import FixtureSites
from .record import SITES, write_recording


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pantau.fixture_site")
    parser.add_argument("command", choices=["serve", "record"])
    args = parser.parse_args(argv)
    if args.command == "record":
        for site in SITES:
            written = write_recording(site)
            print(f"{site}: {len(written)} files")
        return 0
    with FixtureSites() as sites:
        print(f"portal:    {sites.portal_url}/")
        print(f"wordpress: {sites.wordpress_url}/")
        print(f"external:  {sites.external_url}/ (must not be crawled)")
        print("Ctrl-C to stop.")
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
