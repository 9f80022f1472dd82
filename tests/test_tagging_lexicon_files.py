"""Loading lexicon folders: validation names the file and key, and where the folder comes from."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from pantau.tagging import DEFAULT_LEXICONS, LexiconError, lexicon_folder, load_lexicon, tag_text

GOOD_TOPIC = """
topics:
  uji:
    label: Uji
    label_en: Test
    terms:
      - {name: blokir, en: [block]}
"""


def one_term(term: str) -> str:
    """topics.yaml with topic "uji" holding this one term (a YAML flow mapping)."""
    return f"topics:\n  uji: {{label: a, label_en: b, terms: [{term}]}}"


def folder_with(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"topics": "topics: [\n"}, "topics.yaml: not valid YAML"),
        ({"topics": ""}, "topics.yaml: is empty"),
        ({"topics": "topik: {}"}, "topics.yaml: unknown key(s) topik"),
        (
            {"topics": "topics:\n  Uji Coba: {label: a, label_en: b, terms: []}"},
            "topics.yaml: topics.Uji Coba: topic id must be",
        ),
        (
            {"topics": "topics:\n  uji: {label: a, terms: [{name: x, en: [y]}]}"},
            "topics.yaml: topics.uji: missing key 'label_en'",
        ),
        (
            {"topics": one_term("{name: blokir}")},
            "topics.yaml: topics.uji.terms[0]: a topic term needs its English side",
        ),
        (
            {"topics": one_term("{name: x, en: [y], exat: true}")},
            "topics.yaml: topics.uji.terms[0]: unknown key(s) exat",
        ),
        (
            {"topics": one_term("{name: x, en: [y], near: [dua kata]}")},
            "topics.yaml: topics.uji.terms[0].near[0]: 'dua kata' must be a single word",
        ),
        (
            {"topics": one_term("{name: x, en: [y], window: 0}")},
            "topics.yaml: topics.uji.terms[0].window: must be a whole number",
        ),
        (
            {"topics": "topics:\n  uji: {label: a, label_en: b, terms: [{name: x, en: ['!!']}]}"},
            "topics.yaml: topics.uji.terms[0].en[0]: '!!' has no letters or digits",
        ),
        (
            {"topics": one_term("{name: x, en: [y], case_sensitive: [Z]}")},
            "topics.yaml: topics.uji.terms[0].case_sensitive: not among the forms: ['Z']",
        ),
        (
            {"topics": one_term("{name: x, en: [y]}") + "\n  uji: {}"},
            "topics.yaml: not valid YAML",  # a duplicate key is an error, not a silent override
        ),
        (
            {"topics": GOOD_TOPIC, "regions": "regions:\n  - {name: Bandung, type: city}"},
            "regions.yaml: regions[0]: a city needs key 'province'",
        ),
        (
            {
                "topics": GOOD_TOPIC,
                "regions": "regions:\n  - {name: Bandung, type: city, province: Jabar}",
            },
            "regions.yaml: regions[0].province: 'Jabar' is not a region of type province",
        ),
        (
            {"topics": GOOD_TOPIC, "regions": "regions:\n  - {name: Bali, type: pulau}"},
            "regions.yaml: regions[0].type: must be 'province' or 'city'",
        ),
        (
            {"topics": GOOD_TOPIC, "parties": "parties:\n  - {name: PAN}\n  - {name: PAN}"},
            "parties.yaml: parties[1].name: 'PAN' is already defined at parties.yaml: parties[0]",
        ),
        (
            {
                "topics": GOOD_TOPIC,
                "parties": "parties:\n  - {name: A, forms: [X]}\n  - {name: B, forms: [x]}",
            },
            "parties.yaml: parties[1]: form 'x' is already a form of parties.yaml: parties[0]",
        ),
        (
            {"topics": GOOD_TOPIC, "people": "people: {name: Anies}"},
            "people.yaml: people: must be a list of entries",
        ),
    ],
)
def test_bad_files_are_named(tmp_path: Path, files: dict[str, str], message: str) -> None:
    with pytest.raises(LexiconError) as caught:
        load_lexicon(folder_with(tmp_path, **files))
    assert message in str(caught.value)


def test_missing_or_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="lexicon folder not found"):
        load_lexicon(tmp_path / "nowhere")
    with pytest.raises(LexiconError, match=r"no \*\.yaml lexicon files"):
        load_lexicon(tmp_path)


def test_anchors_defaults_and_sections_across_files(tmp_path: Path) -> None:
    folder = folder_with(
        tmp_path,
        topics="""
        x-online: &online [situs, konten]
        topics:
          uji:
            label: Uji
            label_en: Test
            terms:
              - {name: blokir, en: [block], near: *online}
        ignore: [blokir situs palsu]
        """,
        people="""
        defaults: {case_sensitive: true}
        people:
          - {name: Ganjar Pranowo, forms: [Ganjar]}
        """,
    )
    lexicon = load_lexicon(folder)
    assert tag_text(None, "Kominfo memblokir situs itu.", lexicon=lexicon)["topics"] == ["uji"]
    assert tag_text(None, "Bank memblokir kartu.", lexicon=lexicon)["topics"] == []
    assert tag_text(None, "Ia memblokir situs palsu.", lexicon=lexicon)["topics"] == []
    assert tag_text(None, "GANJAR dan Ganjar", lexicon=lexicon)["entities"]["people"] == [
        "Ganjar Pranowo"
    ]
    assert tag_text(None, "ganjar", lexicon=lexicon)["entities"]["people"] == []


def test_folder_from_argument_env_or_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PANTAU_LEXICONS", raising=False)
    assert lexicon_folder() == DEFAULT_LEXICONS.resolve()
    monkeypatch.setenv("PANTAU_LEXICONS", str(tmp_path))
    assert lexicon_folder() == tmp_path.resolve()
    assert lexicon_folder(DEFAULT_LEXICONS) == DEFAULT_LEXICONS.resolve()


def test_env_override_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A staff copy of the packaged folder with one more candidate.
    copy = tmp_path / "lexicons"
    shutil.copytree(DEFAULT_LEXICONS, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with (copy / "candidates.yaml").open("a", encoding="utf-8") as out:
        out.write("  - name: Calon Baru\n    forms: [Baru Sekali]\n")
    monkeypatch.setenv("PANTAU_LEXICONS", str(copy))
    result = tag_text(None, "Baru Sekali berkampanye.", "id")
    assert result["entities"]["people"] == ["Calon Baru"]
    assert load_lexicon() is load_lexicon(copy)  # cached per folder


def test_default_lexicon_is_cached() -> None:
    assert load_lexicon() is load_lexicon(None)
