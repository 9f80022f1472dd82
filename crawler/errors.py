"""What a spider raises when a page cannot give what was asked of it.

The crawl-state middleware catches these, logs one line naming the source and URL, counts the
page, and remembers the URL so it is fetched again only when its modification mark moves.
"""

from __future__ import annotations


class UnusablePage(Exception):
    """A fetched page that yields no item; ``counter`` and ``status`` say why."""

    counter = "extraction_failed"
    status = "failed"

    def __init__(self, message: str, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class NotHtml(UnusablePage):
    counter = "not_html"
    status = "not_html"


class BrokenRoute(Exception):
    """A discovery page (sitemap, feed, listing, API page) that could not be read."""
