"""The tagging pipeline stage on a real crawler."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from pantau.tagging import DEFAULT_LEXICONS, LexiconError
from pipelines.tagging import TaggingPipeline


def pipeline(**settings: object) -> TaggingPipeline:
    return TaggingPipeline.from_crawler(get_crawler(settings_dict=settings))


def test_sets_the_four_fields_on_an_item() -> None:
    item = ArticleItem(
        url="https://example.id/a",
        title="Bawaslu temukan serangan fajar",
        body="Tim sukses caleg membagikan amplop berisi uang di Bandung. Polri menyelidiki.",
        language="id",
    )
    out = pipeline().process_item(item)
    assert out is item
    assert item["topics"] == ["pemilu", "politik-uang"]
    assert "serangan fajar" in item["keywords"]
    assert item["entities"] == {"institutions": ["Bawaslu", "Polri"], "parties": [], "people": []}
    assert item["regions"] == ["Bandung", "Jawa Barat"]


def test_uses_the_item_language() -> None:
    stage = pipeline()
    english = {"title": "Vote buying", "body": "kampanye hitam", "language": "en"}
    stage.process_item(english)
    assert english["topics"] == ["politik-uang"]  # the English side only
    unknown = {"title": "Vote buying", "body": "kampanye hitam"}
    stage.process_item(unknown)  # no language: both sides
    assert unknown["topics"] == ["kampanye-hitam", "pemilu", "politik-uang"]


def test_lexicon_folder_setting(tmp_path: Path) -> None:
    copy = tmp_path / "lex"
    shutil.copytree(DEFAULT_LEXICONS, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with (copy / "candidates.yaml").open("a", encoding="utf-8") as out:
        out.write("  - name: Calon Baru\n    forms: [Baru Sekali]\n")
    item = {"title": None, "body": "Baru Sekali mendaftar ke KPU."}
    pipeline(PANTAU_LEXICONS=str(copy)).process_item(item)
    assert item["entities"]["people"] == ["Calon Baru"]


def test_bad_lexicon_stops_at_start(tmp_path: Path) -> None:
    (tmp_path / "topics.yaml").write_text("topics: [", encoding="utf-8")
    with pytest.raises(LexiconError, match="topics.yaml: not valid YAML"):
        pipeline(PANTAU_LEXICONS=str(tmp_path))
