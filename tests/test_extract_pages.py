"""Recorded pages: tests/extract_pages/<outlet>/<page>.html with the expected fields beside it.

Each <page>.json holds the URL the page was served at, the source's selector overrides (if it
needs any) and every field extract_article must return. A mismatch fails with a diff of the
two JSON documents, so what changed is visible at a glance.

The pages mirror real outlets: a Republika article in JSON-LD split over two pages with a
"Baca Juga" box; a WordPress (Jannah theme) post with a "Check Also" box, related posts and a
comment form; an old regional portal with no structured data at all (printed date and byline,
windows-1252 bytes); and a page only a selector override reads right.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from crawler.extract import extract_article, join_pages

PAGES = Path(__file__).resolve().parent / "extract_pages"
CASES = sorted(PAGES.glob("*/*.html"))


def load(page: Path) -> dict:
    return json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))


def as_text(record: dict) -> list[str]:
    return json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True).splitlines()


def assert_same(actual: dict, expected: dict, name: str) -> None:
    if actual != expected:
        diff = difflib.unified_diff(
            as_text(expected),
            as_text(actual),
            f"{name} (expected)",
            f"{name} (extracted)",
            lineterm="",
        )
        pytest.fail("extraction differs from the recorded output:\n" + "\n".join(diff), False)


def test_every_outlet_of_the_brief_is_recorded() -> None:
    outlets = {page.parent.name for page in CASES}
    assert {"republika", "nanjombangnews", "wartabanten", "suarawarga"} <= outlets
    for page in CASES:
        assert page.with_suffix(".json").exists(), f"{page} has no expected output beside it"


@pytest.mark.parametrize("page", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_page_extracts_as_recorded(page: Path) -> None:
    record = load(page)
    # Bytes, as the spider hands them over: the page declares its own charset.
    actual = extract_article(page.read_bytes(), record["url"], record.get("selectors"))
    assert_same(actual, record["expected"], f"{page.parent.name}/{page.name}")


def test_split_article_pages_join_into_one_item() -> None:
    first, second = sorted((PAGES / "republika").glob("pemilu-kominfo-page*.html"))
    pages = [extract_article(p.read_bytes(), load(p)["url"]) for p in (first, second)]
    assert pages[0]["next_page"] == load(second)["url"]
    assert pages[1]["next_page"] is None

    joined = join_pages(pages)
    assert joined["body"] == pages[0]["body"] + "\n\n" + pages[1]["body"]
    assert joined["canonical_url"] == load(first)["expected"]["canonical_url"]
    assert joined["next_page"] is None
    assert joined["title"] == pages[0]["title"]


def test_override_page_needs_its_selectors() -> None:
    """Without the overrides the generic extractor reads the readers' letters, not the story."""
    page = PAGES / "suarawarga" / "kemendagri-latih-asn.html"
    record = load(page)
    generic = extract_article(page.read_bytes(), record["url"])
    assert generic["body"] != record["expected"]["body"]
    assert generic["published_at"] == record["expected"]["published_at"]  # printed: still found


def test_wrong_charset_bytes_decode_as_declared() -> None:
    page = PAGES / "wartabanten" / "kominfo-strategi-hoaks.html"
    raw = page.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the page really is windows-1252, as its meta says (iso-8859-1)
    body = extract_article(raw, load(page)["url"])["body"]
    assert "“Kemenkominfo berupaya" in body
