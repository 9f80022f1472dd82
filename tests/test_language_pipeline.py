"""The language pipeline stage on a real Scrapy crawler."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import scrapy
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from crawler.registry import SourceRegistry
from crawler.sources import Source
from pipelines.language import LanguagePipeline

DECLARED = {"antara": "id", "bernama": "ms", "panjebar": "jv", "broken": "Bahasa"}


def register_declared(crawler: Any) -> None:
    """What a spider does when it selects its sources: the registry then knows them."""
    SourceRegistry.from_crawler(crawler).register(
        Source(id=sid, name=sid, url=f"https://{sid}.example/", language=lang)
        for sid, lang in DECLARED.items()
    )


def crawler_with_spider(**settings: Any) -> tuple[Any, LanguagePipeline]:
    crawler = get_crawler(scrapy.Spider, settings_dict=settings)
    register_declared(crawler)
    stage = LanguagePipeline.from_crawler(crawler)
    stage.open_spider()
    return crawler, stage


@pytest.mark.parametrize(
    ("source", "title", "body", "expected"),
    [
        (
            "antara",
            "KPU tetapkan jadwal kampanye",
            "Komisi Pemilihan Umum menetapkan jadwal kampanye pemilihan presiden tahun depan.",
            "id",
        ),
        (
            "bernama",
            "Polis siasat kemalangan",
            "Polis sedang menyiasat kejadian kemalangan jalan raya yang berlaku semalam.",
            "ms",
        ),
        ("antara", "Election schedule set", "The commission announced the schedule.", "en"),
        ("panjebar", "Rembug desa", "Wong-wong padha ngumpul ing bale desa kanggo ngrembug.", "jv"),
        ("bernama", "Pemilu", None, "ms"),  # too short: the source's declared language
        ("unknown", None, None, "und"),  # nothing to judge, nothing declared
    ],
)
def test_sets_language_and_score(source: str, title: str, body: str | None, expected: str) -> None:
    _, stage = crawler_with_spider()
    item = ArticleItem(url="https://example.id/a", source=source, title=title, body=body)
    assert stage.process_item(item) is item
    assert item["language"] == expected
    assert 0.0 <= item["language_score"] <= 1.0


def test_plain_dict_items_and_an_explicit_spider() -> None:
    crawler = get_crawler(scrapy.Spider)
    register_declared(crawler)
    stage = LanguagePipeline.from_crawler(crawler)
    item = {"source": "bernama", "title": "Pemilu", "body": ""}
    stage.process_item(item, scrapy.Spider(name="any"))
    assert item["language"] == "ms"
    assert item["language_score"] < 0.5


def test_an_unregistered_source_leaves_the_text_to_decide() -> None:
    crawler = get_crawler(scrapy.Spider, settings_dict={})
    stage = LanguagePipeline.from_crawler(crawler)
    item = {"source": "antara", "title": "Pemilu", "body": None}
    stage.process_item(item)
    assert item["language"] != "und"  # the best guess
    assert item["language_score"] < 0.5


def test_slice_setting() -> None:
    title = "Warga antre sejak pagi untuk mendapatkan bantuan sosial dari pemerintah."
    body = "Voters queued from early morning outside the polling stations in Jakarta. " * 30
    _, default = crawler_with_spider()
    _, narrow = crawler_with_spider(PANTAU_LANGUAGE_SLICE=len(title))
    wide_item = {"source": "unknown", "title": title, "body": body}
    narrow_item = dict(wide_item)
    assert default.process_item(wide_item)["language"] == "en"
    assert narrow.process_item(narrow_item)["language"] == "id"


def test_bad_slice_setting_is_named() -> None:
    with pytest.raises(ValueError, match="PANTAU_LANGUAGE_SLICE must be a positive"):
        LanguagePipeline.from_crawler(get_crawler(settings_dict={"PANTAU_LANGUAGE_SLICE": 0}))


def test_bad_declared_language_is_logged_once_and_the_item_kept(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, stage = crawler_with_spider()
    items = [{"source": "broken", "title": "Pemilu", "body": None} for _ in range(3)]
    with caplog.at_level(logging.WARNING, logger="pantau.language"):
        for item in items:
            stage.process_item(item)
    warnings = [r.getMessage() for r in caplog.records if r.name == "pantau.language"]
    assert len(warnings) == 1
    assert "'broken'" in warnings[0] and "'Bahasa' is not an ISO 639 code" in warnings[0]
    assert all(item["language"] and item["language_score"] < 0.5 for item in items)
