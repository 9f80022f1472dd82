"""The generic `news` spider: every outlet described by a source file, discovered and fetched
politely, extracted into one item per article.

Discovery pages (sitemaps, feeds, listings, WordPress API pages) are fetched on every run; which
article pages are fetched is decided by the crawl-state components (``crawler.incremental``), so
this spider only turns pages into requests and items.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from scrapy.http import Request, Response

from crawler.discovery import (
    Candidate,
    listing_links,
    next_listing_page,
    parse_feed,
    parse_sitemap,
    wordpress_post_fields,
)
from crawler.errors import NotHtml
from crawler.extract import ExtractionError, extract_article, join_pages
from crawler.extract.factcheck import factcheck_fields
from crawler.items import ArticleItem
from crawler.sources import Source
from crawler.spiders.base import PantauSpider
from pantau.urls import content_hash, doc_id, normalize_url

logger = logging.getLogger(__name__)

_HTML_TYPES = (b"text/html", b"application/xhtml+xml")
WP_CURSOR = "wp_modified_after"


class NewsSpider(PantauSpider):
    name = "news"
    platforms = ("generic", "wordpress")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.max_article_pages = settings.getint("PANTAU_MAX_ARTICLE_PAGES", 10)
        spider.sitemap_depth = settings.getint("PANTAU_SITEMAP_DEPTH", 3)
        spider.wp_per_page = settings.getint("PANTAU_WP_PER_PAGE", 100)
        spider.wp_max_pages = settings.getint("PANTAU_WP_MAX_PAGES", 50)
        return spider

    # -- discovery -------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        for source in self.sources:
            for request in self._discovery_requests(source):
                yield request

    def _discovery_requests(self, source: Source, api_failed: bool = False) -> Iterable[Request]:
        meta = {"source": source.id}
        if source.wordpress_api and not api_failed:
            yield self._wp_request(source, 1)
            if source.platform == "wordpress":
                return  # feed and sitemap are the fallback when the API is not there
        for url in source.sitemaps:
            yield self._route(url, self.parse_sitemap, {**meta, "kind": "sitemap", "depth": 0})
        for url in source.feeds:
            yield self._route(url, self.parse_feed, {**meta, "kind": "feed"})
        for url in source.listings:
            yield self._route(url, self.parse_listing, {**meta, "kind": "listing", "page": 1})

    def _route(self, url: str, callback: Any, meta: dict[str, Any]) -> Request:
        return Request(url, callback, errback=self.fetch_failed, meta=meta)

    def _wp_request(self, source: Source, page: int) -> Request:
        params = {
            "per_page": self.wp_per_page,
            "page": page,
            "_embed": 1,
            "orderby": "modified",
            "order": "desc",
        }
        since = self.state.cursor(source.id, WP_CURSOR)
        if since:
            params["modified_after"] = since
        return Request(
            f"{source.wordpress_api}?{urlencode(params)}",
            self.parse_wp_api,
            errback=self.wp_api_failed,
            meta={
                "source": source.id,
                "kind": "wpapi",
                "page": page,
                "cursor": WP_CURSOR,
                "incremental": "items",
                "handle_httpstatus_list": [400],
            },
        )

    def wp_api_failed(self, failure: Any) -> Iterable[Request]:
        """The failure is recorded by the crawl-state middleware; an API that is not there at
        all leaves the feed and the sitemap to find the posts."""
        request = failure.request
        if request.meta.get("page") == 1:
            source = self.sources_by_id[request.meta["source"]]
            logger.warning("%s: WordPress API unusable; using the feed and sitemap", source.id)
            yield from self._discovery_requests(source, api_failed=True)

    def parse_sitemap(self, response: Response) -> Iterable[Request]:
        source = self.source_of(response)
        found = parse_sitemap(response.body, response.url)  # DiscoveryError: a broken route
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
                meta = {"source": source.id, "kind": "sitemap", "depth": depth + 1}
                requests.append(self._route(child.url, self.parse_sitemap, meta))
        requests.extend(self._articles(source, found.articles, listed=True))
        return requests

    def parse_feed(self, response: Response) -> Iterable[Request]:
        source = self.source_of(response)
        return list(self._articles(source, parse_feed(response.body, response.url), listed=True))

    def parse_listing(self, response: Response) -> Iterable[Request]:
        source = self.source_of(response)
        self._require_html(response)
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
                meta = {"source": source.id, "kind": "listing", "page": page + 1}
                requests.append(self._route(nxt, self.parse_listing, meta))
        return requests

    def parse_wp_api(self, response: Response) -> Iterable[Any]:
        source = self.source_of(response)
        page = response.meta["page"]
        if response.status == 400:  # WordPress answers 400 past the last page
            self.state.cursor_complete(source.id, WP_CURSOR)
            return []
        try:
            posts = json.loads(response.text)
            if not isinstance(posts, list):
                raise ValueError(f"expected a list of posts, got {type(posts).__name__}")
        except ValueError as exc:
            logger.warning(
                "%s: WordPress API %s is not a post list: %s", source.id, response.url, exc
            )
            self.state.route_failed(
                source.id, "wpapi", response.url, str(exc), cursor=WP_CURSOR, logged=True
            )
            return list(self._discovery_requests(source, api_failed=True)) if page == 1 else []
        results: list[Any] = []
        for post in posts:
            results.extend(self._wp_post(source, post))
        total = int(response.headers.get(b"X-WP-TotalPages", b"1") or 1)
        if page < min(total, self.wp_max_pages):
            results.append(self._wp_request(source, page + 1))
        elif page >= total:
            self.state.cursor_complete(source.id, WP_CURSOR)
        return results

    def _wp_post(self, source: Source, post: Any) -> Iterable[ArticleItem]:
        if not isinstance(post, dict):
            return []
        fields = wordpress_post_fields(post, source.timezone)
        url = fields["url"]
        if not url or not source.allows(url):
            return []
        if fields["modified_at"] or fields["published_at"]:
            modified_gmt = post.get("modified_gmt")
            if isinstance(modified_gmt, str) and modified_gmt:
                self.state.advance_cursor(source.id, WP_CURSOR, f"{modified_gmt}+00:00")
        try:
            page = f"<html><body><article>{fields['body_html']}</article></body></html>"
            body = extract_article(page, url, {"body": "article"})["body"]
        except ExtractionError as exc:
            # one bad post among many: the API lists it again once it is edited
            logger.warning("%s: post %s has no usable content: %s", source.id, url, exc)
            self.count(source.id, "extraction_failed")
            return []
        extracted = {k: v for k, v in fields.items() if k != "body_html"}
        extracted.update(body=body, canonical_url=url)
        extracted.update(factcheck_fields(page, extracted, source.kind))
        return [self._item(source, url, extracted)]

    # -- articles --------------------------------------------------------------------------------
    def _articles(
        self, source: Source, candidates: Iterable[Candidate], *, listed: bool
    ) -> Iterable[Request]:
        for cand in candidates:
            if not source.allows(cand.url):
                self.count(source.id, "offsite_links")
                continue
            if listed and not source.is_article_url(cand.url):
                continue
            yield Request(
                cand.url,
                self.parse_article,
                errback=self.fetch_failed,
                meta={
                    "source": source.id,
                    "kind": "article",
                    "key": normalize_url(cand.url),
                    "lastmod": cand.lastmod,
                },
            )

    def parse_article(self, response: Response) -> Iterable[Any]:
        source = self.source_of(response)
        self._require_html(response)
        try:
            extracted = extract_article(
                response.text, response.url, source.selectors, default_tz=source.timezone
            )
            extracted.update(factcheck_fields(response.text, extracted, source.kind))
        except ExtractionError as exc:
            if not response.meta.get("pages"):
                raise  # nothing read: the crawl-state middleware logs and remembers it
            # a broken later page: keep the pages that were read rather than lose the article
            logger.warning(
                "%s: page %s of a split article unreadable: %s", source.id, response.url, exc
            )
            seen = response.meta["seen_pages"]
            return [self._item(source, seen[0], join_pages(response.meta["pages"]))]
        pages = [*response.meta.get("pages", []), extracted]
        for warning in extracted.get("warnings") or []:
            logger.warning("%s: %s: %s", source.id, response.url, warning)
        seen = [*response.meta.get("seen_pages", []), response.url]
        nxt = extracted.get("next_page")
        if nxt and source.allows(nxt) and nxt not in seen and len(seen) < self.max_article_pages:
            meta = {k: response.meta.get(k) for k in ("source", "kind", "key", "lastmod")}
            meta.update(pages=pages, seen_pages=seen)
            return [Request(nxt, self.parse_article, errback=self.fetch_failed, meta=meta)]
        return [self._item(source, seen[0], join_pages(pages))]

    def _item(self, source: Source, url: str, fields: dict) -> ArticleItem:
        canonical = fields.get("canonical_url")
        if not canonical or not source.allows(canonical):
            canonical = url  # a canonical on another site is syndication, not our identity
        canonical = normalize_url(canonical)
        return ArticleItem(
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
            claim=fields.get("claim"),
            verdict=fields.get("verdict"),
            verdict_label=fields.get("verdict_label"),
        )

    @staticmethod
    def _require_html(response: Response) -> None:
        ctype = (response.headers.get(b"Content-Type") or b"text/html").lower()
        if not any(t in ctype for t in _HTML_TYPES):
            raise NotHtml(f"is {ctype.decode('latin-1')}, not HTML; skipped", response.url)
