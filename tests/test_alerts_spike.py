"""Spike rules: one alert per window once the count is reached, windows aligned to WIB."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from test_alerts_fakes import Receiver, loopback_only  # noqa: F401

from pantau.alerts import AlertEngine, AlertSettings, item_time, window_start
from pantau.alerts.rules import rule_from_mapping
from pantau.store import SqliteStore


def ts(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


@pytest.mark.parametrize(
    ("instant", "window", "start"),
    [
        ("2024-02-13T10:59:59+07:00", 3600, "2024-02-13T10:00:00+07:00"),
        ("2024-02-13T11:00:00+07:00", 3600, "2024-02-13T11:00:00+07:00"),
        ("2024-02-13T03:30:00+00:00", 3600, "2024-02-13T10:00:00+07:00"),
        ("2024-02-13T10:44:00+07:00", 900, "2024-02-13T10:30:00+07:00"),
        # a day window is a calendar day in Jakarta, not in UTC
        ("2024-02-13T00:30:00+07:00", 86400, "2024-02-13T00:00:00+07:00"),
        ("2024-02-13T23:59:00+07:00", 86400, "2024-02-13T00:00:00+07:00"),
        ("2024-02-13T23:59:00+08:00", 86400, "2024-02-13T00:00:00+07:00"),
    ],
)
def test_window_start(instant: str, window: int, start: str) -> None:
    assert window_start(ts(instant), window) == ts(start)


@pytest.mark.parametrize(
    ("item", "first_seen", "expected"),
    [
        ({"published_at": "2024-02-13T10:00:00+07:00"}, "2024-03-01T00:00:00+00:00", 10),
        ({"published_at": None}, "2024-02-13T04:00:00+00:00", 11),
        ({"published_at": "kemarin", "crawled_at": "2024-02-13T05:00:00+00:00"}, None, 12),
    ],
)
def test_item_time_prefers_publication_then_first_seen(
    item: dict, first_seen: str | None, expected: int
) -> None:
    assert item_time(item, first_seen) == ts(f"2024-02-13T{expected}:00:00+07:00")


def post(n: int, when: str | None, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"post{n}",
        "url": f"https://t.me/kanal/{n}",
        "source": "kanal",
        "title": f"Hoaks pemilu nomor {n}",
        "body": "",
        "published_at": when,
        **extra,
    }


def test_spike_fires_once_per_window(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "pantau.db")
    rule = rule_from_mapping(
        {
            "id": "lonjakan",
            "name": "Lonjakan hoaks",
            "query": "hoaks AND pemilu",
            "notify": ["webhook"],
            "spike": {"count": 3, "window": "1h"},
        }
    )
    with Receiver() as hook:
        settings = AlertSettings(webhook_url=hook.url, backoff=0)

        def run(items: list[dict]) -> None:
            engine = AlertEngine(store, [rule], settings)  # a new crawl each time
            for item in items:
                engine.process_item(item)
            engine.finish()

        run([post(1, "2024-02-13T10:05:00+07:00"), post(2, "2024-02-13T10:50:00+07:00")])
        assert hook.requests == []  # two matches: under the threshold, and no per-item alerts
        run([post(3, "2024-02-13T11:10:00+07:00")])  # next window
        assert hook.requests == []
        run([post(4, "2024-02-13T10:59:00+07:00"), post(5, "2024-02-13T12:00:00+07:00")])
        [body] = hook.bodies
        [spike] = body["alerts"]
        assert spike["id"] == "lonjakan:spike:2024-02-13T10:00:00+07:00"
        assert (spike["kind"], spike["match_count"]) == ("spike", 3)
        assert (spike["window_start"], spike["window_end"]) == (
            "2024-02-13T10:00:00+07:00",
            "2024-02-13T11:00:00+07:00",
        )
        assert [s["url"] for s in spike["samples"]] == [
            "https://t.me/kanal/4",
            "https://t.me/kanal/2",
            "https://t.me/kanal/1",
        ]
        assert "Spike: 3 matches between 2024-02-13T10:00:00+07:00" in body["text"]

        # more in the same window, and the same posts again: the window has fired already
        run([post(6, "2024-02-13T10:20:00+07:00"), post(1, "2024-02-13T10:05:00+07:00")])
        assert len(hook.requests) == 1
        # the 11:00 window reaches three (post 3, 7, and 8 seen first at 11:40 without a date)
        run([post(7, "2024-02-13T11:30:00+07:00"), post(8, None, crawled_at="2024-02-13T04:40Z")])
        assert [a["id"] for a in hook.bodies[1]["alerts"]] == [
            "lonjakan:spike:2024-02-13T11:00:00+07:00"
        ]
        assert hook.bodies[1]["alerts"][0]["match_count"] == 3
    kinds = store.conn.execute(
        "SELECT kind, COUNT(*) FROM alert_records GROUP BY kind ORDER BY kind"
    ).fetchall()
    assert [tuple(row) for row in kinds] == [("match", 8), ("spike", 2)]
    store.close()
