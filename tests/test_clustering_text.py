"""Normalization and shingling: what counts as the same words in two copies of a story."""

import random

import pytest

from pantau.clustering.synthetic import (
    add_tail,
    keep_paragraphs,
    new_first_line,
    swap_sentences,
    typos,
)
from pantau.clustering.text import body_shingles, normalize_words, shingles, strip_boilerplate


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Pemilu, 2024!", ["pemilu", "2024"]),
        ("KOMINFO  kominfo\tKominfo", ["kominfo", "kominfo", "kominfo"]),
        ("nilai-nilai demokrasi", ["nilai", "nilai", "demokrasi"]),
        (
            "“Tahun 2022 akan ada 166 konflik,” katanya.",
            ["tahun", "2022", "akan", "ada", "166", "konflik", "katanya"],
        ),
        ("REPUBLIKA.CO.ID, JAKARTA – Pemilu", ["republika", "co", "id", "jakarta", "pemilu"]),
        ("memblokir 1.321 konten", ["memblokir", "1", "321", "konten"]),
        ("Café Kémang", ["cafe", "kemang"]),
        ("snake_case (ASN)", ["snake", "case", "asn"]),
        ("— … ! ?", []),
        ("", []),
    ],
)
def test_normalize_words(text, words):
    assert normalize_words(text) == words


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("Satu.\nBaca juga: Berita lain\nDua.", "Satu.\nDua."),
        ("Satu.\n  Simak Juga: video\nDua.", "Satu.\nDua."),
        ("Satu.\nLihat juga\nDua.", "Satu.\nDua."),
        ("Satu.\n\nCheck Also\n\nBiaya Haji Rp 69 Juta", "Satu.\n"),
        ("Satu.\nBerita Terkait:\nLain", "Satu."),
        ("Satu.\nArtikel terkait\nLain", "Satu."),
        # Not a marker: the words appear inside a sentence of the story.
        ("Dia membaca juga berita terkait pemilu.", "Dia membaca juga berita terkait pemilu."),
        ("Pembaca juga hadir.", "Pembaca juga hadir."),
    ],
)
def test_strip_boilerplate(body, kept):
    assert strip_boilerplate(body) == kept


@pytest.mark.parametrize(
    ("words", "sizes", "expected"),
    [
        ("a b c d".split(), (3,), {"a b c", "b c d"}),
        ("a b c d".split(), (2, 3), {"a b", "b c", "c d", "a b c", "b c d"}),
        ("a b c a b c".split(), (3,), {"a b c", "b c a", "c a b"}),
        ("a b".split(), (3,), {"a b"}),  # shorter than a shingle: one shingle of all words
        ("a b c".split(), (3, 5), {"a b c"}),
        ([], (3,), set()),
    ],
)
def test_shingles(words, sizes, expected):
    assert shingles(words, sizes) == expected


@pytest.mark.parametrize("sizes", [(), (0,), (3, -1)])
def test_shingle_sizes_must_be_positive(sizes):
    with pytest.raises(ValueError, match="shingle sizes"):
        shingles(["a", "b", "c"], sizes)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kominfo blokir 1.321 konten.", "KOMINFO   blokir 1.321 konten!"),
        ("Kominfo blokir konten hoaks.", "Kominfo blokir konten hoaks.\n\nCheck Also\n\nLain lagi"),
        ("Kominfo blokir konten hoaks.", "Kominfo blokir\nBaca juga: Haji\nkonten hoaks."),
    ],
)
def test_copies_differing_only_in_form_have_equal_shingles(a, b):
    assert body_shingles(a) == body_shingles(b)
    assert body_shingles(a)


def test_body_shingles_of_nothing():
    assert body_shingles(None) == set()
    assert body_shingles("  \n ") == set()


STORY = (
    "Kominfo menyiapkan tiga strategi. Strategi itu untuk menjaga demokrasi di ruang digital.\n\n"
    "Literasi digital dijalankan di tingkat hulu. Konten negatif ditangani di tingkat tengah.\n\n"
    "Penegakan hukum dilakukan di tingkat hilir bersama Polri."
)


@pytest.mark.parametrize(
    ("edit", "check"),
    [
        (lambda t: new_first_line(t, "LokalNews – judul"), lambda c: c.startswith("LokalNews")),
        (lambda t: add_tail(t, ["Teaser"]), lambda c: c.endswith("Check Also\n\nTeaser")),
        (lambda t: keep_paragraphs(t, 0.5), lambda c: c.count("\n\n") == 1),
        (
            lambda t: swap_sentences(t, 1, random.Random(1)),
            lambda c: sorted(c.split()) == sorted(STORY.split()) and c != STORY,
        ),
        (
            lambda t: typos(t, 1.0, random.Random(1)),
            lambda c: len(c.split()) == len(STORY.split()) and c != STORY,
        ),
    ],
)
def test_constructed_edits_do_what_they_say(edit, check):
    assert check(edit(STORY))
