"""Scrapy settings: the single source of configuration for a crawl.

Every PANTAU_* setting can also be given in the environment (the CLI copies the variables in),
so a scheduled job can be configured without editing files.
"""

BOT_NAME = "pantau"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# -- politeness -------------------------------------------------------------------------------
PANTAU_CONTACT_URL = "https://github.com/pantau-monitor/pantau"
USER_AGENT = f"pantau/0.1 (election-news monitor; +{PANTAU_CONTACT_URL})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Retry-After is honoured up to this many seconds; a longer wait gives up on the URL this run.
PANTAU_RETRY_AFTER_MAX = 120
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# -- bad input --------------------------------------------------------------------------------
# Pages over this size are abandoned (Scrapy cancels the download and logs the URL).
PANTAU_MAX_PAGE_BYTES = 2 * 1024 * 1024
DOWNLOAD_MAXSIZE = PANTAU_MAX_PAGE_BYTES
DOWNLOAD_WARNSIZE = 1024 * 1024
# Discovery is bounded: listing pagination per source is capped by `listing_pages` in the
# source file, sitemap indexes by this depth, split articles by this many pages.
PANTAU_SITEMAP_DEPTH = 3
PANTAU_MAX_ARTICLE_PAGES = 10
PANTAU_WP_PER_PAGE = 100
PANTAU_WP_MAX_PAGES = 50

# -- where things go ---------------------------------------------------------------------------
PANTAU_STORE = None  # default: $PANTAU_STORE or data/pantau.db
PANTAU_SOURCES = None  # default: crawler/sources/ (a YAML file or folder)

# -- crawl components (see "Crawl components" in the README) -------------------------------------
# The crawl state (seen keys, modification marks, cursors) is one extension shared by every
# spider; the two middlewares put it between the spiders and the network.
# Scale-out: with PANTAU_REDIS_URL (e.g. redis://127.0.0.1:6379/0) every process crawling the
# same sources shares one frontier, dupefilter and crawl state (crawler/distributed/).
SCHEDULER = "crawler.distributed.scheduler.PantauScheduler"
PANTAU_REDIS_URL = None
PANTAU_REDIS_PREFIX = "pantau"
PANTAU_REDIS_HEARTBEAT = 2.0  # seconds; a process silent for 5 beats loses what it held
PANTAU_REFRESH = False  # True: fetch every article again, ignoring the crawl state
EXTENSIONS = {
    "crawler.state.CrawlState": 100,
    "crawler.progress.ProgressReporter": 500,
}
SPIDER_MIDDLEWARES = {
    "crawler.distributed.lease.LeaseSpiderMiddleware": 10,  # only with PANTAU_REDIS_URL
    "crawler.incremental.IncrementalMiddleware": 60,
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.distributed.lease.LeaseDownloaderMiddleware": 30,  # only with PANTAU_REDIS_URL
    "crawler.incremental.FetchOutcomeMiddleware": 40,  # outermost: sees every final answer
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
}

# One class per job, in the order of the design: clean, language, keywords, stories, alerts,
# store, and Elasticsearch when ELASTICSEARCH_URL is set (otherwise it disables itself).
ITEM_PIPELINES = {
    "pipelines.clean.CleanPipeline": 100,
    "pipelines.language.LanguagePipeline": 200,
    "pipelines.tagging.TaggingPipeline": 300,
    "pipelines.dedup.DedupClusterPipeline": 400,
    "pipelines.alerts.AlertsPipeline": 500,
    "pipelines.store.StorePipeline": 600,
    "pipelines.elasticsearch.ElasticsearchPipeline": 700,
}

FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"

PANTAU_PROGRESS = False  # `pantau crawl` turns it on
PANTAU_PROGRESS_INTERVAL = 2.0


# -- the environment ---------------------------------------------------------------------------
# PANTAU_*, ELASTICSEARCH_* and KIBANA_* variables override the values above, for `scrapy crawl`
# as for `pantau crawl` (which also applies -s NAME=VALUE on top).
def _from_environment() -> None:
    import os

    for name, value in os.environ.items():
        if name.startswith(("PANTAU_", "ELASTICSEARCH_", "KIBANA_")):
            globals()[name] = value


_from_environment()
