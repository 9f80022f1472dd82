"""Kibana saved objects, generated from data, and their import.

``saved_objects(names, topics)`` builds everything the analysts open in Kibana:

- a data view over the read alias (time field ``@timestamp``);
- one saved search per topic of ``pantau/lexicons/topics.yaml`` (``topics:"<id>"``);
- the "Narasi" dashboard: volume over time per topic, top outlets, top regions, top keywords,
  the keywords and words and phrases that stand out in the last 24 hours against the last 30 days
  (``significant_terms``/``significant_text`` with a 30-day background), the largest story
  clusters, and the latest articles.

The panels are Vega-Lite visualizations: each is a plain Elasticsearch request (readable, and
stable across Kibana 8 minors, unlike Lens state) that still follows the dashboard's time picker,
query bar and filters (``%context%``); the two "24 h vs 30 days" panels fix their own time window
and take only the dashboard's query and filters.

The output for the default prefix is committed as ``index_config/kibana/pantau.ndjson``;
``python -m pantau.es.kibana`` rewrites it and a test fails when it is out of date. Saved searches
for the alert rules (``index_config/queries/``) are generated at import time, since those files
change more often than the dashboard.
"""

from __future__ import annotations

import json
import ssl
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pantau.es.config import KibanaConfig
from pantau.es.index_config import config_dir
from pantau.es.names import IndexNames
from pantau.es.query import rewrite_fields
from pantau.es.search import cluster_spread
from pantau.trends.es import EXCLUDE as TRENDS_EXCLUDE
from pantau.trends.es import TEXT_FIELD as TRENDS_TEXT_FIELD

TOPICS_FILE = Path(__file__).resolve().parents[1] / "lexicons" / "topics.yaml"
# Used only when the lexicon is missing, so the dashboard can still be generated.
FALLBACK_TOPICS = {
    "pemilu": "Pemilu",
    "hoaks": "Hoaks",
    "ujaran-kebencian": "Ujaran kebencian",
    "politik-uang": "Politik uang",
    "kampanye-hitam": "Kampanye hitam",
    "konflik": "Konflik",
    "netralitas": "Netralitas",
    "pemblokiran": "Pemblokiran",
}
SEARCH_COLUMNS = ["title", "source", "topics", "regions", "cluster_id"]
VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"


def committed_path() -> Path:
    return config_dir() / "kibana" / "pantau.ndjson"


def load_topics(path: str | Path | None = None) -> dict[str, str]:
    """Topic id -> label from the topics lexicon (ids are stable; labels may change)."""
    import yaml

    target = Path(path) if path else TOPICS_FILE
    if not target.is_file():
        return dict(FALLBACK_TOPICS)
    data = yaml.safe_load(target.read_text(encoding="utf-8")) or {}
    topics = data.get("topics")
    if not isinstance(topics, Mapping) or not topics:
        raise ValueError(f"{target}: expected a 'topics' mapping of topic id to definition")
    return {
        str(topic_id): str((spec or {}).get("label") or topic_id)
        for topic_id, spec in topics.items()
    }


# -- building blocks ------------------------------------------------------------------------------
def _search_source(query: str = "", *, with_index: bool = False) -> str:
    source: dict[str, Any] = {"query": {"query": query, "language": "lucene"}, "filter": []}
    if with_index:
        source["indexRefName"] = "kibanaSavedObjectMeta.searchSourceJSON.index"
    return json.dumps(source, ensure_ascii=False, sort_keys=True)


def data_view(names: IndexNames) -> dict[str, Any]:
    return {
        "type": "index-pattern",
        "id": f"{names.kibana_id_prefix}-articles",
        "attributes": {
            "title": names.articles,
            "name": f"{names.prefix}: artikel dan unggahan",
            "timeFieldName": "@timestamp",
            # Article addresses render as links in Discover and in saved-search panels.
            "fieldFormatMap": json.dumps(
                {name: {"id": "url"} for name in ("url", "canonical_url")}, sort_keys=True
            ),
        },
        "references": [],
    }


def saved_search(
    names: IndexNames, object_id: str, title: str, query: str, description: str = ""
) -> dict[str, Any]:
    return {
        "type": "search",
        "id": object_id,
        "attributes": {
            "title": title,
            "description": description,
            "columns": list(SEARCH_COLUMNS),
            "sort": [["@timestamp", "desc"]],
            "kibanaSavedObjectMeta": {"searchSourceJSON": _search_source(query, with_index=True)},
        },
        "references": [
            {
                "id": data_view(names)["id"],
                "name": "kibanaSavedObjectMeta.searchSourceJSON.index",
                "type": "index-pattern",
            }
        ],
    }


def topic_searches(names: IndexNames, topics: Mapping[str, str]) -> list[dict[str, Any]]:
    return [
        saved_search(
            names,
            f"{names.kibana_id_prefix}-topic-{topic_id}",
            f"Topik: {label}",
            f'topics:"{topic_id}"',
            f"Artikel dan unggahan yang ditandai topik {topic_id}, terbaru dulu.",
        )
        for topic_id, label in topics.items()
    ]


def kibana_query(text: str) -> str:
    """A rule's query for Kibana's Lucene bar, which AND-s nothing by itself: bare terms get
    an explicit AND so the saved search finds what the alert finds."""
    from luqum.exceptions import ParseError
    from luqum.parser import parser
    from luqum.tree import AndOperation
    from luqum.utils import UnknownOperationResolver

    text = rewrite_fields(text)
    try:
        tree = parser.parse(text)
    except (ParseError, TypeError, ValueError):
        return text
    return str(UnknownOperationResolver(resolve_to=AndOperation)(tree))


def rule_searches(names: IndexNames, rules: Iterable[Any]) -> list[dict[str, Any]]:
    """A saved search per alert rule: its query, with its filters written into the query."""
    fields = {"language": "language", "sources": "source", "topics": "topics"}
    objects = []
    for rule in rules:
        parts = [f"({kibana_query(rule.query)})"]
        for key, field in fields.items():
            values = (getattr(rule, "filters", None) or {}).get(key) or []
            if isinstance(values, str):
                values = [values]
            if values:
                parts.append(f"{field}:(" + " OR ".join(f'"{v}"' for v in values) + ")")
        objects.append(
            saved_search(
                names,
                f"{names.kibana_id_prefix}-rule-{rule.id}",
                f"Kueri: {getattr(rule, 'name', None) or rule.id}",
                " AND ".join(parts),
                f"Kueri tersimpan {rule.id} (index_config/queries), dengan filternya.",
            )
        )
    return objects


def _vega(names: IndexNames, object_id: str, title: str, spec: dict[str, Any], note: str) -> dict:
    vis_state = {
        "title": title,
        "type": "vega",
        "aggs": [],
        "params": {"spec": json.dumps(spec, ensure_ascii=False, indent=2)},
    }
    return {
        "type": "visualization",
        "id": f"{names.kibana_id_prefix}-{object_id}",
        "attributes": {
            "title": title,
            "description": note,
            "visState": json.dumps(vis_state, ensure_ascii=False, sort_keys=True),
            "uiStateJSON": "{}",
            "version": 1,
            "kibanaSavedObjectMeta": {"searchSourceJSON": _search_source()},
        },
        "references": [],
    }


def _context_request(names: IndexNames, aggs: dict[str, Any]) -> dict[str, Any]:
    """A request that follows the dashboard's time range, query and filters."""
    return {
        "index": names.articles,
        "%context%": True,
        "%timefield%": "@timestamp",
        "body": {"size": 0, "aggs": aggs},
    }


def _last_day_request(names: IndexNames, aggs: dict[str, Any]) -> dict[str, Any]:
    """The last 24 hours, fixed, with the dashboard's query and filters."""
    return {
        "index": names.articles,
        "body": {
            "size": 0,
            "query": {
                "bool": {
                    "must": ["%dashboard_context-must_clause%"],
                    "must_not": ["%dashboard_context-must_not_clause%"],
                    "filter": [
                        "%dashboard_context-filter_clause%",
                        {"range": {"@timestamp": {"gte": "now-24h"}}},
                    ],
                }
            },
            "aggs": aggs,
        },
    }


def _bars(request: dict, buckets: str, label: str, value: str, x_title: str, extra=None) -> dict:
    spec = {
        "$schema": VEGA_LITE,
        "data": {"url": request, "format": {"property": buckets}},
        "transform": extra or [],
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": label, "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": value, "type": "quantitative", "title": x_title},
        },
    }
    return spec


def _top_terms(names: IndexNames, field: str, size: int) -> dict[str, Any]:
    request = _context_request(names, {"top": {"terms": {"field": field, "size": size}}})
    return _bars(request, "aggregations.top.buckets", "key", "doc_count", "artikel")


def _significant(names: IndexNames, agg: dict[str, Any], path: str, x_title: str) -> dict:
    spec = _bars(
        _last_day_request(names, agg),
        path,
        "key",
        "score",
        x_title,
        extra=[
            {"calculate": "datum.doc_count", "as": "24 jam"},
            {"calculate": "datum.bg_count", "as": "30 hari"},
        ],
    )
    spec["encoding"]["tooltip"] = [
        {"field": "key", "type": "nominal", "title": "kata"},
        {"field": "24 jam", "type": "quantitative"},
        {"field": "30 hari", "type": "quantitative"},
    ]
    return spec


def visualizations(names: IndexNames) -> list[dict[str, Any]]:
    month = {"range": {"@timestamp": {"gte": "now-30d"}}}
    volume = {
        "$schema": VEGA_LITE,
        "data": {
            "url": _context_request(
                names,
                {
                    "topics": {
                        "terms": {"field": "topics", "size": 12},
                        "aggs": {
                            "time": {
                                "date_histogram": {
                                    "field": "@timestamp",
                                    "fixed_interval": {"%autointerval%": True},
                                    "min_doc_count": 0,
                                    "extended_bounds": {
                                        "min": {"%timefilter%": "min"},
                                        "max": {"%timefilter%": "max"},
                                    },
                                }
                            }
                        },
                    }
                },
            ),
            "format": {"property": "aggregations.topics.buckets"},
        },
        "transform": [
            {"flatten": ["time.buckets"], "as": ["bucket"]},
            {"calculate": "datum.key", "as": "topik"},
            {"calculate": "datum.bucket.key", "as": "waktu"},
            {"calculate": "datum.bucket.doc_count", "as": "artikel"},
        ],
        "mark": {"type": "line", "tooltip": True},
        "encoding": {
            "x": {"field": "waktu", "type": "temporal", "title": None},
            "y": {"field": "artikel", "type": "quantitative", "title": "artikel"},
            "color": {"field": "topik", "type": "nominal", "title": "topik"},
        },
    }
    rising_keywords = _significant(
        names,
        {
            "rising": {
                "significant_terms": {
                    "field": "keywords",
                    "size": 20,
                    "min_doc_count": 3,
                    "background_filter": month,
                }
            }
        },
        "aggregations.rising.buckets",
        "skor (24 jam vs 30 hari)",
    )
    rising_words = _significant(
        names,
        {
            "sample": {
                "sampler": {"shard_size": 500},
                "aggs": {
                    "words": {
                        "significant_text": {
                            "field": TRENDS_TEXT_FIELD,
                            "source_fields": ["body"],
                            "filter_duplicate_text": True,
                            "exclude": TRENDS_EXCLUDE,
                            "size": 20,
                            "min_doc_count": 3,
                            "background_filter": month,
                        }
                    }
                },
            }
        },
        "aggregations.sample.words.buckets",
        "skor (24 jam vs 30 hari)",
    )
    clusters = _bars(
        _context_request(
            names,
            {"clusters": cluster_spread(10, ["title", "source"])},
        ),
        "aggregations.clusters.buckets",
        "cerita",
        "media",
        "jumlah media",
        extra=[
            {"calculate": "datum.first.hits.hits[0]._source.title || datum.key", "as": "cerita"},
            {"calculate": "datum.outlets.value", "as": "media"},
            {"calculate": "datum.doc_count", "as": "salinan"},
            {"calculate": "datum.first.hits.hits[0]._source.source", "as": "pertama di"},
        ],
    )
    clusters["encoding"]["tooltip"] = [
        {"field": "cerita", "type": "nominal"},
        {"field": "media", "type": "quantitative"},
        {"field": "salinan", "type": "quantitative"},
        {"field": "pertama di", "type": "nominal"},
    ]
    return [
        _vega(
            names,
            "vis-volume-topik",
            "Volume per topik",
            volume,
            "Jumlah artikel per topik dari waktu ke waktu (mengikuti rentang waktu dasbor).",
        ),
        _vega(
            names,
            "vis-media-teratas",
            "Media teratas",
            _top_terms(names, "source", 15),
            "Sumber dengan artikel terbanyak.",
        ),
        _vega(
            names,
            "vis-wilayah-teratas",
            "Wilayah teratas",
            _top_terms(names, "regions", 15),
            "Wilayah yang paling sering disebut.",
        ),
        _vega(
            names,
            "vis-kata-kunci",
            "Kata kunci teratas",
            _top_terms(names, "keywords", 25),
            "Kata kunci leksikon yang paling sering muncul.",
        ),
        _vega(
            names,
            "vis-kata-kunci-naik",
            "Kata kunci naik: 24 jam vs 30 hari",
            rising_keywords,
            "significant_terms atas keywords: 24 jam terakhir dibanding latar 30 hari. "
            "Rentang waktu tetap; kueri dan filter dasbor tetap berlaku.",
        ),
        _vega(
            names,
            "vis-kata-signifikan",
            "Kata dan frasa menonjol dalam teks: 24 jam vs 30 hari",
            rising_words,
            "significant_text atas body.phrases (kata dan frasa 2-3 kata tanpa stemming, tanpa "
            "kata umum), salinan ganda disaring. "
            "Rentang waktu tetap; kueri dan filter dasbor tetap berlaku.",
        ),
        _vega(
            names,
            "vis-klaster-terbesar",
            "Klaster cerita terbesar",
            clusters,
            "Cerita yang dimuat paling banyak media (cluster_id), dengan judul salinan pertama.",
        ),
    ]


# Dashboard layout on Kibana's 48-column grid: (object id suffix, x, y, w, h).
LAYOUT = (
    ("vis-volume-topik", 0, 0, 48, 14),
    ("vis-media-teratas", 0, 14, 16, 15),
    ("vis-wilayah-teratas", 16, 14, 16, 15),
    ("vis-kata-kunci", 32, 14, 16, 15),
    ("vis-kata-kunci-naik", 0, 29, 24, 15),
    ("vis-kata-signifikan", 24, 29, 24, 15),
    ("vis-klaster-terbesar", 0, 44, 48, 14),
    ("search-terbaru", 0, 58, 48, 18),
)


def dashboard(names: IndexNames) -> dict[str, Any]:
    panels, references = [], []
    for number, (suffix, x, y, w, h) in enumerate(LAYOUT, 1):
        ref = f"panel_{number}"
        kind = "search" if suffix.startswith("search-") else "visualization"
        panels.append(
            {
                "version": "8.0.0",
                "type": kind,
                "gridData": {"x": x, "y": y, "w": w, "h": h, "i": str(number)},
                "panelIndex": str(number),
                "embeddableConfig": {"enhancements": {}},
                "panelRefName": ref,
            }
        )
        references.append({"name": ref, "type": kind, "id": f"{names.kibana_id_prefix}-{suffix}"})
    return {
        "type": "dashboard",
        "id": f"{names.kibana_id_prefix}-narasi",
        "attributes": {
            "title": "Narasi",
            "description": "Narasi pemilu: apa yang dibicarakan, di mana, oleh siapa, dan apa "
            "yang sedang naik.",
            "panelsJSON": json.dumps(panels, sort_keys=True),
            "optionsJSON": json.dumps({"hidePanelTitles": False, "useMargins": True}),
            "timeRestore": True,
            "timeFrom": "now-30d",
            "timeTo": "now",
            "refreshInterval": {"pause": True, "value": 0},
            "version": 1,
            "kibanaSavedObjectMeta": {"searchSourceJSON": _search_source()},
        },
        "references": references,
    }


def saved_objects(
    names: IndexNames | None = None, topics: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Every saved object, referenced objects before those that refer to them."""
    names = names or IndexNames()
    topics = load_topics() if topics is None else topics
    latest = saved_search(
        names,
        f"{names.kibana_id_prefix}-search-terbaru",
        "Artikel terbaru",
        "",
        "Semua artikel dan unggahan, terbaru dulu.",
    )
    return [
        data_view(names),
        *topic_searches(names, topics),
        latest,
        *visualizations(names),
        dashboard(names),
    ]


def to_ndjson(objects: Sequence[Mapping[str, Any]]) -> str:
    return "".join(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n" for obj in objects)


def read_ndjson(path: str | Path) -> list[dict[str, Any]]:
    objects = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or not {"type", "id", "attributes"} <= obj.keys():
            raise ValueError(f"{path}:{number}: a saved object needs type, id and attributes")
        objects.append(obj)
    return objects


# -- import ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ObjectResult:
    type: str
    id: str
    title: str
    ok: bool
    error: str = ""

    def line(self) -> str:
        status = "ok" if self.ok else "error"
        text = f"{status:<6}{self.type} {self.id} ({self.title})"
        return f"{text}: {self.error}" if self.error else text


class KibanaError(RuntimeError):
    pass


def ssl_context(config: KibanaConfig) -> ssl.SSLContext | None:
    if not config.url.startswith("https://"):
        return None
    context = ssl.create_default_context(cafile=config.ca_certs)
    if not config.verify_certs:
        import logging

        logging.getLogger(__name__).warning(
            "TLS certificate verification is OFF for %s (KIBANA_VERIFY_CERTS=false)",
            config.display_url,
        )
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def auth_header(config: KibanaConfig) -> dict[str, str]:
    if config.api_key:
        return {"Authorization": f"ApiKey {config.api_key}"}
    if config.username:
        import base64

        token = base64.b64encode(f"{config.username}:{config.password or ''}".encode()).decode()
        return {"Authorization": f"Basic {token}"}
    return {}


def _describe(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "error")
    if kind == "missing_references":
        refs = ", ".join(f"{r.get('type')}/{r.get('id')}" for r in error.get("references", []))
        return f"missing references: {refs}"
    if error.get("message"):
        return f"{kind}: {error['message']}"
    return str(kind)


def import_saved_objects(
    config: KibanaConfig, objects: Sequence[Mapping[str, Any]], *, overwrite: bool = True
) -> list[ObjectResult]:
    """POST the objects to Kibana's saved objects import API; one result per object, in order."""
    boundary = f"pantau-{uuid.uuid4().hex}"
    payload = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="pantau.ndjson"\r\n'
            "Content-Type: application/ndjson\r\n\r\n"
        ).encode()
        + to_ndjson(objects).encode("utf-8")
        + f"\r\n--{boundary}--\r\n".encode()
    )
    space = f"/s/{config.space}" if config.space else ""
    query = "?overwrite=true" if overwrite else ""
    url = f"{config.url}{space}/api/saved_objects/_import{query}"
    request = urllib.request.Request(
        url,
        data=payload,
        method="POST",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "kbn-xsrf": "pantau",
            **auth_header(config),
        },
    )
    try:
        with urllib.request.urlopen(
            request, timeout=config.request_timeout, context=ssl_context(config)
        ) as response:
            body = json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", errors="replace")[:500]
        hint = " (check KIBANA_USERNAME/PASSWORD or KIBANA_API_KEY)" if exc.code == 401 else ""
        raise KibanaError(
            config.scrub(f"Kibana at {config.display_url} answered {exc.code}{hint}: {detail}")
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise KibanaError(
            config.scrub(f"cannot reach Kibana at {config.display_url}: {reason}")
        ) from None
    except json.JSONDecodeError:
        raise KibanaError(f"Kibana at {config.display_url} did not answer with JSON") from None
    ok = {(r.get("type"), r.get("id")) for r in body.get("successResults", [])}
    errors = {(e.get("type"), e.get("id")): e for e in body.get("errors", [])}
    results = []
    for obj in objects:
        key = (obj["type"], obj["id"])
        title = str(obj.get("attributes", {}).get("title", ""))
        if key in errors:
            results.append(
                ObjectResult(*key, title, False, _describe(errors[key].get("error", {})))
            )
        elif key in ok or (body.get("success") and not errors and not body.get("successResults")):
            results.append(ObjectResult(*key, title, True))
        else:
            results.append(ObjectResult(*key, title, False, "not in Kibana's answer"))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the committed NDJSON from the current data (topics lexicon, layout)."""
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else committed_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(to_ndjson(saved_objects()), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
