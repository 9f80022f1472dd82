"""Fact-check verdicts: every fact-checker's page structure, the label table, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.extract import extract_article
from crawler.extract.factcheck import (
    VERDICTS,
    factcheck_fields,
    find_verdict,
    read_verdict,
    split_title_label,
    verdict_for,
)
from crawler.sources import SOURCES_DIR, load_sources

PAGES = Path(__file__).parent / "factcheck_pages"
CASES = sorted(PAGES.glob("*/*.html"))


def test_every_factcheck_source_has_a_page_in_its_structure():
    factcheckers = {s.id for s in load_sources(SOURCES_DIR) if s.kind == "factcheck"}
    assert len(factcheckers) >= 9
    assert factcheckers == {p.parent.name for p in CASES}


@pytest.mark.parametrize("page", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_page_yields_claim_and_verdict(page: Path):
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    html = page.read_text(encoding="utf-8")
    # As the spider does it: the article extraction first, then the verdict from page and fields.
    fields = extract_article(html, expected["url"])
    found = factcheck_fields(html, fields, "factcheck")
    assert found == {k: expected[k] for k in ("claim", "verdict", "verdict_label")}
    assert found["verdict"] in VERDICTS


def test_claimreview_gives_the_claims_author_and_appearances():
    html = (PAGES / "turnbackhoax" / "surat-suara-tercoblos.html").read_text(encoding="utf-8")
    found = read_verdict(html, {})
    assert found["verdict_from"] == "claimreview"
    assert found["claim_author"] == "akun Facebook Suara Rakyat Bersatu"
    assert found["claim_appearances"] == ["https://www.facebook.com/watch/?v=1234567890"]


def test_a_wordpress_api_post_reads_like_its_page():
    # The spider wraps a WordPress REST post's content.rendered in <article>; the title comes
    # from the API, not the page.
    post = (
        "<p><strong>Klaim:</strong> Surat suara Pemilu dicetak di luar negeri tanpa pengawasan."
        "</p><p>Rating: Salah</p><h2>Kesimpulan</h2><p>Klaim tersebut adalah salah.</p>"
    )
    page = f"<html><body><article>{post}</article></body></html>"
    found = factcheck_fields(page, {"title": "Benarkah Surat Suara Dicetak di Luar Negeri?"})
    assert found == {
        "claim": "Surat suara Pemilu dicetak di luar negeri tanpa pengawasan.",
        "verdict": "false",
        "verdict_label": "salah",
    }


@pytest.mark.parametrize(
    ("label", "verdict"),
    [
        ("SALAH", "false"),
        ("HOAKS", "false"),
        ("HOAX", "false"),
        ("DISINFORMASI", "false"),
        ("MISINFORMASI", "misleading"),
        ("PENIPUAN", "fabricated"),
        ("MANIPULASI", "manipulated"),
        ("KELIRU", "false"),
        ("BENAR", "true"),
        ("Sebagian Benar", "mixed"),
        ("Konten yang Dimanipulasi", "manipulated"),
        ("Satire atau Parodi", "satire"),
        ("Konteks Keliru", "misleading"),
        ("Belum Terbukti", "unproven"),
        ("Partly false", "mixed"),
        ("Missing context", "misleading"),
        ("Altered photo", "manipulated"),
        ("KLARIFIKASI", None),
        ("Opini", None),
    ],
)
def test_labels(label, verdict):
    assert verdict_for(label) == verdict


@pytest.mark.parametrize(
    ("title", "label", "rest"),
    [
        ("[SALAH] Foto Kotak Suara Dibakar", "SALAH", "Foto Kotak Suara Dibakar"),
        ("[HOAKS] Video Sirekap", "HOAKS", "Video Sirekap"),
        ("(HOAX) Pesan Berantai TPS", "HOAX", "Pesan Berantai TPS"),
        ("Menyesatkan: Klaim Pijat Jari", "Menyesatkan", "Klaim Pijat Jari"),
        ("Cek Fakta: Tidak Benar Video KPU", "Tidak Benar", "Video KPU"),
        ("[KLARIFIKASI] Cara Membaca Sirekap", None, "[KLARIFIKASI] Cara Membaca Sirekap"),
        ("Catatan: Debat Capres Ketiga", None, "Catatan: Debat Capres Ketiga"),
        ("KPU Tetapkan DPT Pemilu 2024", None, "KPU Tetapkan DPT Pemilu 2024"),
    ],
)
def test_title_labels(title, label, rest):
    assert split_title_label(title) == (label, rest)


def test_a_conclusion_that_quotes_the_claim_is_read_for_its_finding():
    assert find_verdict("Klaim bahwa surat suara sudah dicoblos benar adalah keliru.") == (
        "false",
        "keliru",
    )
    assert find_verdict("Informasi itu termasuk kategori satire.") == ("satire", "satire")
    assert find_verdict("Pernyataan Ketua KPU itu benar.") == ("true", "benar")
    assert find_verdict("KPU menetapkan jadwal kampanye.") is None


def test_only_factcheck_sources_get_verdicts():
    html = "<html><head><title>[HOAKS] Kabar Bohong</title></head><body><p>x</p></body></html>"
    assert factcheck_fields(html, {"title": "[HOAKS] Kabar Bohong"}, "national") == {}
    assert factcheck_fields(html, {"title": "[HOAKS] Kabar Bohong"}, "factcheck")["verdict"] == (
        "false"
    )


@pytest.mark.parametrize(
    "html",
    [
        "",
        b"\x00\x01\x02binary",
        "<html><body><p>KPU menetapkan daftar pemilih tetap.</p></body></html>",
        '<html><head><script type="application/ld+json">{"@type": "ClaimReview", </script>'
        "</head><body><h1>Berita biasa</h1></body></html>",
    ],
)
def test_no_verdict_gives_nothing_rather_than_a_guess(html):
    assert factcheck_fields(html, {"title": "Berita biasa"}) == {
        "claim": None,
        "verdict": None,
        "verdict_label": None,
    }


def test_a_rating_on_a_numeric_scale_without_a_name():
    html = (
        '<html><head><script type="application/ld+json">{"@type": "ClaimReview", '
        '"claimReviewed": "Pemilu ditunda", "reviewRating": {"ratingValue": 1, '
        '"worstRating": 1, "bestRating": 5}}</script></head><body></body></html>'
    )
    assert factcheck_fields(html, {}) == {
        "claim": "Pemilu ditunda",
        "verdict": "false",
        "verdict_label": "1",
    }
