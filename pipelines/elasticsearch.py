"""Index stage: every item to Elasticsearch through the durable spool (pantau.es.indexer).

On when ELASTICSEARCH_URL is set (Scrapy setting or environment), off otherwise (NotConfigured).
An item is written to the spool on disk before ``process_item`` returns, so a crawl killed at any
point loses nothing; a sender thread then ships sealed batches of PANTAU_ES_BATCH_SIZE (default
500) with the bulk helper, off the reactor thread. The first thing it sends is whatever an
earlier crawl left in the spool. At the end of the crawl the last batch is sealed and sent; if the
cluster is down, the documents stay in the spool for the next crawl or `pantau es replay`, and the
crawl still finishes normally. Counts land in the crawler stats under ``elasticsearch/``.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from pantau.es.config import EsConfig, es_config_from, es_configured, make_client
from pantau.es.indexer import BackgroundSender, Indexer

logger = logging.getLogger(__name__)


class ElasticsearchPipeline:
    def __init__(self, crawler: Any, config: EsConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.indexer: Indexer | None = None
        self.sender: BackgroundSender | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ElasticsearchPipeline:
        if not es_configured(crawler.settings):
            raise NotConfigured("ELASTICSEARCH_URL is not set")
        # A wrong setting (bad URL, half the credentials) stops the crawl with its message
        # rather than quietly crawling without the index.
        return cls(crawler, es_config_from(crawler.settings))

    def open_spider(self) -> None:
        self.indexer = Indexer(make_client(self.config), self.config)
        waiting = self.indexer.spool.pending_count()
        if waiting:
            logger.info(
                "Elasticsearch: %d document(s) from earlier runs wait in %s; sending them first",
                waiting,
                self.config.spool_dir,
            )
        self.sender = BackgroundSender(self.indexer)
        self.sender.start()
        self.sender.notify()

    def process_item(self, item: Any) -> Any:
        assert self.indexer is not None and self.sender is not None
        self.indexer.add(ItemAdapter(item).asdict())
        if self.indexer.batch_full():
            self.indexer.seal()
            self.sender.notify()
        return item

    async def close_spider(self) -> None:
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet import threads

        # Waiting for the cluster happens on a thread; the reactor keeps serving meanwhile.
        await maybe_deferred_to_future(threads.deferToThread(self.finish))

    def finish(self) -> None:
        """Seal the last batch, send for at most PANTAU_ES_CLOSE_TIMEOUT, report (blocking)."""
        if self.sender is None or self.indexer is None:
            return
        self.sender.finish(self.config.close_timeout)
        self._report()

    def _report(self) -> None:
        assert self.indexer is not None
        counts = self.indexer.counters.snapshot()
        left = self.indexer.spool.pending_count()
        stats = self.crawler.stats
        for name, value in counts.items():
            stats.set_value(f"elasticsearch/{name}", value)
        stats.set_value("elasticsearch/left_in_spool", left)
        logger.info(
            "Elasticsearch: sent %d, accepted %d, retried %d, rejected %d, conflicts %d "
            "(older or identical copies), left in spool %d",
            counts["sent"],
            counts["accepted"],
            counts["retried"],
            counts["rejected"],
            counts["conflicts"],
            left,
        )
        if left:
            logger.warning(
                "Elasticsearch: %d document(s) wait in %s (%s); the next crawl or "
                "`pantau es replay` sends them",
                left,
                self.config.spool_dir,
                self.indexer.last_problem or "not sent in time",
            )
        if counts["rejected"]:
            logger.warning(
                "Elasticsearch: %d document(s) rejected, with reasons, in %s",
                counts["rejected"],
                self.config.deadletter_path,
            )
