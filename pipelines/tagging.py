"""Keywords and topics stage: sets keywords, topics, entities and regions on every item.

Runs after the language stage and uses its `language` to pick the side of the topic lexicon.
Setting ``PANTAU_LEXICONS`` (or the environment variable of that name) names a lexicon folder to
use instead of the packaged one; a wrong lexicon stops the crawl at start with a message naming
the file and key.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from pantau.tagging import ENV_VAR, Lexicon, load_lexicon


class TaggingPipeline:
    """Tags each item with :func:`pantau.tagging.tag_text` and a lexicon loaded once."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    @classmethod
    def from_crawler(cls, crawler: Any) -> TaggingPipeline:
        # An empty setting falls through to the environment variable, then the packaged folder.
        return cls(load_lexicon(crawler.settings.get(ENV_VAR) or None))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        adapter.update(
            self.lexicon.tag(adapter.get("title"), adapter.get("body"), adapter.get("language"))
        )
        return item
