"""An item as Elasticsearch stores it: the document, its id and its external version.

The document is the item itself (every field of pantau/schema.py ITEM_FIELDS, plus anything else
the item carries, kept in ``_source`` though not indexed), with:

- ``@timestamp``: published_at, or crawled_at when the publication time is unknown, for Kibana;
- ``title_en``/``body_en``: copies of title and body when language == "en", so English items
  get English stemming while the Indonesian analyser stays on the main fields;
- dates written with an offset (a date without one is read as WIB, like the query language).

The version is the item's modification time in epoch milliseconds (modified_at, else
published_at, else crawled_at), sent with version_type=external: Elasticsearch keeps whichever copy
is newest, whatever order copies arrive in, and answers 409 to an older or identical one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from pantau.query import FIELD_ALIASES
from pantau.schema import DATE_FIELDS, ITEM_FIELDS

# Fields the mapping has beyond the item schema, and why (tests/test_index_config.py checks the
# mapping against ITEM_FIELDS plus exactly these).
MAPPING_EXTRAS: dict[str, str] = {
    "@timestamp": "Kibana's time field: published_at, or crawled_at when that is unknown",
    "title_en": "title of an English item, analysed in English",
    "body_en": "body of an English item, analysed in English",
}
# Field aliases: the short names of the query language, so a query typed into Kibana means what
# it means in `pantau search`.
MAPPING_ALIASES: dict[str, str] = dict(FIELD_ALIASES)

WIB = timezone(timedelta(hours=7))


class DocumentError(ValueError):
    """The item cannot become a document; the message says which field is wrong."""


def parse_date(value: Any, field: str) -> datetime:
    """An aware datetime from an ISO 8601 string (or datetime); naive times are read as WIB."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise DocumentError(f"{field} is not an ISO 8601 date: {value!r}") from None
    else:
        raise DocumentError(f"{field} is not an ISO 8601 date: {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=WIB)


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"cannot store a {type(value).__name__}")


def to_document(item: Mapping[str, Any]) -> dict[str, Any]:
    """The Elasticsearch document for ``item`` (see the module docstring)."""
    if not item.get("id"):
        raise DocumentError(f"item has no id (url {item.get('url')!r})")
    doc: dict[str, Any] = {}
    for key, value in item.items():
        if value is None or key in MAPPING_EXTRAS:
            continue
        if key in DATE_FIELDS:
            value = parse_date(value, key).isoformat()
        doc[key] = value
    stamp = doc.get("published_at") or doc.get("crawled_at")
    if not stamp:
        raise DocumentError(f"item {item['id']} has neither published_at nor crawled_at")
    doc["@timestamp"] = stamp
    if doc.get("language") == "en":
        if doc.get("title"):
            doc["title_en"] = doc["title"]
        if doc.get("body"):
            doc["body_en"] = doc["body"]
    try:
        # Proves the document can be spooled and sent; values such as sets become lists.
        return json.loads(json.dumps(doc, ensure_ascii=False, default=_json_safe))
    except (TypeError, ValueError) as exc:
        raise DocumentError(f"item {item['id']}: {exc}") from None


def external_version(item: Mapping[str, Any]) -> int:
    """Epoch milliseconds of modified_at, else published_at, else crawled_at."""
    for field in ("modified_at", "published_at", "crawled_at"):
        value = item.get(field)
        if value:
            millis = int(parse_date(value, field).timestamp() * 1000)
            if millis < 0:
                raise DocumentError(f"{field} {value!r} is before 1970: not usable as a version")
            return millis
    raise DocumentError(f"item {item.get('id')} has no modified_at, published_at or crawled_at")


def to_record(item: Mapping[str, Any]) -> dict[str, Any]:
    """What the spool keeps and the bulk request sends: id, version and document."""
    doc = to_document(item)
    return {"id": doc["id"], "version": external_version(doc), "doc": doc}


def known_fields() -> frozenset[str]:
    """Every field name a document may have in the mapping."""
    return frozenset(ITEM_FIELDS) | frozenset(MAPPING_EXTRAS)
