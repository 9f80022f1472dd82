"""What a fixture site answers: a status, headers and bytes, independent of the HTTP server."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from .model import esc


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=UTF-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    # When set, the server sends Last-Modified and answers If-Modified-Since with 304.
    last_modified: datetime | None = None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def html_page(markup: str, status: int = 200, last_modified: datetime | None = None) -> Response:
    return Response(status, markup.encode("utf-8"), last_modified=last_modified)


def xml_document(markup: str, last_modified: datetime | None = None) -> Response:
    return Response(
        200,
        markup.encode("utf-8"),
        "application/xml; charset=UTF-8",
        last_modified=last_modified,
    )


def rss_document(markup: str, last_modified: datetime | None = None) -> Response:
    return Response(
        200,
        markup.encode("utf-8"),
        "application/rss+xml; charset=UTF-8",
        last_modified=last_modified,
    )


def plain(text: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"), "text/plain; charset=UTF-8")


def wp_json(
    data: object, status: int = 200, headers: list[tuple[str, str]] | None = None
) -> Response:
    """JSON the way WordPress encodes it: ASCII only, slashes escaped (wp_json_encode)."""
    body = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")
    return Response(status, body.encode("ascii"), "application/json; charset=UTF-8", headers or [])


def redirect(location: str, status: int = 301) -> Response:
    body = f'<html><body>Moved: <a href="{esc(location)}">{esc(location)}</a></body></html>'
    return Response(status, body.encode("utf-8"), headers=[("Location", location)])


def unavailable(retry_after: str | None) -> Response:
    headers = [("Retry-After", retry_after)] if retry_after else []
    body = b"<html><body><h1>503 Service Unavailable</h1></body></html>"
    return Response(503, body, headers=headers)
