"""Search over the read alias with the analysts' query syntax (see ``pantau.es.query``).

:class:`EsSearchBackend` answers like the embedded store's ``search``: item-shaped hits, best
first, each with ``score`` and a ``cluster`` summary (how many outlets carry the story, how many
copies, who had it first), plus a ``snippet`` from the body where the words were found.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pantau.es.documents import MAPPING_EXTRAS
from pantau.es.errors import api_reason
from pantau.es.names import IndexNames
from pantau.es.query import query_string
from pantau.query import QueryError, parse_when


def _bound(value: str, upper: bool) -> str:
    moment = parse_when(value)
    if moment is None:
        raise QueryError(f"cannot read date {value!r}")
    if upper and len(value.strip()) == 10:  # a bare day includes the whole day
        moment += timedelta(days=1) - timedelta(microseconds=1)
    return moment.isoformat()


def build_search(
    query: str,
    *,
    source: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
) -> dict[str, Any]:
    """The search request body for the arguments of :meth:`EsSearchBackend.search`."""
    text = (query or "").strip()
    filters: list[dict[str, Any]] = []
    if source:
        filters.append({"term": {"source": source}})
    if since or until:
        bounds = {}
        if since:
            bounds["gte"] = _bound(since, upper=False)
        if until:
            bounds["lte"] = _bound(until, upper=True)
        filters.append({"range": {"@timestamp": bounds}})
    scored = bool(text) and text != "*"
    body: dict[str, Any] = {
        "query": {"bool": {"must": [query_string(text) if scored else {"match_all": {}}]}},
        "size": limit,
        "sort": ["_score", {"@timestamp": "desc"}] if scored else [{"@timestamp": "desc"}],
        "_source": {"excludes": sorted(MAPPING_EXTRAS)},
    }
    if filters:
        body["query"]["bool"]["filter"] = filters
    if scored:
        body["highlight"] = {
            "fields": {
                field: {"number_of_fragments": 1, "fragment_size": 180, "no_match_size": 0}
                for field in ("body", "body_en")
            },
            "pre_tags": ["["],
            "post_tags": ["]"],
        }
    return body


def cluster_spread(size: int, first_fields: list[str]) -> dict[str, Any]:
    """Aggregation per story cluster: outlets carrying it and its earliest copy.

    Ordered by outlets, so the widest-spread stories come first (the dashboard's largest
    clusters panel uses the same aggregation).
    """
    return {
        "terms": {"field": "cluster_id", "size": size, "order": {"outlets": "desc"}},
        "aggs": {
            "outlets": {"cardinality": {"field": "source"}},
            "first": {
                "top_hits": {"size": 1, "sort": [{"@timestamp": "asc"}], "_source": first_fields}
            },
        },
    }


class EsSearchBackend:
    """Search through ``client`` over the read alias of ``names``."""

    def __init__(self, client: Any, names: IndexNames | None = None) -> None:
        self.client = client
        self.names = names or IndexNames()

    @classmethod
    def from_env(cls) -> EsSearchBackend:
        """A backend for ELASTICSEARCH_URL and friends in the environment."""
        import os

        from pantau.es.config import es_config_from

        return cls.from_config(es_config_from(os.environ))

    @classmethod
    def from_config(cls, config: Any) -> EsSearchBackend:
        from pantau.es.config import make_client

        return cls(make_client(config), config.names)

    def search(
        self,
        query: str,
        *,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
    ) -> list[dict[str, Any]]:
        """Hits for a Lucene-syntax query, best first (newest first for an empty query)."""
        from elasticsearch import BadRequestError

        body = build_search(query, source=source, since=since, until=until, limit=limit)
        try:
            found = self.client.search(index=self.names.articles, body=body).body
        except BadRequestError as exc:
            raise QueryError(
                f"Elasticsearch could not run the query {query!r}: {api_reason(exc)}"
            ) from None
        hits = []
        for hit in found.get("hits", {}).get("hits", []):
            doc = dict(hit.get("_source", {}))
            doc.setdefault("id", hit.get("_id"))
            doc["score"] = round(float(hit.get("_score") or 0.0), 4)
            fragments = [f for f in hit.get("highlight", {}).values() for f in f]
            doc["snippet"] = fragments[0] if fragments else None
            for field in ("url", "title", "source", "published_at", "cluster_id"):
                doc.setdefault(field, None)
            hits.append(doc)
        summaries = self.cluster_summaries({h["cluster_id"] for h in hits if h["cluster_id"]})
        for hit in hits:
            hit["cluster"] = summaries.get(hit["cluster_id"]) if hit["cluster_id"] else None
        return hits

    def cluster_summaries(self, cluster_ids: set[str]) -> dict[str, dict[str, Any]]:
        """For each cluster: outlets carrying it, size, and the first copy seen."""
        if not cluster_ids:
            return {}
        found = self.client.search(
            index=self.names.articles,
            body={
                "size": 0,
                "query": {"terms": {"cluster_id": sorted(cluster_ids)}},
                "aggs": {
                    "clusters": cluster_spread(len(cluster_ids), ["source", "url", "@timestamp"])
                },
            },
        ).body
        summaries = {}
        for bucket in found.get("aggregations", {}).get("clusters", {}).get("buckets", []):
            first_hits = bucket.get("first", {}).get("hits", {}).get("hits", [])
            first = first_hits[0].get("_source", {}) if first_hits else {}
            summaries[bucket["key"]] = {
                "outlets": bucket.get("outlets", {}).get("value", 0),
                "size": bucket.get("doc_count", 0),
                "first_source": first.get("source"),
                "first_url": first.get("url"),
                "first_seen": first.get("@timestamp"),
            }
        return summaries
