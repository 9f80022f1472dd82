"""Where alerts go and how hard to try: read from Scrapy settings, else the environment.

Secrets (bot token, SMTP password) live only in the environment or settings, never in rule
files, so rule files can be shared and committed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

DEFAULT_TELEGRAM_API = "https://api.telegram.org"


@dataclass(frozen=True)
class AlertSettings:
    webhook_url: str | None = None
    telegram_token: str | None = None
    telegram_chat_id: str | None = None
    telegram_api: str = DEFAULT_TELEGRAM_API
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_to: tuple[str, ...] = ()
    smtp_starttls: bool = False
    retries: int = 2  # extra attempts within one run, after the first
    backoff: float = 2.0  # seconds before the first retry, doubled each time
    timeout: float = 10.0  # per HTTP request / SMTP session

    def missing(self, channel: str) -> str | None:
        """What must be set before ``channel`` can deliver, or None when it is configured."""
        needs = {
            "webhook": {"PANTAU_WEBHOOK_URL": self.webhook_url},
            "telegram": {
                "PANTAU_TELEGRAM_BOT_TOKEN": self.telegram_token,
                "PANTAU_TELEGRAM_CHAT_ID": self.telegram_chat_id,
            },
            "email": {
                "PANTAU_SMTP_HOST": self.smtp_host,
                "PANTAU_SMTP_FROM": self.smtp_from,
                "PANTAU_SMTP_TO": ",".join(self.smtp_to),
            },
        }.get(channel, {})
        unset = [name for name, value in needs.items() if not value]
        return ", ".join(unset) if unset else None

    def secrets(self) -> list[str]:
        """Values that must never appear in an error message or log line."""
        return [s for s in (self.telegram_token, self.smtp_password) if s]


def alert_settings(settings: Any | None = None) -> AlertSettings:
    """The alert configuration from Scrapy ``settings`` (when given) falling back to os.environ."""

    def get(name: str) -> str | None:
        value = settings.get(name) if settings is not None else None
        if value is None or value == "":
            value = os.environ.get(name)
        return None if value is None or str(value).strip() == "" else str(value).strip()

    def number(name: str, default: float, kind: type) -> Any:
        raw = get(name)
        if raw is None:
            return default
        try:
            value = kind(raw)
        except ValueError:
            raise ValueError(f"{name} must be a number, not {raw!r}") from None
        if value < 0:
            raise ValueError(f"{name} must not be negative, not {raw!r}")
        return value

    starttls = (get("PANTAU_SMTP_STARTTLS") or "").lower()
    if starttls not in ("", "0", "1", "true", "false", "yes", "no", "on", "off"):
        raise ValueError(f"PANTAU_SMTP_STARTTLS must be true or false, not {starttls!r}")
    return AlertSettings(
        webhook_url=get("PANTAU_WEBHOOK_URL"),
        telegram_token=get("PANTAU_TELEGRAM_BOT_TOKEN"),
        telegram_chat_id=get("PANTAU_TELEGRAM_CHAT_ID"),
        telegram_api=(get("PANTAU_TELEGRAM_API") or DEFAULT_TELEGRAM_API).rstrip("/"),
        smtp_host=get("PANTAU_SMTP_HOST"),
        smtp_port=number("PANTAU_SMTP_PORT", 25, int),
        smtp_user=get("PANTAU_SMTP_USER"),
        smtp_password=get("PANTAU_SMTP_PASSWORD"),
        smtp_from=get("PANTAU_SMTP_FROM"),
        smtp_to=tuple(a.strip() for a in (get("PANTAU_SMTP_TO") or "").split(",") if a.strip()),
        smtp_starttls=starttls in ("1", "true", "yes", "on"),
        retries=number("PANTAU_ALERT_RETRIES", 2, int),
        backoff=number("PANTAU_ALERT_BACKOFF", 2.0, float),
        timeout=number("PANTAU_ALERT_TIMEOUT", 10.0, float),
    )
