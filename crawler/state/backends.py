"""Where crawl state lives: the small interface every back end offers, and the embedded one.

Two kinds of state, kept apart because they live for different spans:

- marks and cursors (``MarkStore``) are durable: what each article's modification mark was when
  it was stored, and per-source cursors such as the WordPress ``modified_after`` mark or a
  channel's last seen post. The embedded back end keeps them in the SQLite store; the Redis back
  end in Redis, shared by every crawler process.
- the run ledger (``RunLedger``) lives for one run: which article keys were already scheduled
  (so two routes, or two processes, fetch an article once) and the cursors proposed this run,
  committed only when every page that feeds them was read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pantau.store import SqliteStore
from pantau.times import iso_to_epoch


@dataclass(frozen=True, slots=True)
class Mark:
    lastmod: str | None
    status: str  # stored | failed | not_html | dropped | lost


class MarkStore(Protocol):
    def marks(self, source: str, keys: Sequence[str]) -> dict[str, Mark]: ...

    def record(
        self,
        source: str,
        keys: Sequence[str],
        *,
        lastmod: str | None,
        doc_id: str | None,
        status: str,
    ) -> None: ...

    def cursor(self, source: str, name: str) -> str | None: ...

    def set_cursor(self, source: str, name: str, value: str) -> None: ...


class RunLedger(Protocol):
    def claim(self, keys: Sequence[str]) -> list[bool]:
        """For each key, whether this caller is the first of the run to schedule it."""
        ...

    def propose_cursor(self, source: str, name: str, value: str) -> None: ...

    def cursor_outcome(self, source: str, name: str, *, complete: bool) -> None:
        """A page feeding the cursor failed (``complete=False``), or its last page was read."""
        ...

    def settled_cursors(self) -> list[tuple[str, str, str]]:
        """``(source, name, value)`` of each cursor whose pages were all read without failure."""
        ...


def later(a: str | None, b: str | None) -> str | None:
    """The later of two cursor values: numbers as numbers, times as instants, else as text."""
    if a is None or b is None:
        return a if b is None else b
    if a.isdigit() and b.isdigit():
        return a if int(a) >= int(b) else b
    ta, tb = iso_to_epoch(a), iso_to_epoch(b)
    if ta is not None and tb is not None:
        return a if ta >= tb else b
    return max(a, b)


class SqliteMarks:
    """Marks and cursors in the crawl's SQLite store (tables crawl_state and source_marks)."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def marks(self, source: str, keys: Sequence[str]) -> dict[str, Mark]:
        return {
            url: Mark(lastmod, status)
            for url, (lastmod, status) in self.store.crawl_marks(source, keys).items()
        }

    def record(
        self,
        source: str,
        keys: Sequence[str],
        *,
        lastmod: str | None,
        doc_id: str | None,
        status: str,
    ) -> None:
        with self.store.transaction():
            for key in keys:
                self.store.mark_fetched(source, key, lastmod=lastmod, doc_id=doc_id, status=status)

    def cursor(self, source: str, name: str) -> str | None:
        return self.store.get_mark(source, name)

    def set_cursor(self, source: str, name: str, value: str) -> None:
        self.store.set_mark(source, name, value)


class LocalLedger:
    """The run ledger of a crawl that runs in one process."""

    def __init__(self) -> None:
        self._claimed: set[str] = set()
        self._proposed: dict[tuple[str, str], str] = {}
        self._complete: set[tuple[str, str]] = set()
        self._failed: set[tuple[str, str]] = set()

    def claim(self, keys: Sequence[str]) -> list[bool]:
        won = []
        for key in keys:
            won.append(key not in self._claimed)
            self._claimed.add(key)
        return won

    def propose_cursor(self, source: str, name: str, value: str) -> None:
        self._proposed[source, name] = later(self._proposed.get((source, name)), value) or value

    def cursor_outcome(self, source: str, name: str, *, complete: bool) -> None:
        (self._complete if complete else self._failed).add((source, name))

    def settled_cursors(self) -> list[tuple[str, str, str]]:
        return [
            (source, name, value)
            for (source, name), value in self._proposed.items()
            if (source, name) in self._complete and (source, name) not in self._failed
        ]
