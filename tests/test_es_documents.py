"""Items as Elasticsearch documents: timestamp, English copies, dates, versions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from es_fake import make_item

from pantau.es.documents import DocumentError, external_version, to_document, to_record


@pytest.mark.parametrize(
    "changes, timestamp",
    [
        ({}, "2024-01-02T10:00:00+07:00"),
        ({"published_at": None}, "2024-01-02T11:00:00+07:00"),  # crawled_at stands in
        ({"published_at": "2024-01-02T10:00:00Z"}, "2024-01-02T10:00:00+00:00"),
        ({"published_at": "2024-01-02T10:00:00"}, "2024-01-02T10:00:00+07:00"),  # read as WIB
    ],
)
def test_timestamp(changes: dict[str, Any], timestamp: str) -> None:
    assert to_document(make_item(1, **changes))["@timestamp"] == timestamp


@pytest.mark.parametrize(
    "language, english",
    [
        ("en", {"title_en": "Debat capres ke-1 memanas", "body_en": True}),
        ("id", {}),
        (None, {}),
    ],
)
def test_english_items_get_english_fields(language: str | None, english: dict[str, Any]) -> None:
    doc = to_document(make_item(1, language=language))
    found = {k: doc[k] for k in ("title_en", "body_en") if k in doc}
    if english:
        assert found["title_en"] == english["title_en"]
        assert found["body_en"] == doc["body"]
    else:
        assert found == {}


def test_empty_values_are_left_out_and_extra_fields_kept() -> None:
    doc = to_document(make_item(1, telegram_views=120, tags={"b", "a"}))
    assert "modified_at" not in doc and "image" not in doc
    assert doc["telegram_views"] == 120  # kept in _source; the mapping does not index it
    assert doc["tags"] == ["a", "b"]


def test_datetime_objects_are_written_as_iso() -> None:
    moment = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert to_document(make_item(1, crawled_at=moment))["crawled_at"] == "2024-01-02T03:04:05+00:00"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"id": None}, "no id"),
        ({"published_at": "kemarin sore"}, "published_at is not an ISO 8601 date"),
        ({"published_at": None, "crawled_at": None}, "neither published_at nor crawled_at"),
        ({"entities": {"people": object()}}, "cannot store"),
    ],
)
def test_unusable_items_say_why(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        to_record(make_item(1, **changes))


@pytest.mark.parametrize(
    "changes, moment",
    [
        ({"modified_at": "2024-03-01T00:00:00+07:00"}, "2024-03-01T00:00:00+07:00"),
        ({}, "2024-01-02T10:00:00+07:00"),  # published_at
        ({"published_at": None}, "2024-01-02T11:00:00+07:00"),  # crawled_at
    ],
)
def test_version_is_the_modification_time_in_ms(changes: dict[str, Any], moment: str) -> None:
    expected = int(datetime.fromisoformat(moment).timestamp() * 1000)
    assert external_version(make_item(1, **changes)) == expected
    assert to_record(make_item(1, **changes))["version"] == expected


def test_a_correction_has_a_higher_version_than_the_original() -> None:
    original = to_record(make_item(1))
    corrected = to_record(make_item(1, modified_at="2024-01-02T12:00:00+07:00"))
    assert corrected["id"] == original["id"] and corrected["version"] > original["version"]
