"""The on-disk spool: order, sealing, claiming, and what a kill leaves behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pantau.es.spool import OPEN, SEALED, TEMP, Spool, decode

REPO = Path(__file__).resolve().parents[1]


def _record(n: int) -> dict:
    return {"id": f"d{n}", "version": n, "doc": {"id": f"d{n}", "title": f"judul {n}"}}


def _drain(spool: Spool) -> tuple[list[str], list[str]]:
    """Ids and damaged lines of every sealed segment, oldest first, settling each."""
    ids, damaged = [], []
    for path in spool.sealed_segments():
        claim = spool.claim(path)
        assert claim is not None
        ids += [r["id"] for r in claim.records]
        damaged += claim.damaged
        spool.settle(claim, [])
    return ids, damaged


def test_records_come_back_in_order_across_segments(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    counts = []
    for n in range(5):
        counts.append(spool.append(_record(n)))
        if n == 2:
            assert spool.seal().suffix == SEALED
    assert counts == [1, 2, 3, 1, 2]  # a new segment after sealing
    assert spool.open_count() == 2
    assert spool.pending_count() == 5
    spool.seal()
    ids, damaged = _drain(spool)
    assert ids == ["d0", "d1", "d2", "d3", "d4"] and damaged == []
    assert list(tmp_path.iterdir()) == []


def test_settle_keeps_only_what_is_still_owed(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    for n in range(4):
        spool.append(_record(n))
    path = spool.seal()
    claim = spool.claim(path)
    spool.settle(claim, [claim.records[3], {**claim.records[1], "attempts": 1}])
    again = spool.claim(path)
    assert [(r["id"], r.get("attempts")) for r in again.records] == [("d3", None), ("d1", 1)]
    spool.release(again)
    assert not list(tmp_path.glob(f"*{TEMP}"))


def test_a_claimed_segment_is_not_claimed_twice(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    spool.append(_record(1))
    path = spool.seal()
    first = spool.claim(path)
    assert Spool(tmp_path).claim(path) is None  # e.g. `pantau es replay` during a crawl
    spool.settle(first, [])
    assert Spool(tmp_path).claim(path) is None  # gone


def test_an_open_segment_with_a_live_writer_is_left_alone(tmp_path: Path) -> None:
    writer = Spool(tmp_path)
    writer.append(_record(1))
    other = Spool(tmp_path)
    assert other.recover() == []
    assert other.sealed_segments() == []
    writer.seal()
    assert len(other.sealed_segments()) == 1


@pytest.mark.parametrize(
    "tail, damaged",
    [
        (b"", []),
        (b'{"id": "d9", "ver', ['{"id": "d9", "ver']),  # killed mid-line
        (b"\x00\x00\x00\x00", []),  # a crash left zeros after the last fsync
        (b'{"id": "d9"}\n', ['{"id": "d9"}']),  # complete but not a record
    ],
)
def test_a_dead_writers_segment_is_recovered(tmp_path: Path, tail: bytes, damaged: list) -> None:
    spool = Spool(tmp_path)
    for n in range(3):
        spool.append(_record(n))
    # What a killed writer leaves: an .open segment, no lock, maybe a torn last line.
    name = next(tmp_path.glob(f"*{OPEN}"))
    data = name.read_bytes() + tail
    os.close(spool._fd)  # the writer "dies": its lock goes with it
    spool._fd = None
    orphan = tmp_path / "00000000000000000001-99999-000001.open"
    orphan.write_bytes(data)
    name.unlink()
    recovered = Spool(tmp_path).recover()
    assert [p.suffix for p in recovered] == [SEALED]
    ids, found_damaged = _drain(Spool(tmp_path))
    assert ids == ["d0", "d1", "d2"]
    assert found_damaged == damaged


def test_a_sender_killed_while_rewriting_leaves_the_segment_whole(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    for n in range(3):
        spool.append(_record(n))
    path = spool.seal()
    # Killed after writing part of the replacement, before the rename.
    path.with_name(path.name + TEMP).write_bytes(b'{"id": "d2", "vers')
    fresh = Spool(tmp_path)
    fresh.recover()
    assert not list(tmp_path.glob(f"*{TEMP}"))
    assert _drain(fresh) == (["d0", "d1", "d2"], [])


@pytest.mark.parametrize(
    "data, records, damaged",
    [
        (b"", 0, 0),
        (b'{"id":"a","doc":{}}\n{"id":"b","doc":{}}\n', 2, 0),
        (b'{"id":"a","doc":{}}\n{"id":"b","doc":{}}', 1, 1),
        (b'not json\n{"id":"b","doc":{}}\n', 1, 1),
        (b'\xff\xfe\n{"id":"b","doc":{}}\n', 1, 1),
    ],
)
def test_decode(data: bytes, records: int, damaged: int) -> None:
    found, bad = decode(data)
    assert (len(found), len(bad)) == (records, damaged)


WRITER = textwrap.dedent(
    """
    import sys
    from pantau.es.spool import Spool
    spool = Spool(sys.argv[1])
    n = 0
    while True:
        spool.append({"id": f"d{n}", "version": n, "doc": {"id": f"d{n}", "body": "x" * 2000}})
        print(n, flush=True)  # acknowledged: the item is on disk
        n += 1
        if n % 50 == 0:
            spool.seal()
    """
)


def test_killing_the_writer_at_any_moment_loses_no_acknowledged_record(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for round_number, stop_after in enumerate((1, 37, 120)):
        folder = tmp_path / f"round{round_number}"
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder)],
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        acknowledged = []
        assert child.stdout is not None
        for line in child.stdout:
            acknowledged.append(f"d{int(line)}")
            if len(acknowledged) >= stop_after:
                break
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        spool = Spool(folder)
        spool.recover()
        ids, damaged = _drain(spool)
        assert set(acknowledged) <= set(ids)
        assert ids == [f"d{n}" for n in range(len(ids))]  # in order, no gaps
        assert len(damaged) <= 1  # at most the line being written when the kill came
