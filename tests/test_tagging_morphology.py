"""Indonesian and English word forms generated from lexicon roots, and how matching uses them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pantau.tagging import inflections, inflections_en, load_lexicon, tag_text

# root -> affixed forms that must match it
INDONESIAN_FORMS = [
    ("blokir", ["blokir", "memblokir", "diblokir", "pemblokiran", "terblokir", "blokirnya"]),
    ("blokir", ["memblokirnya", "diblokirkan", "ngeblokir", "diblokirin"]),
    ("tipu", ["menipu", "penipuan", "ditipu", "tertipu", "ketipu", "nipu"]),  # t drops after n
    ("pukul", ["memukul", "pemukulan", "dipukuli", "mukul"]),  # p drops after m
    ("serang", ["menyerang", "penyerangan", "diserang", "serangan", "nyerang"]),  # s -> ny
    ("ancam", ["mengancam", "ancaman", "pengancaman", "diancam", "terancam", "ngancam"]),  # vowel
    ("kirim", ["mengirim", "pengiriman", "dikirimkan"]),  # k drops after ng
    ("kritik", ["mengkritik", "pengkritik"]),  # consonant cluster keeps its k
    ("produksi", ["memproduksi", "diproduksi"]),  # cluster keeps its p
    ("coblos", ["mencoblos", "pencoblosan", "dicoblos", "nyoblos"]),
    ("rusuh", ["kerusuhan", "perusuh"]),  # ke-...-an
    ("damai", ["perdamaian", "berdamai"]),  # per-...-an, ber-
    ("rekam", ["terekam", "merekam", "perekaman"]),  # ter- before r
    ("cek", ["mengecek", "pengecekan", "ngecek"]),  # one-syllable roots take menge-
    ("fitnah", ["memfitnah", "difitnah", "pemfitnah"]),  # f takes m
    ("hoaks", ["antihoaks"]),  # bound prefix written together
    ("pilkada", ["pascapilkada", "prapilkada"]),
]


@pytest.mark.parametrize(("root", "forms"), INDONESIAN_FORMS)
def test_affixed_forms_are_generated(root: str, forms: list[str]) -> None:
    generated = inflections(root)
    assert [f for f in forms if f not in generated] == []


@pytest.mark.parametrize(
    ("root", "not_forms"),
    [
        ("blokir", ["blok", "kir", "lokir"]),
        ("pukul", ["ukul", "pukulp"]),
        ("kritik", ["ritik"]),
    ],
)
def test_no_stripped_forms(root: str, not_forms: list[str]) -> None:
    assert set(not_forms).isdisjoint(inflections(root))


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("riot", ["riots", "rioted", "rioting", "rioter"]),
        ("hoax", ["hoaxes"]),
        ("rig", ["rigged", "rigging"]),  # doubled consonant
        ("intimidate", ["intimidated", "intimidating", "intimidates"]),
        ("party", ["parties"]),
    ],
)
def test_english_forms(word: str, forms: list[str]) -> None:
    assert [f for f in forms if f not in inflections_en(word)] == []


def write_lexicon(folder: Path, topics_yaml: str, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "topics.yaml").write_text(textwrap.dedent(topics_yaml), encoding="utf-8")
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


# Roots chosen to show nasal assimilation and one that over-generates: pe- + "pilu" is "pemilu".
SMALL_TOPICS = """
topics:
  uji:
    label: Uji
    label_en: Test
    terms:
      - {name: tipu, en: [deceive]}
      - {name: pukul, en: [hit]}
      - {name: serang, en: [attack]}
      - {name: ancam, en: [threaten]}
      - {name: blokir, en: [block]}
      - {name: pilu, en: [sorrow]}
      - {name: pemilu, en: [election]}
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return load_lexicon(write_lexicon(tmp_path_factory.mktemp("lex"), SMALL_TOPICS))


@pytest.mark.parametrize(
    ("text", "keywords"),
    [
        ("Mereka menipu warga.", ["tipu"]),
        ("Dia memukul meja.", ["pukul"]),
        ("Pasukan menyerang pos.", ["serang"]),
        ("Ia mengancam saksi.", ["ancam"]),
        ("Kominfo memblokir situs itu.", ["blokir"]),
        ("Situs itu diblokir.", ["blokir"]),
        ("Pemblokiran situs.", ["blokir"]),
        # The written form wins over a generated one: pemilu stays pemilu, not pe- + pilu.
        ("Pemilu digelar serentak.", ["pemilu"]),
        ("Hatinya pilu.", ["pilu"]),
        ("Kepiluan keluarga.", ["pilu"]),
    ],
)
def test_matching_by_root(small, text: str, keywords: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert tag_text(None, text, "id", lexicon=small)["keywords"] == keywords


def test_lookup_reports_the_root(small) -> None:  # type: ignore[no-untyped-def]
    assert [small.lookup(w) for w in ("memblokir", "diblokir", "pemblokiran")] == [["blokir"]] * 3
    assert small.lookup("pemilu") == ["pemilu"]
    assert small.lookup("blok") == []


def test_names_are_never_affixed(tmp_path: Path) -> None:
    folder = write_lexicon(
        tmp_path,
        SMALL_TOPICS,
        people="""
        people:
          - {name: Ganjar Pranowo, forms: [Ganjar]}
        """,
    )
    lexicon = load_lexicon(folder)
    assert tag_text(None, "Ganjar berkampanye.", lexicon=lexicon)["entities"]["people"] == [
        "Ganjar Pranowo"
    ]
    # "ganjaran" (a reward) is ganjar + -an, but a name takes no affixes.
    assert tag_text(None, "Ia menerima ganjaran.", lexicon=lexicon)["entities"]["people"] == []
    assert tag_text(None, "Diganjar hadiah.", lexicon=lexicon)["entities"]["people"] == []
