"""One instance per crawler of each shared crawl component.

Scrapy builds extensions and middlewares itself, once each; pipelines and spiders reach the
same objects through the crawler with ``shared(crawler, Class, build)``, so the source registry
and the crawl state exist once per crawl whoever asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_ATTRIBUTE = "_pantau_components"


def shared(crawler: Any, cls: type[T], build: Callable[[], T]) -> T:
    """The crawler's instance of ``cls``, built by ``build()`` the first time it is asked for."""
    registry: dict[type, Any] = crawler.__dict__.setdefault(_ATTRIBUTE, {})
    if cls not in registry:
        registry[cls] = build()
    return registry[cls]


def count(crawler: Any, source: str | None, counter: str, value: int = 1) -> None:
    """Add to a per-source counter (``pantau/<source>/<counter>``): what summaries and health
    records read."""
    crawler.stats.inc_value(f"pantau/{source or '-'}/{counter}", value)
