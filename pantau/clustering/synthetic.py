"""Constructed test material for clustering: the edits republishing sites make, and generated
Indonesian-like articles for measuring the index at scale.

Every function takes its randomness from the ``random.Random`` passed in, so a seed reproduces
the same texts. Used by the tests, the quality measurement and the speed benchmark.
"""

from __future__ import annotations

import itertools
import random
import re

_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")
_WORD = re.compile(r"\w+")


# -- edits a republishing site makes ---------------------------------------------------------
def new_first_line(text: str, line: str) -> str:
    """The copying site's own lead line ("NanjombangNews – ...") above the story."""
    return f"{line}\n\n{text}"


def add_tail(text: str, teasers: list[str], marker: str = "Check Also") -> str:
    """The copying site's related-articles block after the story."""
    return "\n\n".join([text, marker, *teasers])


def keep_paragraphs(text: str, fraction: float) -> str:
    """The first ``fraction`` of the paragraphs (at least one): a copy cut short."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    keep = max(1, round(len(paragraphs) * fraction))
    return "\n\n".join(paragraphs[:keep])


def typos(text: str, rate: float, rng: random.Random) -> str:
    """Misspell about ``rate`` of the words (swapped, dropped, doubled or wrong letters)."""

    def misspell(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 3 or rng.random() >= rate:
            return word
        i = rng.randrange(len(word) - 1)
        kind = rng.randrange(4)
        if kind == 0:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if kind == 1:
            return word[:i] + word[i + 1 :]
        if kind == 2:
            return word[: i + 1] + word[i] + word[i + 1 :]
        return word[:i] + rng.choice("aeiounrst") + word[i + 1 :]

    return _WORD.sub(misspell, text)


def word_noise(text: str, rate: float, rng: random.Random, vocabulary: list[str]) -> str:
    """Replace about ``rate`` of the words by others, as machine translation back and forth
    swaps synonyms and names ("Hasyim" -> "Hashim", "kompetisi" -> "persaingan")."""
    return _WORD.sub(lambda m: rng.choice(vocabulary) if rng.random() < rate else m.group(0), text)


def swap_sentences(text: str, swaps: int, rng: random.Random) -> str:
    """Exchange ``swaps`` random pairs of neighbouring sentences within their paragraphs."""
    paragraphs = [_SENTENCE_END.split(p) for p in text.split("\n\n")]
    swappable = [(p, i) for p, sents in enumerate(paragraphs) for i in range(len(sents) - 1)]
    for p, i in rng.sample(swappable, min(swaps, len(swappable))):
        sents = paragraphs[p]
        sents[i], sents[i + 1] = sents[i + 1], sents[i]
    return "\n\n".join(" ".join(sents) for sents in paragraphs)


# -- generated articles ----------------------------------------------------------------------
_ROOTS = (
    "pilih umum kampanye suara calon partai politik presiden wakil daerah kota desa warga "
    "rakyat kerja hukum adil aman jaga awas lapor tulis baca dengar kata jawab tanya temu "
    "bahas putus ubah atur bangun tingkat kuat besar kecil tinggi rendah harga biaya dana "
    "ekonomi pasar jual beli tani nelayan sekolah ajar didik sehat obat rumah sakit jalan "
    "kendara macet banjir hujan gempa bantu sumbang tolong rencana siap laksana pimpin "
    "menteri gubernur bupati wali camat lurah polisi tentara jaksa hakim adilan saksi "
    "periksa tangkap tahan lepas bebas dakwa tuntut vonis hukuman korupsi suap uang "
    "anggar belanja pajak cukai impor ekspor produksi industri pabrik buruh upah gaji "
    "kerja usaha modal bank kredit utang bunga saham investasi tumbuh turun naik capai "
    "target hasil survei data angka persen jumlah banyak sedikit baru lama cepat lambat "
    "informasi berita media sosial digital internet konten hoaks fitnah isu kabar sebar "
    "blokir akses situs akun platform aplikasi pesan grup komunitas organisasi lembaga "
    "dewan komisi badan panitia tim kelompok pihak negara bangsa wilayah provinsi pulau"
).split()
_PREFIXES = ("", "", "", "me", "di", "ber", "ter", "pe", "se", "ke")
_SUFFIXES = ("", "", "", "kan", "an", "i", "nya", "lah")
_FUNCTION_WORDS = (
    "yang dan di ke dari untuk dengan pada dalam itu ini tidak akan juga sudah telah "
    "karena oleh sebagai atau bahwa masih ada bisa dapat harus saat para lebih serta agar"
).split()
_NAMES = (
    "Jakarta Surabaya Bandung Medan Makassar Semarang Palembang Denpasar Jombang Bogor "
    "Andi Budi Citra Dewi Eko Fajar Gita Hasyim Indra Joko Kartika Lestari Made Nur"
).split()
_STOCK_PHRASES = (
    "kata dia kepada wartawan",
    "di Jakarta, Senin",
    "menjelang Pemilu 2024",
    "Komisi Pemilihan Umum (KPU)",
    "Badan Pengawas Pemilu (Bawaslu)",
    "menurut dia",
    "dalam keterangan tertulis",
    "pada tahun ini",
)


class ArticleGenerator:
    """Indonesian-like news bodies: affixed roots drawn with Zipf-like frequencies, function
    words, names, numbers and stock phrases, in sentences and paragraphs."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        words = [p + r + s for r, p, s in itertools.product(_ROOTS, _PREFIXES, _SUFFIXES)]
        words = sorted(set(words))
        rng.shuffle(words)
        self.vocabulary = words
        # Zipf-like weights: a few content words are common, most are rare, like real news.
        self._cum_weights = list(
            itertools.accumulate(1.0 / (rank + 1) for rank in range(len(words)))
        )

    def _word(self) -> str:
        roll = self.rng.random()
        if roll < 0.35:
            return self.rng.choice(_FUNCTION_WORDS)
        if roll < 0.40:
            return self.rng.choice(_NAMES)
        if roll < 0.43:
            return str(self.rng.randrange(2, 2025))
        return self.rng.choices(self.vocabulary, cum_weights=self._cum_weights)[0]

    def sentence(self) -> str:
        words = [self._word() for _ in range(self.rng.randint(8, 24))]
        if self.rng.random() < 0.3:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(_STOCK_PHRASES))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def article(self, min_words: int = 300, max_words: int = 600) -> str:
        target = self.rng.randint(min_words, max_words)
        paragraphs: list[str] = []
        count = 0
        while count < target:
            sentences = [self.sentence() for _ in range(self.rng.randint(2, 4))]
            paragraphs.append(" ".join(sentences))
            count += sum(len(s.split()) for s in sentences)
        return "\n\n".join(paragraphs)

    def republish(self, text: str, site: str) -> str:
        """A copy as a local site posts it: some of the edits above, chosen at random."""
        rng = self.rng
        copy = text
        if rng.random() < 0.5:
            copy = swap_sentences(copy, rng.randint(1, 3), rng)
        if rng.random() < 0.7:
            copy = typos(copy, rng.uniform(0.005, 0.03), rng)
        if rng.random() < 0.3:
            copy = word_noise(copy, rng.uniform(0.01, 0.05), rng, self.vocabulary)
        if rng.random() < 0.6:
            copy = new_first_line(copy, f"{site} – {self.sentence()}")
        if rng.random() < 0.5:
            copy = add_tail(copy, [self.sentence() for _ in range(2)])
        return copy
