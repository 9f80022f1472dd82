"""Channels against loopback fakes (Telegram API, SMTP), digest text, retries and backoff."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from test_alerts_fakes import Receiver, SmtpServer, closed_port_url, loopback_only  # noqa: F401

from pantau.alerts import AlertEngine, AlertSettings, alert_settings
from pantau.alerts.channels import (
    TELEGRAM_LIMIT,
    Digest,
    digest_text,
    send_email,
    send_telegram,
    webhook_payload,
)
from pantau.alerts.rules import rule_from_mapping
from pantau.store import SqliteStore

TOKEN = "123456:SECRET-token"


def alert(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"politik-uang:doc{n}",
        "kind": "match",
        "title": f"Dugaan politik uang nomor {n} “di desa”",
        "url": f"https://kabar.example/{n}",
        "source": "kabar",
        "published_at": "2024-02-13T10:00:00+07:00",
        "matched_terms": ["politik uang"],
        "matched_at": "2024-02-13T03:05:00+00:00",
        **extra,
    }


def digest(count: int = 2) -> Digest:
    return Digest("politik-uang", "Politik uang", "high", [alert(n) for n in range(count)])


def test_digest_text_lists_every_alert_under_a_headline() -> None:
    text = digest_text(digest(2))
    lines = text.splitlines()
    assert lines[0] == "[HIGH] Politik uang (politik-uang): 2 new matches"
    assert "1. Dugaan politik uang nomor 0 “di desa”" in lines
    assert "   kabar | 2024-02-13T10:00:00+07:00" in lines
    assert "   matched: politik uang" in lines
    assert "   https://kabar.example/1" in lines


@pytest.mark.parametrize("limit", [400, 800, 2000])
def test_digest_text_counts_what_does_not_fit(limit: int) -> None:
    text = digest_text(digest(40), limit)
    assert len(text) <= limit
    shown = sum(1 for line in text.splitlines() if line.startswith("   https://"))
    assert 0 < shown < 40
    assert text.endswith(f"... and {40 - shown} more (pantau alerts list --rule politik-uang)")


def test_spike_digest_text_and_payload() -> None:
    spike = {
        "id": "politik-uang:spike:2024-02-13T10:00:00+07:00",
        "kind": "spike",
        "window_start": "2024-02-13T10:00:00+07:00",
        "window_end": "2024-02-13T11:00:00+07:00",
        "match_count": 12,
        "samples": [{"title": "Contoh", "url": "https://kabar.example/9", "source": "kabar"}],
        "matched_terms": [],
    }
    d = Digest("politik-uang", "Politik uang", "medium", [spike])
    text = digest_text(d)
    assert text.splitlines()[0] == "[MEDIUM] Politik uang (politik-uang): 1 spike"
    assert "Spike: 12 matches between 2024-02-13T10:00:00+07:00 and" in text
    assert "https://kabar.example/9" in text
    [structured] = webhook_payload(d)["alerts"]
    assert structured["match_count"] == 12 and structured["samples"][0]["title"] == "Contoh"


def test_webhook_payload_is_slack_text_plus_structure() -> None:
    payload = webhook_payload(digest(2))
    assert payload["text"] == digest_text(digest(2))
    assert (payload["rule_id"], payload["rule_name"], payload["severity"], payload["count"]) == (
        "politik-uang",
        "Politik uang",
        "high",
        2,
    )
    assert set(payload["alerts"][0]) == {
        "id",
        "kind",
        "title",
        "url",
        "source",
        "published_at",
        "matched_terms",
        "matched_at",
    }


def test_telegram_posts_send_message_to_the_bot(monkeypatch: pytest.MonkeyPatch) -> None:
    with Receiver(answer=b'{"ok": true, "result": {}}') as api:
        monkeypatch.setenv("PANTAU_TELEGRAM_API", api.url + "/")
        monkeypatch.setenv("PANTAU_TELEGRAM_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("PANTAU_TELEGRAM_CHAT_ID", "-100200300")
        send_telegram(alert_settings(), digest(200))
    [(path, body)] = api.requests
    assert path == f"/bot{TOKEN}/sendMessage"
    assert body["chat_id"] == "-100200300"
    assert body["text"].startswith("[HIGH] Politik uang (politik-uang): 200 new matches")
    assert len(body["text"]) <= TELEGRAM_LIMIT and "more (pantau alerts list" in body["text"]


def test_email_goes_through_smtp_with_login() -> None:
    with SmtpServer(password="rahasia") as smtp:
        settings = AlertSettings(
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            smtp_user="pantau",
            smtp_password="rahasia",
            smtp_from="pantau@redaksi.example",
            smtp_to=("desk@redaksi.example", "editor@redaksi.example"),
        )
        send_email(settings, digest(2))
    assert smtp.logins == [("pantau", "rahasia")]
    [sent] = smtp.messages
    assert sent["from"] == "pantau@redaksi.example"
    assert sent["rcpt"] == ["desk@redaksi.example", "editor@redaksi.example"]
    assert (
        sent["message"]["Subject"] == "[pantau] [HIGH] Politik uang (politik-uang): 2 new matches"
    )
    assert smtp.body() == digest_text(digest(2)) + "\n"


def make_engine(tmp_path: Path, settings: AlertSettings, notify: list[str]) -> AlertEngine:
    store = SqliteStore(tmp_path / "pantau.db")
    rule = rule_from_mapping(
        {"id": "politik-uang", "name": "Politik uang", "query": '"politik uang"', "notify": notify}
    )
    sleeps: list[float] = []
    engine = AlertEngine(store, [rule], settings, sleep=sleeps.append)
    engine.sleeps = sleeps  # type: ignore[attr-defined]
    engine.process_item(
        {"id": "doc1", "title": "Politik uang di desa", "url": "https://kabar.example/1"}
    )
    return engine


def delivery_row(engine: AlertEngine, channel: str) -> tuple:
    return tuple(
        engine.store.conn.execute(
            "SELECT status, attempts, last_error FROM alert_deliveries WHERE channel = ?",
            (channel,),
        ).fetchone()
    )


@pytest.mark.parametrize(
    ("data_reply", "attempts", "sleeps"),
    [("451 mailbox busy", 3, [0.5, 1.0]), ("554 rejected as spam", 1, [])],
)
def test_email_retries_transient_refusals_only(
    tmp_path: Path, data_reply: str, attempts: int, sleeps: list[float]
) -> None:
    with SmtpServer(data_reply=data_reply) as smtp:
        settings = AlertSettings(
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            smtp_from="pantau@redaksi.example",
            smtp_to=("desk@redaksi.example",),
            retries=2,
            backoff=0.5,
        )
        engine = make_engine(tmp_path, settings, ["email"])
        report = engine.finish()
    assert report.delivered == [] and len(report.failed) == 1
    status, tried, error = delivery_row(engine, "email")
    assert (status, tried) == ("failed", attempts)
    assert error.startswith(f"SMTP {data_reply[:3]}")
    assert engine.sleeps == sleeps


@pytest.mark.parametrize(
    ("statuses", "headers", "attempts", "sleeps", "delivered"),
    [
        ([500, 502, 200], {}, 3, [0.5, 1.0], True),
        ([500], {}, 3, [0.5, 1.0], False),
        ([404], {}, 1, [], False),
        ([429, 200], {"Retry-After": "3"}, 2, [3.0], True),
        ([429, 200], {"Retry-After": "600"}, 2, [60.0], True),
    ],
)
def test_webhook_backoff(
    tmp_path: Path,
    statuses: list[int],
    headers: dict,
    attempts: int,
    sleeps: list[float],
    delivered: bool,
) -> None:
    with Receiver(statuses=statuses) as hook:
        hook.headers = headers
        settings = AlertSettings(webhook_url=hook.url, retries=2, backoff=0.5)
        engine = make_engine(tmp_path, settings, ["webhook"])
        engine.finish()
        assert len(hook.requests) == attempts
    status, tried, _ = delivery_row(engine, "webhook")
    assert (status, tried) == ("delivered" if delivered else "failed", attempts)
    assert engine.sleeps == sleeps


def test_errors_never_show_the_bot_token(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with Receiver(statuses=[404]) as api:  # answers with a body that echoes the path
        settings = AlertSettings(
            telegram_token=TOKEN, telegram_chat_id="1", telegram_api=api.url, retries=0
        )
        engine = make_engine(tmp_path, settings, ["telegram"])
        with caplog.at_level(logging.WARNING, logger="pantau.alerts"):
            engine.finish()
    _, _, error = delivery_row(engine, "telegram")
    assert "HTTP 404" in error and "/bot***/sendMessage" in error
    assert TOKEN not in error and TOKEN not in caplog.text


def test_a_failed_channel_is_not_retried_for_every_rule_in_one_run(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "pantau.db")
    rules = [
        rule_from_mapping(
            {"id": f"r{n}", "name": f"R{n}", "query": "pemilu", "notify": ["webhook"]}
        )
        for n in range(3)
    ]
    settings = AlertSettings(webhook_url=closed_port_url(), retries=1, backoff=0)
    engine = AlertEngine(store, rules, settings, sleep=lambda _: None)
    engine.process_item({"id": "d", "title": "Pemilu damai", "url": "https://kabar.example/d"})
    report = engine.finish()
    assert [(rule, n) for rule, _, n, _ in report.failed] == [("r0", 1), ("r1", 1), ("r2", 1)]
    attempts = [row[0] for row in store.conn.execute("SELECT attempts FROM alert_deliveries")]
    assert sorted(attempts) == [0, 0, 2]
    assert "failed earlier in this run" in report.failed[2][3]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PANTAU_ALERT_RETRIES": "many"}, "PANTAU_ALERT_RETRIES must be a number"),
        ({"PANTAU_ALERT_BACKOFF": "-1"}, "PANTAU_ALERT_BACKOFF must not be negative"),
        ({"PANTAU_SMTP_STARTTLS": "perhaps"}, "PANTAU_SMTP_STARTTLS must be true or false"),
    ],
)
def test_bad_settings_are_named(monkeypatch: pytest.MonkeyPatch, env: dict, message: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        alert_settings()


def test_settings_come_from_scrapy_settings_before_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PANTAU_WEBHOOK_URL", "http://env.example/hook")
    monkeypatch.setenv("PANTAU_SMTP_TO", "a@x.example, b@x.example")
    monkeypatch.setenv("PANTAU_SMTP_STARTTLS", "yes")
    settings = alert_settings({"PANTAU_WEBHOOK_URL": "http://set.example/hook", "X": 1})
    assert settings.webhook_url == "http://set.example/hook"
    assert settings.smtp_to == ("a@x.example", "b@x.example") and settings.smtp_starttls
    assert settings.missing("email") == "PANTAU_SMTP_HOST, PANTAU_SMTP_FROM"
    assert settings.missing("webhook") is None and settings.missing("log") is None
