"""Signals of pantau's own crawl components (Scrapy's are in scrapy.signals)."""

# A discovery route (sitemap, feed, listing, API page, channel page) could not be read.
# Arguments: source (id), kind, url, reason (one line). Health records listen to it.
route_failed = object()
