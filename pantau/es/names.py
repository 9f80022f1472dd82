"""Names of the indices, aliases and objects the Elasticsearch side creates.

Everything is spelled from one prefix (``pantau`` unless PANTAU_ES_PREFIX says otherwise), so the
integration suite can work beside a real deployment without touching it. The JSON files under
``index_config/`` are written with the default prefix; :meth:`IndexNames.rename` moves them to
another one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_PREFIX = "pantau"
_PREFIX_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,40}")
_VERSIONED = re.compile(r"^(?P<base>.+)-v(?P<version>\d+)$")


@dataclass(frozen=True)
class IndexNames:
    prefix: str = DEFAULT_PREFIX

    def __post_init__(self) -> None:
        if not _PREFIX_RE.fullmatch(self.prefix):
            raise ValueError(
                f"PANTAU_ES_PREFIX {self.prefix!r} is not a valid index name prefix "
                "(lower-case letters, digits, '-' and '_', at most 41 characters)"
            )

    # Articles: one concrete index per generation, reached only through the two aliases.
    @property
    def articles(self) -> str:
        """Read alias: every search, Kibana and the percolator's documents go through it."""
        return f"{self.prefix}-articles"

    @property
    def articles_write(self) -> str:
        return f"{self.prefix}-articles-write"

    def articles_index(self, version: int) -> str:
        return f"{self.prefix}-articles-v{version}"

    # Saved queries for the percolator, versioned the same way (their analysers must match).
    @property
    def queries(self) -> str:
        return f"{self.prefix}-queries"

    def queries_index(self, version: int) -> str:
        return f"{self.prefix}-queries-v{version}"

    @property
    def retired_policy(self) -> str:
        return f"{self.prefix}-retired"

    @property
    def kibana_id_prefix(self) -> str:
        """Saved-object ids start with this, so objects of two prefixes never overwrite."""
        return self.prefix

    def rename(self, text: str) -> str:
        """A config text written for the default prefix, spelled for this one.

        Only quoted names that start with ``pantau-`` change; analyser and filter names use
        ``pantau_`` and stay as they are (they live inside one index and cannot clash).
        """
        if self.prefix == DEFAULT_PREFIX:
            return text
        return text.replace(f'"{DEFAULT_PREFIX}-', f'"{self.prefix}-')


def index_version(index: str) -> int | None:
    """The generation number of ``...-vN``, or None for a name not made by :class:`IndexNames`."""
    match = _VERSIONED.match(index)
    return int(match.group("version")) if match else None
