"""One home for every default path, so a run behaves the same from any working directory.

The store, the source files, the saved queries, the Elasticsearch spool and the run locks all
default to places under ``PANTAU_HOME``. Without that variable the home is the project folder
(the checkout this package runs from, recognised by its ``scrapy.cfg``), or, for a package
installed elsewhere, ``$XDG_DATA_HOME/pantau``. Never the working directory: a job started by
cron from ``/`` must find the same saved queries as one started by hand.

A path given explicitly (a command-line option, a setting, a variable) is taken as written, so
a relative one means relative to where the user typed it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

HOME_VARIABLE = "PANTAU_HOME"
_PROJECT = Path(__file__).resolve().parents[1]


def home() -> Path:
    """The folder every default path lives under."""
    value = os.environ.get(HOME_VARIABLE)
    if value:
        return Path(value).expanduser().absolute()
    if (_PROJECT / "scrapy.cfg").is_file():
        return _PROJECT
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "pantau"


def under_home(relative: str | Path) -> Path:
    return home() / relative


def configured_path(
    name: str, default: str | Path, settings: Any | None = None, *, env: bool = True
) -> Path:
    """A path setting: the Scrapy setting, else the variable of that name, else the default
    under the home."""
    value = settings.get(name) if settings is not None else None
    if not value and env:
        value = os.environ.get(name)
    return Path(value).expanduser() if value else under_home(default)
