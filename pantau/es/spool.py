"""A durable on-disk queue of documents waiting for Elasticsearch.

Every document is written here before it is sent, and leaves only once the cluster has answered
for it, so killing the process at any moment loses nothing that a pipeline had handed on:

- Documents are appended, one JSON object a line, to an *open* segment (``<stamp>.open``) with a
  single ``write()`` each; a process killed mid-line leaves at most a torn last line, which the
  reader reports instead of guessing at.
- A full (or old enough) open segment is *sealed*: fsync, then renamed to ``<stamp>.jsonl``.
- A sender *claims* a sealed segment (an exclusive ``flock``, so a crawl and
  ``pantau es replay`` never send the same segment at once), sends it, and then deletes it, or
  replaces it atomically (write a temporary file, fsync, rename) with the documents that are still
  owed. A kill before the rename leaves the old segment whole; documents sent twice are harmless
  because of external versioning (the cluster answers 409 to the second copy).
- An open segment whose writer died (its lock is free) is sealed by :meth:`Spool.recover`.

Segment names sort in creation order, and senders take the oldest first.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEALED = ".jsonl"
OPEN = ".open"
TEMP = ".tmp"


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def encode(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def decode(data: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    """Records of a segment, and the lines that could not be read (a torn or damaged line)."""
    records: list[dict[str, Any]] = []
    damaged: list[str] = []
    lines = data.split(b"\n")
    for number, raw in enumerate(lines):
        if not raw.strip(b"\x00 \t\r"):
            continue
        complete = number < len(lines) - 1  # the text after the last newline is unfinished
        try:
            record = json.loads(raw.decode("utf-8")) if complete else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            record = None
        if isinstance(record, dict) and "id" in record and "doc" in record:
            records.append(record)
        else:
            damaged.append(raw.decode("utf-8", errors="replace"))
    return records, damaged


@dataclass
class Claim:
    """A sealed segment held by one sender until :meth:`Spool.settle` or :meth:`Spool.release`."""

    path: Path
    fd: int
    records: list[dict[str, Any]]
    damaged: list[str] = field(default_factory=list)


class Spool:
    """Append-only segments in ``folder``; see the module docstring for the protocol."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._path: Path | None = None
        self._count = 0
        self._opened = 0.0
        self._seq = 0

    # -- writing ----------------------------------------------------------------------------
    def _new_name(self) -> str:
        self._seq += 1
        return f"{time.time_ns():020d}-{os.getpid()}-{self._seq:06d}"

    def append(self, record: dict[str, Any]) -> int:
        """Write one record to the open segment; returns how many that segment now holds."""
        data = encode(record)
        with self._lock:
            if self._fd is None:
                path = self.folder / (self._new_name() + OPEN)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_EXCL, 0o600)
                fcntl.flock(fd, fcntl.LOCK_EX)  # marks the segment as having a live writer
                self._fd, self._path, self._count = fd, path, 0
                self._opened = time.monotonic()
            write_all(self._fd, data)
            self._count += 1
            return self._count

    def open_count(self) -> int:
        with self._lock:
            return self._count

    def open_age(self) -> float:
        with self._lock:
            return time.monotonic() - self._opened if self._fd is not None else 0.0

    def seal(self) -> Path | None:
        """Make the open segment durable and visible to senders; None if nothing was open."""
        with self._lock:
            if self._fd is None or self._path is None:
                return None
            fd, path = self._fd, self._path
            self._fd, self._path, self._count = None, None, 0
            try:
                os.fsync(fd)
                sealed = path.with_suffix(SEALED)
                os.rename(path, sealed)
                _fsync_dir(self.folder)
            finally:
                os.close(fd)  # releases the writer's lock
            return sealed

    # -- reading ----------------------------------------------------------------------------
    def sealed_segments(self) -> list[Path]:
        return sorted(self.folder.glob(f"*{SEALED}"))

    def recover(self) -> list[Path]:
        """Seal open segments whose writer is gone; drop temporary files of a killed sender."""
        recovered = []
        for path in sorted(self.folder.glob(f"*{OPEN}")):
            if path == self._path:
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:
                continue
            try:
                if _try_lock(fd) and path.exists():
                    os.rename(path, path.with_suffix(SEALED))
                    recovered.append(path.with_suffix(SEALED))
            finally:
                os.close(fd)
        for temp in self.folder.glob(f"*{TEMP}"):
            segment = temp.with_suffix("")  # name.jsonl.tmp -> name.jsonl
            claim = self.claim(segment) if segment.exists() else None
            if claim is not None or not segment.exists():
                temp.unlink(missing_ok=True)
            if claim is not None:
                self.release(claim)
        if recovered:
            _fsync_dir(self.folder)
        return recovered

    def claim(self, path: Path) -> Claim | None:
        """Lock and read a sealed segment, or None when another sender holds it or it is gone."""
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            return None
        try:
            if not _try_lock(fd):
                os.close(fd)
                return None
            # The segment may have been replaced or removed between open() and the lock.
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                return None
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
        except BaseException:
            os.close(fd)
            raise
        records, damaged = decode(b"".join(chunks))
        return Claim(path, fd, records, damaged)

    def settle(self, claim: Claim, remaining: list[dict[str, Any]]) -> None:
        """Keep only ``remaining`` of a claimed segment (delete it when nothing remains)."""
        try:
            if not remaining:
                claim.path.unlink(missing_ok=True)
            else:
                temp = claim.path.with_name(claim.path.name + TEMP)
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                try:
                    write_all(fd, b"".join(encode(r) for r in remaining))
                    os.fsync(fd)
                finally:
                    os.close(fd)
                os.replace(temp, claim.path)
            _fsync_dir(self.folder)
        finally:
            self.release(claim)

    def release(self, claim: Claim) -> None:
        if claim.fd >= 0:
            os.close(claim.fd)
            claim.fd = -1

    def close(self) -> Path | None:
        return self.seal()

    # -- inspection -------------------------------------------------------------------------
    def iter_files(self) -> Iterator[Path]:
        yield from sorted(self.folder.glob(f"*{SEALED}"))
        yield from sorted(self.folder.glob(f"*{OPEN}"))

    def pending_count(self) -> int:
        """Documents waiting on disk (sealed and open segments, damaged lines excluded)."""
        total = 0
        for path in self.iter_files():
            try:
                records, _ = decode(path.read_bytes())
            except FileNotFoundError:
                continue
            total += len(records)
        return total
