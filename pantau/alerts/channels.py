"""Digests and the channels that carry them: webhook, Telegram bot, email, the log.

A digest is every undelivered alert of one rule for one channel, sent as one message. Senders
raise ``DeliveryError`` saying whether trying again soon can help (a 5xx, a timeout) or not
(a 4xx, refused credentials); the caller decides on retries and records the outcome.
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from pantau.alerts.config import AlertSettings

logger = logging.getLogger("pantau.alerts")

TELEGRAM_LIMIT = 4096  # characters in one Telegram message
SLACK_TEXT_LIMIT = 3900  # Slack shortens longer "text" fields; the structured part is complete
_USER_AGENT = "pantau-alerts/0.1"


class DeliveryError(Exception):
    """A channel did not accept a digest."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


@dataclass
class Digest:
    rule_id: str
    rule_name: str
    severity: str
    alerts: list[dict[str, Any]]  # match alerts and spike alerts (spikes may carry "samples")

    @property
    def summary(self) -> str:
        matches = sum(1 for a in self.alerts if a["kind"] == "match")
        spikes = len(self.alerts) - matches
        parts = []
        if matches:
            parts.append(f"{matches} new match{'es' if matches != 1 else ''}")
        if spikes:
            parts.append(f"{spikes} spike{'s' if spikes != 1 else ''}")
        return ", ".join(parts) or "no alerts"

    @property
    def headline(self) -> str:
        return f"[{self.severity.upper()}] {self.rule_name} ({self.rule_id}): {self.summary}"


def digest_text(digest: Digest, limit: int | None = None) -> str:
    """A readable plain-text digest; past ``limit`` characters the rest is counted, not listed."""
    blocks = [_alert_block(n, alert) for n, alert in enumerate(digest.alerts, 1)]
    text = digest.headline
    for shown, block in enumerate(blocks):
        more = len(blocks) - shown
        tail = f"\n... and {more} more (pantau alerts list --rule {digest.rule_id})"
        if limit is not None and len(text) + 2 + len(block) + len(tail) > limit:
            return text + tail
        text += "\n\n" + block
    return text


def _alert_block(number: int, alert: dict[str, Any]) -> str:
    if alert["kind"] == "spike":
        lines = [
            f"{number}. Spike: {alert['match_count']} matches between "
            f"{alert['window_start']} and {alert['window_end']}"
        ]
        for sample in alert.get("samples", []):
            lines.append(f"   - {sample.get('title') or '(untitled)'} ({sample.get('source')})")
            if sample.get("url"):
                lines.append(f"     {sample['url']}")
        return "\n".join(lines)
    when = alert.get("published_at") or "publication time unknown"
    lines = [
        f"{number}. {alert.get('title') or '(untitled)'}",
        f"   {alert.get('source')} | {when}",
    ]
    if alert.get("matched_terms"):
        lines.append(f"   matched: {', '.join(alert['matched_terms'])}")
    if alert.get("url"):
        lines.append(f"   {alert['url']}")
    return "\n".join(lines)


def webhook_payload(digest: Digest) -> dict[str, Any]:
    """Slack-compatible (top-level ``text``) and structured for generic receivers."""
    fields = (
        "id",
        "kind",
        "title",
        "url",
        "source",
        "published_at",
        "matched_terms",
        "matched_at",
        "window_start",
        "window_end",
        "match_count",
        "samples",
    )
    return {
        "text": digest_text(digest, SLACK_TEXT_LIMIT),
        "rule_id": digest.rule_id,
        "rule_name": digest.rule_name,
        "severity": digest.severity,
        "count": len(digest.alerts),
        "alerts": [
            {k: alert[k] for k in fields if alert.get(k) is not None} for alert in digest.alerts
        ],
    }


# -- senders -------------------------------------------------------------------------------------
def send_webhook(settings: AlertSettings, digest: Digest) -> None:
    assert settings.webhook_url
    _post_json(settings.webhook_url, webhook_payload(digest), settings.timeout)


def send_telegram(settings: AlertSettings, digest: Digest) -> None:
    url = f"{settings.telegram_api}/bot{settings.telegram_token}/sendMessage"
    payload = {
        "chat_id": settings.telegram_chat_id,
        "text": digest_text(digest, TELEGRAM_LIMIT),
        "disable_web_page_preview": True,
    }
    answer = _post_json(url, payload, settings.timeout)
    try:
        ok = json.loads(answer).get("ok") is True
    except (ValueError, AttributeError):
        ok = False
    if not ok:
        raise DeliveryError(f"Telegram did not confirm: {answer[:200]!r}", retryable=True)


def send_email(settings: AlertSettings, digest: Digest) -> None:
    message = EmailMessage()
    message["Subject"] = f"[pantau] {digest.headline}"
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(settings.smtp_to)
    message["Date"] = formatdate(localtime=True)
    domain = (settings.smtp_from or "").rpartition("@")[2] or "pantau.invalid"
    message["Message-ID"] = make_msgid("pantau", domain=domain)
    # quoted-printable keeps non-ASCII titles intact through servers without 8BITMIME
    message.set_content(digest_text(digest), cte="quoted-printable")
    assert settings.smtp_host
    session = smtplib.SMTP_SSL if settings.smtp_port == 465 else smtplib.SMTP
    try:
        with session(settings.smtp_host, settings.smtp_port, timeout=settings.timeout) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"SMTP login refused: {exc.smtp_code}", retryable=False) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"SMTP refused recipients: {exc.recipients}", retryable=False) from exc
    except smtplib.SMTPResponseException as exc:
        reply = exc.smtp_error.decode("utf-8", "replace") if exc.smtp_error else ""
        # 4xx replies are transient by definition; 5xx will fail again the same way
        raise DeliveryError(
            f"SMTP {exc.smtp_code} {reply}", retryable=400 <= exc.smtp_code < 500
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP failed: {exc}", retryable=True) from exc


def send_log(settings: AlertSettings, digest: Digest) -> None:
    level = logging.WARNING if digest.severity == "high" else logging.INFO
    logger.log(level, "%s", digest_text(digest))


SENDERS: dict[str, Callable[[AlertSettings, Digest], None]] = {
    "webhook": send_webhook,
    "telegram": send_telegram,
    "email": send_email,
    "log": send_log,
}


def _post_json(url: str, payload: dict[str, Any], timeout: float) -> bytes:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": _USER_AGENT},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        try:
            body = exc.read(300).decode("utf-8", "replace")
        finally:
            exc.close()
        retry_after = _seconds(exc.headers.get("Retry-After")) if exc.headers else None
        raise DeliveryError(
            f"HTTP {exc.code} {exc.reason}: {body.strip()}",
            retryable=exc.code >= 500 or exc.code in (408, 429),
            retry_after=retry_after,
        ) from exc
    except urllib.error.URLError as exc:
        raise DeliveryError(f"cannot reach receiver: {exc.reason}", retryable=True) from exc
    except (TimeoutError, OSError) as exc:
        raise DeliveryError(f"receiver did not answer: {exc}", retryable=True) from exc


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None  # an HTTP date; the usual backoff applies
