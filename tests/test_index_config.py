"""index_config/ against the item schema and the analysis plan, without a cluster."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pantau.es.documents import MAPPING_ALIASES, MAPPING_EXTRAS
from pantau.es.index_config import IndexConfigError, load_index_config
from pantau.es.names import IndexNames, index_version
from pantau.query import FIELD_ALIASES
from pantau.schema import ITEM_FIELDS
from pantau.trends.es import EXCLUDE, TEXT_FIELD

CONFIG = load_index_config()
ARTICLES = CONFIG.mapping_properties(CONFIG.articles_template)
QUERIES = CONFIG.mapping_properties(CONFIG.queries_template)
ANALYSIS = CONFIG.get("component_templates", "pantau-analysis").body["template"]["settings"][
    "analysis"
]

# Schema kind -> the mapping type it must have.
KIND_TYPES = {
    "keyword": "keyword",
    "url": "keyword",
    "text": "text",
    "date": "date",
    "float": "float",
    "int": "integer",
    "keyword_list": "keyword",
    "object": "object",
}
# Fields the percolator index has beyond the articles mapping.
PERCOLATOR_EXTRAS = {"query", "rule"}


def test_every_item_field_is_mapped_and_nothing_else_is() -> None:
    mapped = set(ARTICLES)
    expected = set(ITEM_FIELDS) | set(MAPPING_EXTRAS) | set(MAPPING_ALIASES)
    assert sorted(set(ITEM_FIELDS) - mapped) == [], "item fields without a mapping"
    assert sorted(mapped - expected) == [], "mapped fields no item has (add them to the extras)"


@pytest.mark.parametrize("field", sorted(ITEM_FIELDS))
def test_field_type_follows_the_schema_kind(field: str) -> None:
    mapping = ARTICLES[field]
    assert mapping.get("type", "object") == KIND_TYPES[ITEM_FIELDS[field]]


@pytest.mark.parametrize("field", sorted(f for f, k in ITEM_FIELDS.items() if k == "date"))
def test_dates_accept_offsets(field: str) -> None:
    assert ARTICLES[field]["format"] == "strict_date_optional_time"


def test_timestamp_and_english_fields() -> None:
    assert ARTICLES["@timestamp"] == {"type": "date", "format": "strict_date_optional_time"}
    for field in ("title_en", "body_en"):
        assert ARTICLES[field]["analyzer"] == "english"


def test_field_aliases_are_the_query_language_short_names() -> None:
    assert MAPPING_ALIASES == FIELD_ALIASES
    for alias, target in MAPPING_ALIASES.items():
        assert ARTICLES[alias] == {"type": "alias", "path": target}
        assert target in ARTICLES


@pytest.mark.parametrize("field", ["title", "body"])
def test_text_fields_are_indonesian_with_an_unstemmed_exact_subfield(field: str) -> None:
    mapping = ARTICLES[field]
    assert mapping["analyzer"] == "pantau_id"
    assert mapping["fields"]["exact"] == {"type": "text", "analyzer": "pantau_exact"}


def test_title_has_a_keyword_subfield_for_aggregations() -> None:
    assert ARTICLES["title"]["fields"]["keyword"]["type"] == "keyword"


def test_unknown_fields_are_not_indexed() -> None:
    mappings = CONFIG.composed(CONFIG.articles_template)["mappings"]
    assert mappings["dynamic"] is False


def test_percolator_index_has_the_same_fields_plus_the_query() -> None:
    assert QUERIES["query"] == {"type": "percolator"}
    assert set(QUERIES) - set(ARTICLES) == PERCOLATOR_EXTRAS
    for name, mapping in ARTICLES.items():
        assert QUERIES[name] == mapping


def test_analyzers_used_by_the_mapping_are_defined() -> None:
    defined = set(ANALYSIS["analyzer"]) | {"english"}
    used = set()
    for mapping in ARTICLES.values():
        used.add(mapping.get("analyzer"))
        used.update(sub.get("analyzer") for sub in mapping.get("fields", {}).values())
    assert used - {None} <= defined


def test_indonesian_chain_protects_and_overrides_before_stemming() -> None:
    chain = ANALYSIS["analyzer"]["pantau_id"]["filter"]
    filters = ANALYSIS["filter"]
    kinds = [filters[name]["type"] if name in filters else name for name in chain]
    assert kinds.index("keyword_marker") < kinds.index("stemmer")
    assert kinds.index("stemmer_override") < kinds.index("stemmer")
    stemmer = filters[chain[kinds.index("stemmer")]]
    assert stemmer["language"] == "indonesian"
    exact = ANALYSIS["analyzer"]["pantau_exact"]["filter"]
    assert not {filters[f]["type"] for f in exact if f in filters} & {"stemmer", "stop"}


def test_trends_field_is_shingled_without_stemming() -> None:
    # pantau.trends.es counts terms and phrases on this field and drops shingles with the filler.
    field, sub = TEXT_FIELD.split(".")
    mapping = ARTICLES[field]["fields"][sub]
    assert mapping["index_options"] == "docs"  # document counts are all significance needs
    chain = ANALYSIS["analyzer"][mapping["analyzer"]]["filter"]
    filters = ANALYSIS["filter"]
    kinds = [filters[name]["type"] if name in filters else name for name in chain]
    assert "stemmer" not in kinds and "stemmer_override" not in kinds
    assert kinds[-1] == "shingle" and kinds.index("stop") < kinds.index("shingle")
    shingles = filters[chain[-1]]
    assert (shingles["min_shingle_size"], shingles["max_shingle_size"]) == (2, 3)
    assert shingles["output_unigrams"] is True
    assert re.fullmatch(EXCLUDE, f"suara {shingles['filler_token']} tps")


def _rules() -> list[tuple[list[str], str]]:
    filters = ANALYSIS["filter"]
    (override,) = [f for f in filters.values() if f["type"] == "stemmer_override"]
    parsed = []
    for rule in override["rules"]:
        match = re.fullmatch(r"\s*([a-z]+(?:\s*,\s*[a-z]+)*)\s*=>\s*([a-z]+)\s*", rule)
        assert match, f"stemmer_override rule not in 'a, b => c' form: {rule!r}"
        parsed.append(([w.strip() for w in match.group(1).split(",")], match.group(2)))
    return parsed


def _protected() -> set[str]:
    (marker,) = [f for f in ANALYSIS["filter"].values() if f["type"] == "keyword_marker"]
    return {word.lower() for word in marker["keywords"]}


@pytest.mark.parametrize(
    "word, stem",
    [
        ("pemilihan", "pilih"),  # stock stemmer: ilih
        ("memilih", "pilih"),  # stock stemmer: ilih
        ("pemilu", "pemilu"),  # stock stemmer: ilu
        ("berita", "berita"),
        ("kementerian", "menteri"),
        ("pemblokiran", "blokir"),
        ("hoax", "hoaks"),
    ],
)
def test_election_vocabulary_is_overridden(word: str, stem: str) -> None:
    overrides = {w: target for words, target in _rules() for w in words}
    assert overrides[word] == stem


@pytest.mark.parametrize("name", ["megawati", "gibran", "jokowi", "kpu", "bawaslu", "perindo"])
def test_names_and_institutions_are_protected(name: str) -> None:
    assert name in _protected()


def test_override_words_are_not_protected_and_appear_once() -> None:
    seen: dict[str, str] = {}
    for words, target in _rules():
        for word in words:
            assert word not in seen, f"{word!r} in two stemmer_override rules"
            seen[word] = target
    # keyword_marker runs first, so a protected word would never reach its override.
    assert sorted(set(seen) & _protected()) == []


def test_articles_template_uses_the_live_policy_and_never_rolls_over() -> None:
    settings = CONFIG.composed(CONFIG.articles_template)["settings"]
    assert settings["index"]["lifecycle"]["name"] == "pantau-articles"
    policy = CONFIG.get("ilm", "pantau-articles").body["policy"]
    actions = {a for phase in policy["phases"].values() for a in phase["actions"]}
    assert "rollover" not in actions and "delete" not in actions
    retired = CONFIG.get("ilm", "pantau-retired").body["policy"]
    assert "delete" in retired["phases"]["delete"]["actions"]


def test_index_patterns_match_the_generation_names() -> None:
    names = IndexNames()
    articles = CONFIG.articles_template.body["index_patterns"]
    queries = CONFIG.queries_template.body["index_patterns"]
    assert articles == [f"{names.prefix}-articles-v*"]
    assert queries == [f"{names.prefix}-queries-v*"]
    assert index_version(names.articles_index(7)) == 7
    assert index_version(names.articles) is None


def test_another_prefix_renames_objects_but_not_analysis() -> None:
    other = load_index_config(names=IndexNames("pantau-test"))
    assert other.articles_template.name == "pantau-test-articles"
    assert other.articles_template.body["composed_of"] == [
        "pantau-test-settings",
        "pantau-test-analysis",
        "pantau-test-article-mappings",
    ]
    assert other.articles_template.body["index_patterns"] == ["pantau-test-articles-v*"]
    assert (
        other.get("component_templates", "pantau-test-analysis").body
        == CONFIG.get("component_templates", "pantau-analysis").body
    )
    assert other.mapping_properties(other.articles_template) == ARTICLES


def test_stamps_change_with_content_only() -> None:
    again = load_index_config()
    assert [o.digest for o in again.objects] == [o.digest for o in CONFIG.objects]
    stamped = CONFIG.articles_template.stamped()
    assert stamped["_meta"]["pantau_hash"] == CONFIG.articles_template.digest
    assert "pantau_hash" not in CONFIG.articles_template.body["_meta"]
    policy = CONFIG.get("ilm", "pantau-articles").stamped()
    assert policy["policy"]["_meta"]["pantau_hash"]


@pytest.mark.parametrize(
    "kind, name, text, message",
    [
        ("ilm", "pantau-articles", '{"policy": {"phases": {}', "line 1"),
        ("ilm", "pantau-articles", '{"policy": {}}', "no 'phases'"),
        ("component_templates", "pantau-settings", "{}", "missing the key 'template'"),
        ("index_templates", "pantau-articles", "[]", "expected a JSON object"),
    ],
)
def test_a_broken_file_is_named(
    tmp_path: Path, kind: str, name: str, text: str, message: str
) -> None:
    source = CONFIG.folder
    for sub in ("ilm", "component_templates", "index_templates"):
        (tmp_path / sub).mkdir()
        for path in (source / sub).glob("*.json"):
            (tmp_path / sub / path.name).write_text(path.read_text())
    (tmp_path / kind / f"{name}.json").write_text(text)
    with pytest.raises(IndexConfigError) as error:
        load_index_config(tmp_path)
    assert f"{name}.json" in str(error.value) and message in str(error.value)


def test_a_missing_component_is_named(tmp_path: Path) -> None:
    source = CONFIG.folder
    for sub in ("ilm", "component_templates", "index_templates"):
        (tmp_path / sub).mkdir()
        for path in (source / sub).glob("*.json"):
            if path.stem != "pantau-analysis":
                (tmp_path / sub / path.name).write_text(path.read_text())
    with pytest.raises(IndexConfigError, match="component_templates/pantau-analysis.json"):
        load_index_config(tmp_path)


def test_files_are_plain_json_bodies() -> None:
    for obj in CONFIG.objects:
        assert json.loads(obj.path.read_text()) == obj.body
