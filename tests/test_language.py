"""Language identification: the detector, its rules, and its agreement with langdetect."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from langdetect.detector_factory import DetectorFactory

from pantau.language import UNDETERMINED, detect_language, language_of_item
from pantau.language.base import PROFILES_DIR, LangdetectStage, _profile_texts, profile_table
from pantau.language.detector import (
    LOW_CONFIDENCE,
    MIN_LETTERS,
    LanguageDetector,
    bounded,
    normalise_code,
    shared,
)

# Sentences written for these tests (not from the labelled corpus), in the style of the news
# and posts pantau reads.
SENTENCES = [
    ("id", "Komisi Pemilihan Umum menetapkan jadwal kampanye untuk pemilihan presiden."),
    ("id", "Warga antre sejak pagi untuk mendapatkan bantuan sosial dari pemerintah daerah."),
    ("id", "Bawaslu menemukan dugaan politik uang menjelang pencoblosan di tiga kecamatan."),
    ("en", "The election commission announced the final schedule for the presidential campaign."),
    ("en", "Voters queued from early morning outside the polling stations in Jakarta."),
    ("ms", "Polis sedang menyiasat kejadian kemalangan jalan raya yang berlaku semalam."),
    ("ms", "Menteri berkata bahawa kerajaan tidak akan menaikkan cukai kerana ekonomi lemah."),
    ("jv", "Wong-wong padha ngumpul ing bale desa kanggo ngrembug pemilihan kepala desa."),
    ("jv", "Aku durung mangan awit esuk amarga kesusu budhal menyang kantor."),
    ("su", "Urang lembur keur ngariung di bale desa pikeun nyawalakeun pamilihan kapala desa."),
    ("su", "Abdi teu acan tuang ti énjing kusabab buru-buru angkat ka kantor."),
    # Languages outside pantau's own stay langdetect's answer.
    ("fr", "Le gouvernement a annoncé de nouvelles mesures pour soutenir les agriculteurs."),
    ("de", "Die Regierung hat neue Maßnahmen zur Unterstützung der Landwirte angekündigt."),
    ("es", "El gobierno anunció nuevas medidas para apoyar a los agricultores."),
]


@pytest.mark.parametrize(("expected", "text"), SENTENCES)
def test_sentences(expected: str, text: str) -> None:
    code, score = detect_language(text)
    assert code == expected
    assert LOW_CONFIDENCE < score <= 1.0


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        ("Oke siap", "id", "id"),  # too short: the source's language wins
        ("Oke siap", "id-ID", "id"),
        ("Pemilu", "ms", "ms"),
        ("Mantap!", "jv", "jv"),
    ],
)
def test_short_text_falls_back_to_the_declared_language(
    text: str, declared: str, expected: str
) -> None:
    code, score = detect_language(text, declared=declared)
    assert code == expected
    assert 0.0 <= score < LOW_CONFIDENCE


@pytest.mark.parametrize("text", ["Oke siap", "Pemilu", "Good luck"])
def test_short_text_without_declared_language_is_a_low_scored_guess(text: str) -> None:
    code, score = detect_language(text)
    assert code != UNDETERMINED
    assert 0.0 < score < LOW_CONFIDENCE


def test_short_text_score_grows_with_its_letters() -> None:
    short = detect_language("Pemilu")[1]
    longer = detect_language("Pemilu serentak")[1]
    assert short < longer < LOW_CONFIDENCE * (len("Pemiluserentak") + 1) / MIN_LETTERS


def test_headline_in_capitals() -> None:
    # langdetect skips words in capitals; a whole headline in them is still judged.
    assert detect_language("KPU TETAPKAN JADWAL KAMPANYE PEMILIHAN PRESIDEN")[0] == "id"


def test_long_enough_text_keeps_its_own_language_over_the_declared_one() -> None:
    text = "The election commission announced the final schedule for the presidential campaign."
    assert detect_language(text, declared="id")[0] == "en"


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        ("", None, (UNDETERMINED, 0.0)),
        ("", "ms", ("ms", 0.0)),
        ("   \n\t", "id", ("id", 0.0)),
        ("12345 !!! 2024-02-14", None, (UNDETERMINED, 0.0)),
        ("12345 !!! 2024-02-14", "en", ("en", 0.0)),
    ],
)
def test_nothing_to_judge(text: str, declared: str | None, expected: tuple[str, float]) -> None:
    assert detect_language(text, declared=declared) == expected


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        (None, None),
        ("", None),
        ("id", "id"),
        ("ID", "id"),
        ("id-ID", "id"),
        ("id_ID", "id"),
        ("ind", "id"),
        ("in", "id"),
        ("zsm", "ms"),
        ("ms-MY", "ms"),
        ("jav", "jv"),
        ("sun", "su"),
        ("eng", "en"),
        ("ace", "ace"),
    ],
)
def test_declared_codes(declared: str | None, expected: str | None) -> None:
    assert normalise_code(declared) == expected


@pytest.mark.parametrize("declared", ["Indonesian", "1d", "bahasa indonesia", "i"])
def test_bad_declared_code_is_named(declared: str) -> None:
    with pytest.raises(ValueError, match="is not an ISO 639 code") as error:
        detect_language("Komisi Pemilihan Umum menetapkan jadwal kampanye.", declared=declared)
    assert repr(declared) in str(error.value)


def test_text_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="text must be a string, not bytes"):
        detect_language(b"Pemilu")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (None, None, UNDETERMINED),
        ("Komisi Pemilihan Umum menetapkan jadwal kampanye pemilihan presiden", None, "id"),
        (None, "Voters queued from early morning outside the polling stations.", "en"),
        ("KPU", "Warga antre sejak pagi untuk mendapatkan bantuan sosial dari pemerintah.", "id"),
    ],
)
def test_language_of_item(title: str | None, body: str | None, expected: str) -> None:
    assert language_of_item(title, body)[0] == expected


def test_only_the_slice_is_read() -> None:
    indonesian = "Warga antre sejak pagi untuk mendapatkan bantuan sosial dari pemerintah. "
    english = "Voters queued from early morning outside the polling stations in Jakarta. " * 40
    assert language_of_item(indonesian, english, limit=len(indonesian))[0] == "id"
    assert language_of_item(indonesian, english)[0] == "en"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 1000, "short"),
        ("kata " * 10, 12, "kata kata"),  # cut at the last space, no half word
        ("x" * 50, 10, "x" * 10),  # no space near: a hard cut
    ],
)
def test_bounded(text: str, limit: int, expected: str) -> None:
    assert bounded(text, limit) == expected


def test_bounded_rejects_a_non_positive_limit() -> None:
    with pytest.raises(ValueError, match="positive number of characters, not 0"):
        bounded("text", 0)


def test_same_input_same_output() -> None:
    texts = [text for _, text in SENTENCES] + ["Oke siap", "Saya kena gigit!"]
    first = [detect_language(text) for text in texts]
    again = [detect_language(text) for text in texts * 3]
    assert again == first * 3
    # A fresh detector (empty caches) and threads running at once agree to the last digit.
    fresh = LanguageDetector.load()
    assert [fresh.detect(text) for text in texts] == first
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(detect_language, texts * 4)) == first * 4


def _langdetect_rows(stage: LangdetectStage, text: str) -> list[int]:
    detector = stage._factory.create()
    detector.append(text)
    detector.cleaning_text()
    index = stage._factory.word_lang_prob_map
    return [index[gram] for gram in detector._extract_ngrams()]


@pytest.mark.parametrize(
    "text",
    [
        "Komisi Pemilihan Umum menetapkan jadwal kampanye.",
        "KPU DKI JAKARTA menetapkan DPT, kata Ketua KPU.",  # capital words are skipped
        "a  b   c ",
        "  leading and trailing spaces  ",
        "S.H.I.E.L.D. 'quoted' – dash—dash (brackets) #tag @user",
        "Tiếng Việt có dấu",
        "日本語のテキストです。カタカナ",
        "Привет, мир!",
        "مرحبا بالعالم",
        "ends without a space",
    ],
)
def test_ngrams_are_exactly_langdetects(text: str) -> None:
    stage = shared().stage
    assert list(stage.ngram_rows(text)) == _langdetect_rows(stage, text)


@pytest.mark.parametrize(
    "text",
    [
        "The election commission announced the final schedule for the campaign.",
        "Le gouvernement a annoncé de nouvelles mesures pour soutenir les agriculteurs.",
        "Die Regierung hat neue Maßnahmen zur Unterstützung der Landwirte angekündigt.",
        "Komisi Pemilihan Umum menetapkan jadwal kampanye untuk pemilihan presiden.",
        "Wong-wong padha ngumpul ing bale desa kanggo ngrembug pemilihan kepala desa.",
    ],
)
def test_first_stage_agrees_with_langdetects_own_walk(text: str) -> None:
    factory = DetectorFactory()
    factory.load_json_profile(_profile_texts(PROFILES_DIR))
    factory.set_seed(0)
    detector = factory.create()
    detector.append(text)
    evidence = shared().stage.evidence(text)
    assert evidence is not None
    assert evidence.best == detector.detect()


def test_profile_table_is_langdetects_own_table() -> None:
    texts = _profile_texts(PROFILES_DIR)
    factory = DetectorFactory()
    factory.load_json_profile(texts)
    languages, index, matrix = profile_table(texts)
    assert languages == factory.get_lang_list()
    assert list(index) == list(factory.word_lang_prob_map)  # same rows, same order
    assert np.array_equal(matrix, np.asarray(list(factory.word_lang_prob_map.values())))


@pytest.mark.parametrize(
    ("profiles", "message"),
    [
        (['{"name": "xx", "freq": {"a": 1}, "n_words": [1, 0, 0]}', "{not json"], "profile 2"),
        (['{"name": "xx", "freq": {"a": 1}}'], "profile 1"),
        (['{"name": "xx", "freq": {"a": 1}, "n_words": [1, 0, 0]}'] * 2, "named 'xx'"),
    ],
)
def test_profile_table_names_a_bad_profile(profiles: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        profile_table(profiles)


# Short social posts in informal Indonesian, written for these tests: slang and abbreviations
# (gak, nggak, banget, bgt, yg, dgn, sm, krn) that Malaysian posts share in part must not make
# Indonesian Malay.
INFORMAL_POSTS = [
    "gak nyangka banget hasil quick count nya kayak gini",
    "yg bener aja, masa kpu gak update data sirekap dari semalam",
    "bgt sih ini debat capres, gak ada yg jawab pertanyaan dgn jelas",
    "krn udah males antri di tps, sm temen2 pada golput",
    "nggak ngerti lagi sm politik di negeri ini bgt",
    "dgn segala hormat, pak, itu hoaks yg disebar krn kepentingan",
]


@pytest.mark.parametrize("text", INFORMAL_POSTS)
def test_informal_indonesian_is_not_malay(text: str) -> None:
    assert detect_language(text)[0] == "id"
    assert detect_language(text, declared="id")[0] == "id"


@pytest.mark.parametrize("word", ["gak", "nggak", "banget", "bgt", "yg", "dgn", "sm", "krn"])
def test_informal_words_never_lean_malay(word: str) -> None:
    from pantau.language import lexical

    assert word in lexical.informal_words()
    assert lexical.shared_contrast().log_ratio([word]) <= 0.0
    family = shared().family
    assert family.probabilities([word] * 3)["ms"] <= family.probabilities(["dan"] * 3)["ms"] + 1e-9


def test_close_relatives_need_a_sure_score_to_override_the_source() -> None:
    # A headline that reads a little Malay stays with its Indonesian source; a clear Malay
    # sentence from the same source does not.
    headline = "Semua Rezim Punya Panggilan untuk Pengkritik"
    code, score = detect_language(headline)
    assert detect_language(headline, declared="id") == ("id", score)
    malay = "Polis sedang menyiasat kejadian kemalangan jalan raya yang berlaku semalam."
    assert detect_language(malay, declared="id")[0] == "ms"
    assert code in ("id", "ms")


def test_cld3_names_a_family_language_the_build_had_no_samples_of() -> None:
    # A family model without a Sundanese class (as when built on corpora without Sundanese):
    # the second opinion still names clear Sundanese, and Indonesian stays Indonesian.
    import json

    from pantau.language.detector import FAMILY_FILE
    from pantau.language.family import FamilyModel

    stored = json.loads(FAMILY_FILE.read_text(encoding="utf-8"))
    group = stored["group"]
    keep = [position for position, name in enumerate(group["classes"]) if name != "su"]
    remap = {old: new for new, old in enumerate(keep)}
    counts = {}
    for feature, pairs in group["counts"].items():
        kept = [
            value
            for column, count in zip(pairs[0::2], pairs[1::2], strict=True)
            if column in remap
            for value in (remap[column], count)
        ]
        if kept:
            counts[feature] = kept
    stored["group"] = dict(
        group,
        classes=[group["classes"][p] for p in keep],
        totals=[group["totals"][p] for p in keep],
        counts=counts,
    )
    detector = LanguageDetector(shared().stage, FamilyModel(stored))
    assert "su" in detector.unlearnt
    sundanese = "Abdi teu acan tuang ti énjing kusabab buru-buru angkat ka kantor."
    assert detector.detect(sundanese)[0] == "su"
    indonesian = "Warga antre sejak pagi untuk mendapatkan bantuan sosial dari pemerintah daerah."
    assert detector.detect(indonesian)[0] == "id"
