"""The generic `news` spider: every outlet described by a source file, discovered and fetched
politely, extracted into one item per article.

Discovery pages (sitemaps, feeds, listings, WordPress API pages) are fetched on every run;
article pages only when they are new to the crawl state or their modification mark moved, so a
scheduled re-crawl of an unchanged site costs a handful of requests.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.discovery import (
    Candidate,
    DiscoveryError,
    listing_links,
    next_listing_page,
    parse_feed,
    parse_sitemap,
    wordpress_post_fields,
)
from crawler.extract import ExtractionError, extract_article, join_pages
from crawler.items import ArticleItem
from crawler.sources import Source, SourceError, load_sources, select_sources
from pantau.store import store_for_crawler
from pantau.store.sqlite import iso_to_epoch
from pantau.urls import content_hash, doc_id, normalize_url

logger = logging.getLogger(__name__)

_HTML_TYPES = (b"text/html", b"application/xhtml+xml")


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, sources: str | None = None, refresh: str | bool = False, **kwargs: Any):
        super().__init__(**kwargs)
        self.sources_arg = sources
        self.refresh = str(refresh).lower() in ("1", "true", "yes")
        self.sources_by_id: dict[str, Source] = {}
        self._state: dict[str, dict] = {}
        self._scheduled: set[str] = set()
        # item id -> (source id, state keys, modification mark), consumed by the store pipeline
        self._pending: dict[str, tuple[str, tuple[str, ...], str | None]] = {}
        self._wp_newest: dict[str, str] = {}
        self._wp_complete: dict[str, bool] = {}
        self._skipped: dict[str, set[str]] = {}
        # article keys scheduled this run -> (source id, mark); removed once any outcome is known
        self._unsettled: dict[str, tuple[str, str | None]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        try:
            known = load_sources(settings.get("PANTAU_SOURCES") or None)
            chosen = select_sources(known, spider.sources_arg)
        except SourceError as exc:
            raise SourceError(f"cannot start the crawl: {exc}") from exc
        spider.sources_by_id = {s.id: s for s in chosen}
        hosts = {urlsplit(s.url).hostname or "" for s in chosen}
        spider.allowed_domains = sorted(
            {d.split(":")[0] for s in chosen for d in s.allowed_domains} | hosts
        )
        spider.store = store_for_crawler(crawler)
        spider.max_article_pages = settings.getint("PANTAU_MAX_ARTICLE_PAGES", 10)
        spider.sitemap_depth = settings.getint("PANTAU_SITEMAP_DEPTH", 3)
        spider.wp_per_page = settings.getint("PANTAU_WP_PER_PAGE", 100)
        spider.wp_max_pages = settings.getint("PANTAU_WP_MAX_PAGES", 50)
        crawler.signals.connect(spider._item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(spider._item_error, signal=signals.item_error)
        return spider

    # -- helpers used by pipelines ---------------------------------------------------------------
    def source_language(self, source_id: str) -> str | None:
        source = self.sources_by_id.get(source_id)
        return source.language if source else None

    def record_stored(self, item: Any, result: str) -> None:
        """Called by the store pipeline once the item is durable: remember it in crawl state."""
        self._record(item.get("id"), "stored", item)
        self._stat(item.get("source"), result)

    def _record(self, item_id: str | None, status: str, item: Any = None) -> None:
        pending = self._pending.pop(item_id, None) if item_id else None
        if pending is None:
            return
        source_id, keys, mark = pending
        for key in keys:
            self._unsettled.pop(key, None)
        if item is not None:
            mark = _newest(mark, item.get("modified_at"), item.get("published_at"))
        for key in keys:
            self.store.mark_fetched(source_id, key, lastmod=mark, doc_id=item_id, status=status)

    def _item_dropped(self, item: Any, response: Any, exception: Exception, spider: Any) -> None:
        self._record(item.get("id"), "dropped", item)
        self._stat(item.get("source"), "dropped")

    def _item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        logger.error("item %s failed in a pipeline: %s", item.get("url"), failure.value)
        pending = self._pending.pop(item.get("id"), None)
        for key in pending[1] if pending else ():
            self._unsettled.pop(key, None)  # not stored: fetched again next run
        self._stat(item.get("source"), "pipeline_errors")

    def _stat(self, source_id: str | None, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"pantau/{source_id or '-'}/{key}", count)

    # -- discovery -------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        for source in self.sources_by_id.values():
            self._state[source.id] = self.store.crawl_state(source.id)
            for request in self._discovery_requests(source):
                yield request

    def _discovery_requests(self, source: Source, api_failed: bool = False) -> Iterable[Request]:
        meta = {"source": source.id}
        if source.wordpress_api and not api_failed:
            yield self._wp_request(source, 1)
            if source.platform == "wordpress":
                return  # feed and sitemap are the fallback when the API is not there
        for url in source.sitemaps:
            yield Request(
                url,
                self.parse_sitemap,
                errback=self.discovery_failed,
                meta={**meta, "kind": "sitemap", "depth": 0},
            )
        for url in source.feeds:
            yield Request(
                url, self.parse_feed, errback=self.discovery_failed, meta={**meta, "kind": "feed"}
            )
        for url in source.listings:
            yield Request(
                url,
                self.parse_listing,
                errback=self.discovery_failed,
                meta={**meta, "kind": "listing", "page": 1},
            )

    def _wp_request(self, source: Source, page: int) -> Request:
        params = {
            "per_page": self.wp_per_page,
            "page": page,
            "_embed": 1,
            "orderby": "modified",
            "order": "desc",
        }
        since = None if self.refresh else self.store.get_mark(source.id, "wp_modified_after")
        if since:
            params["modified_after"] = since
        return Request(
            f"{source.wordpress_api}?{urlencode(params)}",
            self.parse_wp_api,
            errback=self.discovery_failed,
            meta={
                "source": source.id,
                "kind": "wpapi",
                "page": page,
                "handle_httpstatus_list": [400],
            },
        )

    def discovery_failed(self, failure: Any) -> Iterable[Request]:
        request = failure.request
        source = self.sources_by_id[request.meta["source"]]
        kind = request.meta.get("kind")
        reason = failure.value
        if isinstance(reason, HttpError):
            reason = f"HTTP {reason.response.status}"
        logger.warning("%s: %s %s failed: %s", source.id, kind, request.url, reason)
        self._stat(source.id, "discovery_errors")
        if kind == "wpapi":
            self._wp_complete[source.id] = False
            if request.meta.get("page") == 1:
                logger.warning("%s: WordPress API unusable; using the feed and sitemap", source.id)
                yield from self._discovery_requests(source, api_failed=True)

    def parse_sitemap(self, response: Response) -> Iterable[Request]:
        source = self._source_of(response)
        try:
            found = parse_sitemap(response.body, response.url)
        except DiscoveryError as exc:
            return self._broken(source, response, exc)
        depth = response.meta.get("depth", 0)
        requests = []
        for child in found.sitemaps:
            if depth >= self.sitemap_depth:
                logger.warning(
                    "%s: sitemap index deeper than %d at %s; not followed",
                    source.id,
                    self.sitemap_depth,
                    child.url,
                )
                break
            if source.allows(child.url) and not (
                source.exclude_urls is not None and source.exclude_urls.search(child.url)
            ):
                requests.append(
                    Request(
                        child.url,
                        self.parse_sitemap,
                        errback=self.discovery_failed,
                        meta={"source": source.id, "kind": "sitemap", "depth": depth + 1},
                    )
                )
        requests.extend(self._articles(source, found.articles, listed=True))
        return requests

    def parse_feed(self, response: Response) -> Iterable[Request]:
        source = self._source_of(response)
        try:
            found = parse_feed(response.body, response.url)
        except DiscoveryError as exc:
            return self._broken(source, response, exc)
        return list(self._articles(source, found, listed=True))

    def parse_listing(self, response: Response) -> Iterable[Request]:
        source = self._source_of(response)
        if not self._is_html(response, source):
            return []
        anchors = [
            (a.attrib.get("href", ""), " ".join(a.css("::text").getall()), a.attrib.get("rel"))
            for a in response.css("a[href]")
        ]
        links = listing_links(iter(anchors), response.url)
        requests = list(
            self._articles(
                source, [Candidate(u) for u in links if source.is_article_url(u)], listed=False
            )
        )
        page = response.meta.get("page", 1)
        if page < source.listing_pages:
            nxt = next_listing_page(anchors, response.url, page)
            if nxt and source.allows(nxt) and not source.is_article_url(nxt):
                requests.append(
                    Request(
                        nxt,
                        self.parse_listing,
                        errback=self.discovery_failed,
                        meta={"source": source.id, "kind": "listing", "page": page + 1},
                    )
                )
        return requests

    def parse_wp_api(self, response: Response) -> Iterable[Any]:
        source = self._source_of(response)
        page = response.meta["page"]
        if response.status == 400:  # WordPress answers 400 past the last page
            return []
        try:
            posts = json.loads(response.text)
            if not isinstance(posts, list):
                raise ValueError(f"expected a list of posts, got {type(posts).__name__}")
        except ValueError as exc:
            logger.warning(
                "%s: WordPress API %s is not a post list: %s", source.id, response.url, exc
            )
            self._stat(source.id, "discovery_errors")
            self._wp_complete[source.id] = False
            return list(self._discovery_requests(source, api_failed=True)) if page == 1 else []
        results: list[Any] = []
        for post in posts:
            results.extend(self._wp_post(source, post))
        total = int(response.headers.get(b"X-WP-TotalPages", b"1") or 1)
        if page < min(total, self.wp_max_pages):
            results.append(self._wp_request(source, page + 1))
        elif page == 1 or page >= total:
            self._wp_complete.setdefault(source.id, True)
        return results

    def _wp_post(self, source: Source, post: dict) -> Iterable[ArticleItem]:
        if not isinstance(post, dict):
            return []
        fields = wordpress_post_fields(post, source.timezone)
        url = fields["url"]
        if not url or not source.allows(url):
            return []
        modified = fields["modified_at"] or fields["published_at"]
        if modified:
            newest = post.get("modified_gmt") or ""
            if newest > self._wp_newest.get(source.id, ""):
                self._wp_newest[source.id] = newest
        key = normalize_url(url)
        if key in self._scheduled or not self._needs_fetch(source, key, modified):
            return []
        self._scheduled.add(key)
        self._stat(source.id, "articles_seen")
        try:
            page = f"<html><body><article>{fields['body_html']}</article></body></html>"
            body = extract_article(page, url, {"body": "article"})["body"]
        except ExtractionError as exc:
            logger.warning("%s: post %s has no usable content: %s", source.id, url, exc)
            self._stat(source.id, "extraction_failed")
            self.store.mark_fetched(source.id, key, lastmod=modified, doc_id=None, status="failed")
            return []
        extracted = {k: v for k, v in fields.items() if k != "body_html"}
        extracted.update(body=body, canonical_url=url)
        return [self._item(source, url, extracted, (key,), modified)]

    # -- articles --------------------------------------------------------------------------------
    def _articles(
        self, source: Source, candidates: Iterable[Candidate], *, listed: bool
    ) -> Iterable[Request]:
        for cand in candidates:
            if not source.allows(cand.url):
                self._stat(source.id, "offsite_links")
                continue
            if listed and not source.is_article_url(cand.url):
                continue
            key = normalize_url(cand.url)
            if key in self._scheduled:
                continue
            if not self._needs_fetch(source, key, cand.lastmod):
                # counted at the end, once, unless another route's newer mark fetches it
                self._skipped.setdefault(source.id, set()).add(key)
                continue
            self._scheduled.add(key)
            self._unsettled[key] = (source.id, cand.lastmod)
            self._stat(source.id, "articles_seen")
            yield Request(
                cand.url,
                self.parse_article,
                errback=self.article_failed,
                meta={"source": source.id, "kind": "article", "key": key, "lastmod": cand.lastmod},
            )

    def _needs_fetch(self, source: Source, key: str, lastmod: str | None) -> bool:
        """New URLs, and known ones whose modification mark moved past what was stored."""
        if self.refresh:
            return True
        row = self._state.get(source.id, {}).get(key)
        if row is None:
            return True
        if lastmod is None or row["lastmod"] is None:
            return False
        new, old = iso_to_epoch(lastmod), iso_to_epoch(row["lastmod"])
        return new is not None and old is not None and new > old + 1

    def parse_article(self, response: Response) -> Iterable[Any]:
        source = self._source_of(response)
        key = response.meta["key"]
        if not self._is_html(response, source):
            self._unsettled.pop(key, None)
            self.store.mark_fetched(
                source.id, key, lastmod=response.meta.get("lastmod"), doc_id=None, status="not_html"
            )
            return []
        try:
            extracted = extract_article(
                response.text, response.url, source.selectors, default_tz=source.timezone
            )
        except ExtractionError as exc:
            if not response.meta.get("pages"):
                return self._extraction_failed(source, response, exc)
            # a broken later page: keep the pages that were read rather than lose the article
            logger.warning(
                "%s: page %s of a split article unreadable: %s", source.id, response.url, exc
            )
            seen = response.meta["seen_pages"]
            return [
                self._item(
                    source,
                    seen[0],
                    join_pages(response.meta["pages"]),
                    (key, normalize_url(seen[0])),
                    response.meta.get("lastmod"),
                )
            ]
        pages = [*response.meta.get("pages", []), extracted]
        for warning in extracted.get("warnings") or []:
            logger.warning("%s: %s: %s", source.id, response.url, warning)
        seen = [*response.meta.get("seen_pages", []), response.url]
        nxt = extracted.get("next_page")
        if nxt and source.allows(nxt) and nxt not in seen and len(seen) < self.max_article_pages:
            meta = {k: response.meta.get(k) for k in ("source", "kind", "key", "lastmod")}
            meta.update(pages=pages, seen_pages=seen)
            return [Request(nxt, self.parse_article, errback=self.article_failed, meta=meta)]
        joined = join_pages(pages)
        keys = tuple(dict.fromkeys([key, normalize_url(seen[0])]))
        return [self._item(source, seen[0], joined, keys, response.meta.get("lastmod"))]

    def _extraction_failed(self, source: Source, response: Response, exc: Exception) -> list:
        self._unsettled.pop(response.meta["key"], None)
        logger.warning("%s: extraction failed for %s: %s", source.id, response.url, exc)
        self._stat(source.id, "extraction_failed")
        self.store.mark_fetched(
            source.id,
            response.meta["key"],
            lastmod=response.meta.get("lastmod"),
            doc_id=None,
            status="failed",
        )
        return []

    def article_failed(self, failure: Any) -> None:
        """Log a failed article fetch. Errors that will not fix themselves (4xx, redirect loops,
        refused by a filter) are remembered, so the URL is tried again only when its
        modification mark moves; network errors and 5xx are retried on the next run."""
        request = failure.request
        reason = failure.value
        source_id = request.meta.get("source")
        # a page over the size cap is cancelled; it will not shrink by itself
        lasting = isinstance(reason, IgnoreRequest | DownloadCancelledError) and not isinstance(
            reason, HttpError
        )
        if isinstance(reason, HttpError):
            status = reason.response.status
            lasting = 400 <= status < 500 and status not in (408, 429)
            reason = f"HTTP {status}"
        logger.warning("%s: article %s not fetched: %s", source_id, request.url, reason)
        self._unsettled.pop(request.meta.get("key"), None)
        self._stat(source_id, "fetch_errors")
        if lasting and request.meta.get("key"):
            self.store.mark_fetched(
                source_id,
                request.meta["key"],
                lastmod=request.meta.get("lastmod"),
                doc_id=None,
                status="failed",
            )

    def _item(
        self, source: Source, url: str, fields: dict, keys: tuple[str, ...], mark: str | None
    ) -> ArticleItem:
        canonical = fields.get("canonical_url")
        if not canonical or not source.allows(canonical):
            canonical = url  # a canonical on another site is syndication, not our identity
        canonical = normalize_url(canonical)
        item = ArticleItem(
            id=doc_id(canonical),
            url=url,
            canonical_url=canonical,
            source=source.id,
            source_type=source.source_type,
            title=fields.get("title"),
            body=fields.get("body"),
            authors=list(fields.get("authors") or []),
            published_at=fields.get("published_at"),
            modified_at=fields.get("modified_at"),
            crawled_at=datetime.now(UTC).isoformat(timespec="seconds"),
            section=fields.get("section"),
            tags=list(fields.get("tags") or []),
            image=fields.get("image"),
            content_hash=content_hash(fields.get("title"), fields.get("body")),
        )
        # A redirect or a second route can bring one article under two URLs: remember both.
        earlier = self._pending.get(item["id"])
        if earlier is not None:
            keys = tuple(dict.fromkeys([*earlier[1], *keys]))
            mark = _newest(mark, earlier[2])
        self._pending[item["id"]] = (source.id, keys, mark)
        return item

    # -- small things ------------------------------------------------------------------------------
    def _source_of(self, response: Response) -> Source:
        source = self.sources_by_id[response.meta["source"]]
        self._stat(source.id, "pages")
        return source

    def _is_html(self, response: Response, source: Source) -> bool:
        ctype = (response.headers.get(b"Content-Type") or b"text/html").lower()
        if any(t in ctype for t in _HTML_TYPES):
            return True
        logger.warning(
            "%s: %s is %s, not HTML; skipped", source.id, response.url, ctype.decode("latin-1")
        )
        self._stat(source.id, "not_html")
        return False

    def _broken(self, source: Source, response: Response, exc: Exception) -> list:
        logger.warning(
            "%s: %s (%s); the other discovery routes go on", source.id, exc, response.url
        )
        self._stat(source.id, "discovery_errors")
        if response.meta.get("kind") == "wpapi":
            self._wp_complete[source.id] = False
        return []

    def closed(self, reason: str) -> None:
        for source_id, keys in self._skipped.items():
            self._stat(source_id, "skipped_unchanged", len(keys - self._scheduled))
        if reason != "finished":
            return
        # In a finished crawl, a request that ended with no response and no error was swallowed
        # (a redirect loop back to a URL already seen): remember it so it is not retried forever.
        for key, (source_id, mark) in self._unsettled.items():
            logger.warning(
                "%s: %s led nowhere (redirect loop?); not retried until it changes", source_id, key
            )
            self._stat(source_id, "fetch_errors")
            self.store.mark_fetched(source_id, key, lastmod=mark, doc_id=None, status="lost")
        # The WordPress modified_after mark only moves when every API page was read, so an
        # interrupted run re-lists from the old mark and misses nothing.
        for source_id, newest in self._wp_newest.items():
            if self._wp_complete.get(source_id):
                self.store.set_mark(source_id, "wp_modified_after", f"{newest}+00:00")


def _newest(*values: str | None) -> str | None:
    dated = [(iso_to_epoch(v), v) for v in values if v]
    dated = [(t, v) for t, v in dated if t is not None]
    return max(dated)[1] if dated else None
