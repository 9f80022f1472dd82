"""Downloader middleware: retries that honour the server's Retry-After."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import reactor
from twisted.internet.task import deferLater

logger = logging.getLogger(__name__)


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, but a 429/503 with Retry-After waits as long as the server asked.

    The wait holds this request's download slot, so the whole domain backs off, which is the
    point of the header. Waits longer than PANTAU_RETRY_AFTER_MAX give up on the URL for this
    run instead of stalling the crawl.
    """

    def __init__(self, settings) -> None:  # noqa: ANN001 - Scrapy's settings object
        super().__init__(settings)
        self.max_wait = settings.getfloat("PANTAU_RETRY_AFTER_MAX", 120)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is not None and response.status in (429, 503):
            if wait > self.max_wait:
                logger.warning(
                    "%s asks to retry after %.0f s (over PANTAU_RETRY_AFTER_MAX=%.0f); "
                    "skipping it this run",
                    request.url,
                    wait,
                    self.max_wait,
                )
                self.crawler.stats.inc_value("pantau/retry_after_too_long")
                return response
            if wait > 0:
                self.crawler.stats.inc_value("pantau/retry_after_waits")
                await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return self._retry(request, response_status_message(response.status)) or response
