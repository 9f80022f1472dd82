"""The alerts pipeline on a real Scrapy crawler, delivering to a webhook on 127.0.0.1."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy import signals
from scrapy.utils.test import get_crawler
from test_alerts_fakes import Receiver, closed_port_url, loopback_only  # noqa: F401

from pantau.store import SqliteStore, store_for_crawler
from pantau.urls import doc_id
from pipelines.alerts import AlertsPipeline

MONEY = """\
id: politik-uang
name: Politik uang
query: '"politik uang" OR "serangan fajar"'
filters: {language: [id]}
severity: high
notify: [webhook, log]
"""
THREAT = """\
id: ancaman-kpps
name: Ancaman KPPS
query: 'KPPS AND (ancam* OR diancam*)'
notify: [webhook]
"""


class AlertSpider(scrapy.Spider):
    name = "alerts-test"


def article(n: int, title: str, body: str = "", **extra: Any) -> dict[str, Any]:
    url = f"https://kabar.example/berita/{n}"
    return {
        "id": doc_id(url),
        "url": url,
        "canonical_url": url,
        "source": "kabar",
        "title": title,
        "body": body,
        "published_at": f"2024-02-1{n % 10}T08:00:00+07:00",
        "language": "id",
        "topics": ["pemilu"],
        **extra,
    }


@pytest.fixture
def queries(tmp_path: Path) -> Path:
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "politik-uang.yaml").write_text(MONEY, encoding="utf-8")
    return folder


def crawl(tmp_path: Path, queries: Path, items: list[dict], **settings: Any) -> None:
    """One crawl as Scrapy runs it: open, items through alerts then the store, close, stop."""
    crawler = get_crawler(
        AlertSpider,
        {
            "PANTAU_STORE": str(tmp_path / "pantau.db"),
            "PANTAU_QUERIES": str(queries),
            "PANTAU_ALERT_RETRIES": 1,
            "PANTAU_ALERT_BACKOFF": 0,
            "PANTAU_ALERT_TIMEOUT": 5,
            "MEMUSAGE_ENABLED": False,  # its engine_stopped handler needs a running engine
            **settings,
        },
    )
    pipeline = AlertsPipeline.from_crawler(crawler)
    pipeline.open_spider()
    store = store_for_crawler(crawler)
    for item in items:
        assert pipeline.process_item(item) is item
        store.upsert(item)  # the store stage, which runs after alerts
    pipeline.close_spider()
    crawler.signals.send_catch_log(signals.engine_stopped)  # closes the crawl's store


def deliveries(tmp_path: Path) -> list[tuple]:
    conn = sqlite3.connect(tmp_path / "pantau.db")
    try:
        return conn.execute(
            "SELECT alert_id, channel, status, attempts, last_error IS NOT NULL, "
            "delivered_at IS NOT NULL FROM alert_deliveries ORDER BY alert_id, channel"
        ).fetchall()
    finally:
        conn.close()


ITEMS = [
    article(1, "Bawaslu siaga serangan fajar", "Pengawas berpatroli di desa."),
    article(2, "Warga laporkan politik uang", "Amplop dibagikan tim sukses."),
    article(3, "Harga cabai naik", "Pasar induk ramai."),
    article(4, "Politik uang di Johor", "Berita Malaysia.", language="ms"),
]


def test_matches_arrive_once_as_one_digest(tmp_path: Path, queries: Path) -> None:
    with Receiver() as hook:
        crawl(tmp_path, queries, ITEMS, PANTAU_WEBHOOK_URL=hook.url + "/hook")
        assert [path for path, _ in hook.requests] == ["/hook"]
        [body] = hook.bodies
        assert (body["rule_id"], body["rule_name"], body["severity"]) == (
            "politik-uang",
            "Politik uang",
            "high",
        )
        # the Malay item is filtered out, the unrelated one never matched
        assert [(a["title"], a["url"], a["source"]) for a in body["alerts"]] == [
            (ITEMS[0]["title"], ITEMS[0]["url"], "kabar"),
            (ITEMS[1]["title"], ITEMS[1]["url"], "kabar"),
        ]
        assert [a["published_at"] for a in body["alerts"]] == [
            ITEMS[0]["published_at"],
            ITEMS[1]["published_at"],
        ]
        terms = [a["matched_terms"] for a in body["alerts"]]
        assert terms == [["serangan fajar"], ["politik uang"]]
        assert body["text"].startswith("[HIGH] Politik uang (politik-uang): 2 new matches")
        assert ITEMS[1]["url"] in body["text"]

        # a repeat crawl of the same items sends nothing
        crawl(tmp_path, queries, ITEMS, PANTAU_WEBHOOK_URL=hook.url + "/hook")
        assert len(hook.requests) == 1
    assert {(status, delivered) for _, _, status, _, _, delivered in deliveries(tmp_path)} == {
        ("delivered", True)
    }
    assert len(deliveries(tmp_path)) == 4  # two alerts, webhook and log each


def test_updated_item_does_not_alert_again(tmp_path: Path, queries: Path) -> None:
    (queries / "ancaman.yaml").write_text(THREAT, encoding="utf-8")
    with Receiver() as hook:
        crawl(tmp_path, queries, ITEMS[:2], PANTAU_WEBHOOK_URL=hook.url)
        assert len(hook.requests) == 1
        changed = dict(ITEMS[0], body="Pengawas berpatroli. Diperbarui pukul 10.00.")
        crawl(tmp_path, queries, [changed], PANTAU_WEBHOOK_URL=hook.url)
        assert len(hook.requests) == 1
        # a change that makes it hit another rule alerts for that rule only
        threatened = dict(changed, body="Anggota KPPS diancam usai serangan fajar.")
        crawl(tmp_path, queries, [threatened], PANTAU_WEBHOOK_URL=hook.url)
        assert [b["rule_id"] for b in hook.bodies] == ["politik-uang", "ancaman-kpps"]
        assert [a["url"] for a in hook.bodies[1]["alerts"]] == [ITEMS[0]["url"]]


@pytest.mark.parametrize("down", ["wrong port", "HTTP 500"])
def test_receiver_down_gets_the_digest_on_the_next_run(
    tmp_path: Path, queries: Path, down: str, caplog: pytest.LogCaptureFixture
) -> None:
    with Receiver(statuses=[500]) as failing:
        url = closed_port_url() if down == "wrong port" else failing.url
        with caplog.at_level(logging.WARNING, logger="pantau.alerts"):
            crawl(tmp_path, queries, ITEMS[:2], PANTAU_WEBHOOK_URL=url)
        expected_calls = 0 if down == "wrong port" else 2  # first try and one retry
        assert len(failing.requests) == expected_calls
    webhook_rows = [row for row in deliveries(tmp_path) if row[1] == "webhook"]
    assert [row[2:] for row in webhook_rows] == [("failed", 2, True, False)] * 2
    assert "kept for the next run" in caplog.text

    with Receiver() as hook:
        crawl(tmp_path, queries, [], PANTAU_WEBHOOK_URL=hook.url)  # nothing new crawled
        assert len(hook.requests) == 1
        assert [a["url"] for a in hook.bodies[0]["alerts"]] == [ITEMS[0]["url"], ITEMS[1]["url"]]
        crawl(tmp_path, queries, ITEMS[:2], PANTAU_WEBHOOK_URL=hook.url)
        assert len(hook.requests) == 1  # delivered once, never again
    webhook_rows = [row for row in deliveries(tmp_path) if row[1] == "webhook"]
    assert [row[2:] for row in webhook_rows] == [("delivered", 3, False, True)] * 2


def test_unconfigured_channel_is_reported_once(
    tmp_path: Path, queries: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (queries / "politik-uang.yaml").write_text(
        MONEY.replace("[webhook, log]", "[telegram, log]"), encoding="utf-8"
    )
    (queries / "ancaman.yaml").write_text(
        THREAT.replace("[webhook]", "[telegram]"), encoding="utf-8"
    )
    items = [*ITEMS[:2], article(5, "KPPS diancam", "serangan fajar")]
    with caplog.at_level(logging.INFO, logger="pantau.alerts"):
        crawl(tmp_path, queries, items)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len([w for w in warnings if "telegram" in w]) == 1
    assert "ancaman-kpps, politik-uang notify telegram" in warnings[0]
    assert "PANTAU_TELEGRAM_BOT_TOKEN" in warnings[0]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    statuses = {(row[1], row[2]) for row in deliveries(tmp_path)}
    assert statuses == {("telegram", "skipped"), ("log", "delivered")}
    # the log channel carried the digest
    assert "[HIGH] Politik uang (politik-uang): 3 new matches" in caplog.text


def test_bad_rule_file_is_logged_and_the_rest_still_alert(
    tmp_path: Path, queries: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (queries / "broken.yaml").write_text("id: x\nname: X\nquery: '(a AND'\n", encoding="utf-8")
    with Receiver() as hook, caplog.at_level(logging.ERROR, logger="pantau.alerts"):
        crawl(tmp_path, queries, ITEMS[:1], PANTAU_WEBHOOK_URL=hook.url)
        assert [b["rule_id"] for b in hook.bodies] == ["politik-uang"]
    assert "broken.yaml: query: cannot parse" in caplog.text


def test_items_are_recorded_before_close(tmp_path: Path, queries: Path) -> None:
    """A crawl killed before spider close has its matches in the store, sent by the next run."""
    crawler = get_crawler(
        AlertSpider,
        {
            "PANTAU_STORE": str(tmp_path / "pantau.db"),
            "PANTAU_QUERIES": str(queries),
            "MEMUSAGE_ENABLED": False,
        },
    )
    pipeline = AlertsPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(ITEMS[0])
    crawler.signals.send_catch_log(signals.engine_stopped)  # no close_spider: the crawl died
    assert [row[:3] for row in deliveries(tmp_path)] == [
        (f"politik-uang:{ITEMS[0]['id']}", "log", "pending"),
        (f"politik-uang:{ITEMS[0]['id']}", "webhook", "pending"),
    ]
    with Receiver() as hook:
        crawl(tmp_path, queries, [], PANTAU_WEBHOOK_URL=hook.url)
        assert [a["url"] for a in hook.bodies[0]["alerts"]] == [ITEMS[0]["url"]]
    assert SqliteStore(tmp_path / "pantau.db").count() == 0  # the item itself never got stored
