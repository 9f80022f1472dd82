"""Tagging with the packaged lexicons: phrases, variants, abbreviations, English, regions,
entities, the seed article, and the shape of the result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pantau.tagging import load_lexicon, tag_text

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / ".." / "shared" / "seed-article.txt"


def tags(text: str, language: str | None = "id", title: str | None = None) -> dict[str, Any]:
    return tag_text(title, text, language)


@pytest.mark.parametrize(
    ("text", "keyword", "topic"),
    [
        # multi-word phrases
        ("Warga menolak serangan fajar.", "serangan fajar", "politik-uang"),
        ("Pemungutan suara digelar Rabu.", "pemungutan suara", "pemilu"),
        ("Ada kampanye hitam di medsos.", "kampanye hitam", "kampanye-hitam"),
        # a phrase's first word takes affixes, its last -nya
        ("Tim itu membagikan amplop kepada pemilih.", "bagi amplop", "politik-uang"),
        ("Praktik pembelian suara marak.", "beli suara", "politik-uang"),
        ("Mereka menebar kebencian.", "kebencian", "ujaran-kebencian"),
        # spelling, case, hyphen and one-word variants
        ("Jangan sebar hoax!", "hoaks", "hoaks"),
        ("JANGAN SEBAR HOAKS", "hoaks", "hoaks"),
        ("Konten itu di-take down.", "take down", "pemblokiran"),
        ("Kominfo men-takedown konten.", "take down", "pemblokiran"),
        ("Permintaan take-down dikirim.", "take down", "pemblokiran"),
        ("Ada bagi-bagi amplop di desa.", "bagi amplop", "politik-uang"),
        ("#TolakSeranganFajar #seranganfajar", "serangan fajar", "politik-uang"),
        ("#Pemilu2024 damai", "pemilu", "pemilu"),
        ("Program antihoaks digelar.", "hoaks", "hoaks"),
        # abbreviations and full names give one canonical term
        ("Antrean di TPS 05 mengular.", "TPS", "pemilu"),
        ("Antrean di tempat pemungutan suara mengular.", "TPS", "pemilu"),
        ("Komisi Pemilihan Umum menetapkan DPT.", "KPU", "pemilu"),
        ("Isu SARA dipakai untuk menyerang lawan.", "SARA", "ujaran-kebencian"),
        ("MK menggelar sidang PHPU.", "sengketa pemilu", "pemilu"),
        # context words decide ambiguous terms
        ("KKB menyerang pos TNI di Intan Jaya.", "penyerangan", "konflik"),
        ("Massa menjarah toko saat kerusuhan.", "jarah", "konflik"),
        ("Demo menolak hasil pilkada berakhir anarkis.", "anarkis", "konflik"),
        ("Kominfo memblokir situs judi.", "blokir", "pemblokiran"),
        ("ASN wajib menjaga netralitas.", "netralitas", "netralitas"),
    ],
)
def test_terms(text: str, keyword: str, topic: str) -> None:
    result = tags(text)
    assert keyword in result["keywords"]
    assert topic in result["topics"]


@pytest.mark.parametrize(
    "text",
    [
        "Pemilihan ketua RT berlangsung meriah.",
        "Ayah saya terkena serangan jantung.",
        "Kirim lamaran dalam amplop tertutup.",
        "Nasabah diminta memblokir kartu ATM yang hilang.",  # bank cards, not content
        "PPATK memblokir rekening terkait judi online.",
        "Harga sembako naik menjelang Lebaran.",
        "Kampanye imunisasi campak digelar serentak.",
        "Direksi punya konflik kepentingan.",
        "Jadwal kuliah saya bentrok dengan jadwal latihan.",
        "Indonesia tetap netral dalam konflik Rusia dan Ukraina.",
        "Sara datang terlambat.",  # a name, not SARA
        "tps ini singkatan apa",  # TPS only as written in capitals
        "Ia merasa pilu.",
        "Timnas melancarkan serangan balik cepat.",
        "Ia menjarah hati penonton.",  # looting only with a mob, shops or a riot near
        "Hakim bersikap netral.",  # neutrality of the state apparatus only
    ],
)
def test_hard_negatives(text: str) -> None:
    assert tags(text)["topics"] == []


def test_words_in_a_debate_are_not_violence() -> None:
    assert tags("Capres itu menyerang lawannya dalam debat.")["topics"] == ["pemilu"]


@pytest.mark.parametrize(
    ("text", "topics"),
    [
        ("Vote buying was rampant before the election.", ["pemilu", "politik-uang"]),
        ("Police arrested a man for hate speech.", ["ujaran-kebencian"]),
        ("Riots broke out after the vote count.", ["konflik", "pemilu"]),
        ("The ministry blocked hundreds of gambling websites.", ["pemblokiran"]),
        ("Fact-checkers debunked the hoax.", ["hoaks"]),
        ("Civil servants must stay neutral.", ["netralitas"]),
        ("The company launched a marketing campaign.", []),
        ("Election of the new club chairman is next week.", []),
    ],
)
def test_english_side(text: str, topics: list[str]) -> None:
    assert tags(text, "en")["topics"] == topics


def test_english_keywords_are_the_canonical_terms() -> None:
    assert tags("Vote buying and hoaxes.", "en")["keywords"] == ["beli suara", "hoaks"]


def test_language_picks_the_side() -> None:
    # An English loanword in Indonesian copy is not the English term, and the other way round.
    assert tags("Kampanye marketing ini berisi election campaign tips.", "id")["topics"] == []
    assert tags("election campaign", "en")["topics"] == ["pemilu"]
    # Unknown or other languages are matched against both sides.
    assert tags("election campaign and pemilu", None)["topics"] == ["pemilu"]
    assert tags("election campaign", "jav")["topics"] == ["pemilu"]
    assert tags("Pemilu damai", "ms")["topics"] == ["pemilu"]


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("Banjir melanda Jawa Barat.", ["Jawa Barat"]),
        ("Pemilu di Kepulauan Riau berjalan aman.", ["Kepulauan Riau"]),  # not also Riau
        ("Warga Riau antre di TPS.", ["Riau"]),
        ("Kerusuhan di Papua Barat Daya.", ["Papua Barat Daya"]),
        ("Bawaslu Jatim dan Sulsel.", ["Jawa Timur", "Sulawesi Selatan"]),
        ("Pemungutan suara di Bandung.", ["Bandung", "Jawa Barat"]),  # a city and its province
        ("Kampanye di Solo dan Medan.", ["Medan", "Sumatera Utara", "Jawa Tengah", "Surakarta"]),
        ("Riots in West Java and North Sumatra.", ["Jawa Barat", "Sumatera Utara"]),
        ("Makan siang di rumah makan Padang.", []),
        ("Ia merasa malang.", []),  # the word, not the city Malang
        ("Istana di Jalan Medan Merdeka Utara.", []),
        ("JAKARTA - KPU menetapkan DPT.", ["DKI Jakarta"]),
    ],
)
def test_regions(text: str, regions: list[str]) -> None:
    assert tags(text)["regions"] == sorted(regions)


@pytest.mark.parametrize(
    ("text", "group", "names"),
    [
        ("Komisi Pemilihan Umum (KPU) dan Bawaslu bertemu.", "institutions", ["Bawaslu", "KPU"]),
        ("Badan Pengawas Pemilu memanggil kpu.", "institutions", ["Bawaslu"]),  # KPU capitals
        (
            "Kemkominfo dan Kementerian Komunikasi dan Digital.",
            "institutions",
            ["Kominfo", "Komdigi"],
        ),
        ("Bareskrim Polri dan Mahkamah Konstitusi.", "institutions", ["Bareskrim", "MK", "Polri"]),
        ("General Elections Commission said...", "institutions", ["KPU"]),
        ("Ketua DPD Partai Golkar Jawa Barat.", "institutions", []),  # a party board, not DPD
        ("PDI-P, PDIP dan PDI Perjuangan.", "parties", ["PDI-P"]),
        ("Partai Amanat Nasional (PAN) dan Gerindra.", "parties", ["Gerindra", "PAN"]),
        ("Sekjen PBB berpidato.", "parties", []),  # the United Nations
        ("Prabowo-Gibran unggul.", "people", ["Gibran Rakabuming Raka", "Prabowo Subianto"]),
        ("Cak Imin mendampingi Anies.", "people", ["Anies Baswedan", "Muhaimin Iskandar"]),
        ("Ia menerima ganjaran.", "people", []),
    ],
)
def test_entities(text: str, group: str, names: list[str]) -> None:
    result = tags(text)
    assert result["entities"][group] == sorted(names)


def test_headline_case_trusts_only_acronyms() -> None:
    # In a Title Case headline "Serang" is the verb; in the body it is the city.
    title = "Massa Serang Kantor KPU Kota"
    result = tag_text(title, None, "id")
    assert result["regions"] == []
    assert result["entities"]["institutions"] == ["KPU"]
    assert tag_text(None, "Bentrok terjadi di Serang.", "id")["regions"] == ["Banten", "Serang"]


def test_title_and_body_do_not_join_into_a_phrase() -> None:
    assert tag_text("Warga menolak serangan", "Fajar menyingsing.", "id")["topics"] == []
    assert tag_text("Warga menolak serangan fajar", "", "id")["topics"] == ["politik-uang"]


def test_result_shape_and_determinism() -> None:
    empty = tag_text(None, None)
    assert empty == {
        "keywords": [],
        "topics": [],
        "entities": {"institutions": [], "parties": [], "people": []},
        "regions": [],
    }
    text = "Bawaslu: serangan fajar dan hoaks di Jawa Barat; Prabowo dan Golkar."
    first = tag_text("Judul", text, "id")
    assert first == tag_text("Judul", text, "id")
    assert json.loads(json.dumps(first)) == first
    for values in (first["keywords"], first["topics"], first["regions"]):
        assert values == sorted(values)


def test_packaged_lexicon_content() -> None:
    lexicon = load_lexicon()
    assert set(lexicon.topics) == {
        "pemilu",
        "hoaks",
        "ujaran-kebencian",
        "politik-uang",
        "kampanye-hitam",
        "konflik",
        "netralitas",
        "pemblokiran",
    }
    provinces = [e for e in lexicon.entries if e.group == "regions" and not e.also]
    assert len(provinces) == 38
    people = {e.name for e in lexicon.entries if e.group == "people"}
    assert {
        "Anies Baswedan",
        "Muhaimin Iskandar",
        "Prabowo Subianto",
        "Gibran Rakabuming Raka",
        "Ganjar Pranowo",
        "Mahfud MD",
    } <= people


@pytest.mark.skipif(not SEED.is_file(), reason="shared seed article not present")
def test_seed_article() -> None:
    title, body = SEED.read_text(encoding="utf-8").split("\n", 1)
    result = tag_text(title, body, "id")
    # Pemilu, hoaks/misinformasi/ujaran kebencian, "memblokir 1.321 konten", bentrokan/tawuran.
    assert result["topics"] == ["hoaks", "konflik", "pemblokiran", "pemilu", "ujaran-kebencian"]
    assert {"pemilu", "pilkada", "hoaks", "misinformasi", "ujaran kebencian", "blokir"} <= set(
        result["keywords"]
    )
    # Kominfo and Kemenkominfo, Komisi Pemilihan Umum (KPU), Badan Pengawas Pemilu, Bareskrim
    # Polri, Kementerian Dalam Negeri (Kemendagri), and the misnamed "Badan Kehormatan
    # Penyelenggara Pemilu" (DKPP).
    assert result["entities"]["institutions"] == [
        "Bareskrim",
        "Bawaslu",
        "DKPP",
        "KPU",
        "Kemendagri",
        "Kominfo",
        "Polri",
    ]
    assert result["regions"] == ["Banten", "DKI Jakarta", "Tangerang Selatan"]
