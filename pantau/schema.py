"""The one item schema shared by news articles and social posts.

Every stage (spider, pipelines, stores, Elasticsearch mappings) reads this table, so a field
added here is a field everywhere; the mapping test in tests/ fails when they drift apart.
"""

from __future__ import annotations

# name -> kind. Kinds: keyword (exact string), text (analysed string), date (ISO 8601 with
# offset), float, int, keyword_list, object (free-form mapping), url.
ITEM_FIELDS: dict[str, str] = {
    "id": "keyword",  # sha1 of the normalized canonical URL: the store and Elasticsearch id
    "url": "url",
    "canonical_url": "url",
    "source": "keyword",  # id from the source file
    "source_type": "keyword",  # news, telegram, feed, mastodon, ...
    "title": "text",
    "body": "text",
    "authors": "keyword_list",
    "published_at": "date",
    "modified_at": "date",
    "crawled_at": "date",
    "section": "keyword",
    "tags": "keyword_list",
    "image": "url",
    "content_hash": "keyword",
    "language": "keyword",
    "language_score": "float",
    "keywords": "keyword_list",
    "topics": "keyword_list",
    "entities": "object",  # {"institutions": [...], "parties": [...], "people": [...]}
    "regions": "keyword_list",
    "cluster_id": "keyword",
    "duplicate_of": "keyword",
    # Fact-checkers' items (sources of kind: factcheck): the claim checked, the verdict as one of
    # crawler.extract.factcheck.VERDICTS, and the label as the outlet printed it.
    "claim": "text",
    "verdict": "keyword",
    "verdict_label": "keyword",
}

LIST_FIELDS = frozenset(name for name, kind in ITEM_FIELDS.items() if kind == "keyword_list")
DATE_FIELDS = frozenset(name for name, kind in ITEM_FIELDS.items() if kind == "date")
