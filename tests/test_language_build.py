"""The build: reads only the training part, writes loadable and reproducible data files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pantau.language import build, corpus
from pantau.language.base import LangdetectStage
from pantau.language.detector import LanguageDetector
from pantau.language.family import FamilyModel

# A small corpus written for this test: a few sentences per language, repeated with numbered
# ids so that both parts of the split get some.
PHRASES = {
    "ind": "saya sedang makan nasi goreng bersama teman di rumah karena lapar",
    "zsm": "saya sedang makan nasi lemak bersama kawan di rumah kerana lapar sahaja",
    "jav": "aku lagi mangan sega goreng karo kanca ing omah amarga ngelih",
    "sun": "abdi nuju tuang sangu goreng sareng rerencangan di bumi margi lapar",
    "eng": "i am eating fried rice with a friend at home because i am hungry",
    "min": "ambo sadang makan nasi goreng jo kawan di rumah dek litak",
}
HELD_OUT_MARK = "zzqheldout"


def write_corpus(path: Path, count: int = 40) -> None:
    lines = []
    for number in range(count):
        for label, phrase in PHRASES.items():
            sample_id = f"test:{number}/{label}"
            text = f"{phrase} nomor {number}"
            if corpus.is_held_out(sample_id):
                text += f" {HELD_OUT_MARK}"  # only held-out sentences carry this word
            lines.append(json.dumps({"id": sample_id, "text": text, "lang": label}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("langbuild")
    write_corpus(folder / "labelled.jsonl")
    build.build(folder / "labelled.jsonl", folder / "profiles", folder / "family.json")
    return folder


def test_held_out_sentences_are_never_read(built: Path) -> None:
    text = (built / "labelled.jsonl").read_text(encoding="utf-8")
    assert HELD_OUT_MARK in text  # the corpus has held-out sentences ...
    files = [built / "family.json", *sorted((built / "profiles").iterdir())]
    for path in files:  # ... and no built file knows their word, nor any n-gram of its start
        assert HELD_OUT_MARK[:3] not in path.read_text(encoding="utf-8"), path.name


def test_profiles_for_the_languages_langdetect_lacks(built: Path) -> None:
    names = sorted(path.name for path in (built / "profiles").iterdir())
    assert names == ["jv", "min", "ms", "su"]  # English and Indonesian keep langdetect's own
    profile = json.loads((built / "profiles" / "jv").read_text(encoding="utf-8"))
    assert profile["name"] == "jv"
    assert set(profile) == {"freq", "n_words", "name"}
    assert len(profile["n_words"]) == 3


def test_built_files_load_and_classify(built: Path) -> None:
    family = FamilyModel(json.loads((built / "family.json").read_text(encoding="utf-8")))
    detector = LanguageDetector(LangdetectStage(built / "profiles"), family)
    assert detector.detect(PHRASES["jav"])[0] == "jv"
    assert detector.detect(PHRASES["sun"])[0] == "su"


def test_building_twice_gives_the_same_bytes(built: Path, tmp_path: Path) -> None:
    build.build(built / "labelled.jsonl", tmp_path / "profiles", tmp_path / "family.json")
    assert (tmp_path / "family.json").read_bytes() == (built / "family.json").read_bytes()
    for path in (built / "profiles").iterdir():
        assert (tmp_path / "profiles" / path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "labelled.jsonl:1: not a labelled sample"),
        ('{"id": "x", "text": "t"}', "labelled.jsonl:1: not a labelled sample"),
        ('{"id": "x", "text": "t", "lang": "xyz"}', "labelled.jsonl:1: unknown language label"),
    ],
)
def test_bad_corpus_lines_are_named(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "labelled.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        corpus.load(path)


def test_a_corpus_without_malay_cannot_build(tmp_path: Path) -> None:
    path = tmp_path / "labelled.jsonl"
    lines = [
        json.dumps({"id": f"t:{n}/ind", "text": PHRASES["ind"], "lang": "ind"}) for n in range(9)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no training samples for ms"):
        build.build(path, tmp_path / "profiles", tmp_path / "family.json")
