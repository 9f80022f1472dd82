"""Rule files: what a good one becomes, and how each kind of bad one is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from pantau.alerts import RuleError, load_rule_file, load_rules, parse_window, queries_path
from pantau.query import matches

GOOD = """\
id: politik-uang
name: Politik uang / serangan fajar
query: '"politik uang" OR "serangan fajar" OR "bagi-bagi amplop"'
filters: {language: [id], sources: [], topics: [pemilu]}
severity: high
notify: [webhook, telegram, email, log]
spike: {count: 10, window: 1h}
enabled: true
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_becomes_a_rule(tmp_path: Path) -> None:
    path = write(tmp_path, "politik-uang.yaml", GOOD)
    rules, errors = load_rules(tmp_path)
    assert errors == []
    [rule] = rules
    assert (rule.id, rule.name, rule.severity, rule.enabled, rule.path) == (
        "politik-uang",
        "Politik uang / serangan fajar",
        "high",
        True,
        path,
    )
    assert rule.query == '"politik uang" OR "serangan fajar" OR "bagi-bagi amplop"'
    assert rule.filters == {"language": ["id"], "sources": [], "topics": ["pemilu"]}
    assert rule.notify == ["webhook", "telegram", "email", "log"]
    assert (rule.spike.count, rule.spike.window, rule.spike.window_text) == (10, 3600, "1h")
    assert matches(rule.compiled, {"title": "Awas serangan fajar", "body": ""})
    assert not matches(rule.compiled, {"title": "Fajar menyingsing", "body": ""})


def test_minimal_file_takes_defaults(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", "id: a\nname: A\nquery: kampanye\n")
    [rule], errors = load_rules(tmp_path)
    assert errors == []
    assert rule.severity == "medium" and rule.notify == ["log"] and rule.enabled is True
    assert rule.spike is None
    assert rule.filters == {"language": [], "sources": [], "topics": []}


BAD = [
    ("id: a\nname: A\nquery: [unclosed\n", "invalid YAML"),
    ("- id: a\n- name: A\n", "expected a mapping"),
    ("", "file is empty"),
    ("id: a\nname: A\nquery: x\nthreshold: 3\n", "unknown key(s) threshold"),
    ("id: a\nname: A\n", "missing required key(s) query"),
    ("id: a b\nname: A\nquery: x\n", "id 'a b' may hold only"),
    ("id: a\nname: 7\nquery: x\n", "name must be a non-empty string"),
    ("id: a\nname: A\nquery: ''\n", "query must be a non-empty string"),
    ("id: a\nname: A\nquery: '(politik AND'\n", "query: cannot parse query"),
    ("id: a\nname: A\nquery: 'negara:id'\n", "query: unknown field 'negara'"),
    ("id: a\nname: A\nquery: x\nseverity: urgent\n", "severity must be one of low, medium, high"),
    ("id: a\nname: A\nquery: x\nnotify: webhook\n", "notify must be a list of strings"),
    ("id: a\nname: A\nquery: x\nnotify: [sms]\n", "notify: unknown channel(s) sms"),
    ("id: a\nname: A\nquery: x\nfilters: [id]\n", "filters must be a mapping"),
    ("id: a\nname: A\nquery: x\nfilters: {country: [id]}\n", "unknown filter(s) country"),
    ("id: a\nname: A\nquery: x\nfilters: {language: id}\n", "filters.language must be a list"),
    ("id: a\nname: A\nquery: x\nspike: 10\n", "spike must be a mapping"),
    ("id: a\nname: A\nquery: x\nspike: {count: 0, window: 1h}\n", "spike.count must be"),
    ("id: a\nname: A\nquery: x\nspike: {count: 2, window: 1 hour}\n", "spike.window must be"),
    ("id: a\nname: A\nquery: x\nspike: {count: 2}\n", "spike.window is missing"),
    ("id: a\nname: A\nquery: x\nspike: {count: 2, window: 1h, per: x}\n", "unknown key(s) per"),
    ("id: a\nname: A\nquery: x\nenabled: maybe\n", "enabled must be true or false"),
]


@pytest.mark.parametrize(("text", "reason"), BAD)
def test_bad_file_is_reported_and_the_others_still_load(
    tmp_path: Path, text: str, reason: str
) -> None:
    bad = write(tmp_path, "bad.yaml", text)
    write(tmp_path, "good.yaml", GOOD)
    rules, errors = load_rules(tmp_path)
    assert [rule.id for rule in rules] == ["politik-uang"]
    assert len(errors) == 1
    assert errors[0].startswith(f"{bad}: ")
    assert reason in errors[0]


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "id: a\nname: A\nquery: x\nnotify: [log\n")
    with pytest.raises(RuleError, match=r"invalid YAML: .* at line \d+"):
        load_rule_file(path)


def test_duplicate_id_keeps_the_first_file(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", GOOD)
    second = write(tmp_path, "b.yaml", GOOD.replace("name: Politik", "name: Salinan"))
    rules, errors = load_rules(tmp_path)
    assert [(r.id, r.path) for r in rules] == [("politik-uang", first)]
    assert errors == [f"{second}: duplicate id 'politik-uang' (already defined in {first})"]


def test_missing_folder_and_other_files(tmp_path: Path) -> None:
    rules, errors = load_rules(tmp_path / "nope")
    assert rules == [] and errors == [f"{tmp_path / 'nope'}: queries folder does not exist"]
    write(tmp_path, "README.md", "not a rule")
    write(tmp_path, "off.yaml", GOOD.replace("enabled: true", "enabled: false"))
    rules, errors = load_rules(tmp_path)
    assert errors == [] and [r.enabled for r in rules] == [False]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("90s", 90), ("30m", 1800), ("1h", 3600), (" 2 h ", 7200), ("1d", 86400), ("2w", 1209600)]
    + [(600, 600)],
)
def test_parse_window(value: object, seconds: int) -> None:
    assert parse_window(value) == seconds


@pytest.mark.parametrize("value", ["0h", "1 hour", "h", "-1h", True, 0, 1.5, None])
def test_parse_window_rejects(value: object) -> None:
    with pytest.raises(RuleError):
        parse_window(value)


def test_queries_path_prefers_settings_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PANTAU_QUERIES", raising=False)
    monkeypatch.setenv("PANTAU_HOME", "/home/desk")
    assert queries_path() == Path("/home/desk/index_config/queries")
    monkeypatch.setenv("PANTAU_QUERIES", "/env/q")
    assert queries_path() == Path("/env/q")
    assert queries_path({"PANTAU_QUERIES": "/set/q"}) == Path("/set/q")
    assert queries_path({"PANTAU_QUERIES": None}) == Path("/env/q")
