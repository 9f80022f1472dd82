"""Reading and validating the lexicon YAML files of a folder.

Every *.yaml file of the folder is read; each may hold any of these sections (the packaged
folder keeps one kind per file so staff know where to edit):

    defaults:  {exact: bool, case_sensitive: bool, window: int}   # for this file's entries
    topics:    {<topic id>: {label, label_en, description?, terms: [<term>, ...]}}
    institutions | parties | people:  [<entry>, ...]
    regions:   [<entry with type: province|city, and province: for a city>, ...]
    ignore:            [phrase, ...]   # phrases that are never topic terms
    x-<anything>:      reusable YAML anchors, otherwise ignored
    ignore_mentions:   [phrase, ...]   # phrases that are never names

An entry is {name, forms?, en?, exact?, case_sensitive?, near?, window?, note?}: `name` is the
canonical name reported and also a form; `forms` are more ways to write it (abbreviations, full
names, spelling variants); `en` are its English forms (required for topic terms). `exact: false`
lets Indonesian forms take affixes (topic terms default to it; names default to exact). A
`case_sensitive` entry (true, or a list of the forms that are) matches only as written or in
capitals. `near` lists words of which one must stand within `window` words (default 10),
`and_near` a second such list that must be met too, `not_near` words that must not stand there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from pantau.tagging.lexicon import (
    ENTITY,
    ENTITY_GROUPS,
    IGNORE,
    REGION,
    REGIONS,
    TOPIC,
    Entry,
    Form,
    Lexicon,
    TopicInfo,
)
from pantau.tagging.tokens import tokenize


class LexiconError(ValueError):
    """A lexicon file is missing, unreadable or wrong; the message names the file and key."""


_SECTIONS = frozenset({"defaults", "topics", *ENTITY_GROUPS, REGIONS, "ignore", "ignore_mentions"})
_DEFAULT_KEYS = frozenset({"exact", "case_sensitive", "window"})
_TOPIC_KEYS = frozenset({"label", "label_en", "description", "terms"})
_ENTRY_KEYS = frozenset(
    {
        "name",
        "match_name",
        "forms",
        "en",
        "exact",
        "case_sensitive",
        "near",
        "and_near",
        "not_near",
        "window",
        "note",
    }
)
_REGION_KEYS = _ENTRY_KEYS | {"type", "province"}
_TOPIC_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_MAX_WINDOW = 50


# libyaml's parser when PyYAML was built with it: several times faster on these files.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML keeps the last of two equal keys; a lexicon must not lose the first silently."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Where:
    """A file and a key path inside it, for error messages."""

    def __init__(self, file: str, key: str = "") -> None:
        self.file = file
        self.key = key

    def __truediv__(self, part: str | int) -> _Where:
        if isinstance(part, int):
            return _Where(self.file, f"{self.key}[{part}]")
        return _Where(self.file, f"{self.key}.{part}" if self.key else part)

    def __str__(self) -> str:
        return f"{self.file}: {self.key}" if self.key else self.file

    def error(self, problem: str) -> LexiconError:
        return LexiconError(f"{self}: {problem}")


def _text(value: Any, where: _Where) -> str:
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"must be a non-empty string, got {value!r}")
    if not tokenize(value):
        raise where.error(f"{value!r} has no letters or digits to match")
    return value.strip()


def _texts(value: Any, where: _Where) -> list[str]:
    if not isinstance(value, list):
        raise where.error(f"must be a list of strings, got {type(value).__name__}")
    return [_text(item, where / i) for i, item in enumerate(value)]


def _flag(value: Any, where: _Where) -> bool:
    if not isinstance(value, bool):
        raise where.error(f"must be true or false, got {value!r}")
    return value


def _window(value: Any, where: _Where) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_WINDOW:
        raise where.error(f"must be a whole number of words from 1 to {_MAX_WINDOW}")
    return value


def _mapping(value: Any, where: _Where, allowed: frozenset[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise where.error(f"must be a mapping, got {type(value).__name__}")
    if allowed is not None:
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            raise where.error(f"unknown key(s) {', '.join(unknown)}; allowed: {sorted(allowed)}")
    return value


class _Builder:
    """Collects entries from every file, then checks what spans files."""

    def __init__(self) -> None:
        self.entries: list[tuple[Entry, list[Form]]] = []
        self.topics: dict[str, TopicInfo] = {}
        self.provinces: set[str] = set()
        self.cities: list[tuple[str, _Where]] = []  # (province named, where)
        self.names: dict[tuple[str, str], _Where] = {}  # (group, name) -> first place
        self.forms: dict[tuple[str, str, bool, tuple[str, ...]], _Where] = {}

    def read_file(self, path: Path) -> None:
        where = _Where(path.name)
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
        except (OSError, UnicodeDecodeError) as exc:
            raise where.error(f"cannot read: {exc}") from exc
        except yaml.YAMLError as exc:
            raise where.error(f"not valid YAML: {exc}") from exc
        if data is None:
            raise where.error("is empty")
        data = _mapping(data, where)
        # Keys starting with "x-" hold YAML anchors reused inside the file (context word lists).
        data = {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))}
        _mapping(data, where, _SECTIONS)
        defaults = self._defaults(data.get("defaults", {}), where / "defaults")
        if "topics" in data:
            for topic_id, topic in _mapping(data["topics"], where / "topics").items():
                self._topic(topic_id, topic, where / "topics" / str(topic_id), defaults)
        for group in ENTITY_GROUPS + (REGIONS,):
            if group in data:
                if not isinstance(data[group], list):
                    raise (where / group).error("must be a list of entries")
                for i, raw in enumerate(data[group]):
                    self._mention(group, raw, where / group / i, defaults)
        for section, layers in (("ignore", (TOPIC,)), ("ignore_mentions", (ENTITY, REGION))):
            if section in data:
                for i, phrase in enumerate(_texts(data[section], where / section)):
                    form = Form(tuple(tokenize(phrase)), "id", False, inflect=True)
                    for layer in layers:
                        entry = Entry(layer, IGNORE, phrase, str(where / section / i))
                        self.entries.append((entry, [form]))

    def _defaults(self, raw: Any, where: _Where) -> dict[str, Any]:
        raw = _mapping(raw, where, _DEFAULT_KEYS)
        checks = {"exact": _flag, "case_sensitive": _flag, "window": _window}
        return {key: checks[key](value, where / key) for key, value in raw.items()}

    def _topic(self, topic_id: Any, raw: Any, where: _Where, defaults: dict[str, Any]) -> None:
        if not isinstance(topic_id, str) or not _TOPIC_ID.match(topic_id):
            raise where.error("topic id must be lower-case words joined by hyphens")
        if topic_id in self.topics:
            raise where.error(f"topic already defined at {self.topics[topic_id].where}")
        raw = _mapping(raw, where, _TOPIC_KEYS)
        for key in ("label", "label_en", "terms"):
            if key not in raw:
                raise where.error(f"missing key {key!r}")
        self.topics[topic_id] = TopicInfo(
            topic_id,
            _text(raw["label"], where / "label"),
            _text(raw["label_en"], where / "label_en"),
            str(where),
        )
        if "description" in raw:
            _text(raw["description"], where / "description")
        terms = raw["terms"]
        if not isinstance(terms, list) or not terms:
            raise (where / "terms").error("must be a non-empty list of terms")
        for i, term in enumerate(terms):
            term_where = where / "terms" / i
            term = _mapping(term, term_where, _ENTRY_KEYS)
            if not term.get("en"):
                raise term_where.error("a topic term needs its English side: key 'en'")
            self._entry(TOPIC, topic_id, term, term_where, {"exact": False, **defaults})

    def _mention(self, group: str, raw: Any, where: _Where, defaults: dict[str, Any]) -> None:
        raw = _mapping(raw, where, _REGION_KEYS if group == REGIONS else _ENTRY_KEYS)
        also: tuple[str, ...] = ()
        if group == REGIONS:
            kind = raw.get("type")
            if kind not in ("province", "city"):
                raise (where / "type").error(f"must be 'province' or 'city', got {kind!r}")
            if kind == "city":
                if "province" not in raw:
                    raise where.error("a city needs key 'province'")
                also = (_text(raw["province"], where / "province"),)
                self.cities.append((also[0], where / "province"))
            elif "province" in raw:
                raise (where / "province").error("only a city names its province")
        layer = REGION if group == REGIONS else ENTITY
        entry = self._entry(layer, group, raw, where, {"exact": True, **defaults}, also)
        if group == REGIONS and raw["type"] == "province":
            self.provinces.add(entry.name)

    def _entry(
        self,
        layer: str,
        group: str,
        raw: dict[str, Any],
        where: _Where,
        defaults: dict[str, Any],
        also: tuple[str, ...] = (),
    ) -> Entry:
        if "name" not in raw:
            raise where.error("missing key 'name'")
        name = _text(raw["name"], where / "name")
        key = (group, name)
        # A topic may spread one term over entries that differ in their conditions (an
        # English form that needs context, say); a name is one entry everywhere else.
        if key in self.names and layer != TOPIC:
            raise (where / "name").error(f"{name!r} is already defined at {self.names[key]}")
        self.names.setdefault(key, where)
        match_name = _flag(raw.get("match_name", True), where / "match_name")
        forms_id = [name] if match_name else []
        forms_id += _texts(raw.get("forms", []), where / "forms")
        forms_en = _texts(raw.get("en", []), where / "en")
        if not forms_id and not forms_en:
            raise where.error("match_name is false, so it needs 'forms' or 'en'")
        exact = _flag(raw.get("exact", defaults["exact"]), where / "exact")
        case = raw.get("case_sensitive", defaults.get("case_sensitive", False))
        if isinstance(case, list):
            sensitive = set(_texts(case, where / "case_sensitive"))
            missing = sorted(sensitive - set(forms_id) - set(forms_en))
            if missing:
                raise (where / "case_sensitive").error(f"not among the forms: {missing}")
        else:
            sensitive = set(forms_id + forms_en) if _flag(case, where / "case_sensitive") else set()
        near = self._near(raw["near"], where / "near") if "near" in raw else None
        and_near = self._near(raw["and_near"], where / "and_near") if "and_near" in raw else None
        if and_near is not None and near is None:
            raise (where / "and_near").error("needs 'near' as well")
        not_near = self._near(raw["not_near"], where / "not_near") if "not_near" in raw else None
        window = _window(raw.get("window", defaults.get("window", 10)), where / "window")
        entry = Entry(layer, group, name, str(where), also, near, and_near, not_near, window)
        forms: list[Form] = []
        for side, texts in (("id", forms_id), ("en", forms_en)):
            for text in texts:
                cs = text in sensitive
                words = tuple(tokenize(text))
                self._claim_form(layer, group, side, cs, words, where, text)
                # Case-sensitive forms are names or acronyms: matched as written, never affixed.
                forms.append(Form(words, side, cs, inflect=not exact and not cs))
        self.entries.append((entry, forms))
        return entry

    def _claim_form(
        self,
        layer: str,
        group: str,
        side: str,
        cs: bool,
        words: tuple[str, ...],
        where: _Where,
        text: str,
    ) -> None:
        """One written form belongs to one entry of a group: a second claim is a mistake."""
        normal = words if cs else tuple(w.lower() for w in words)
        key = (group, side, cs, normal)
        if key in self.forms and self.forms[key].key != where.key:
            raise where.error(f"form {text!r} is already a form of {self.forms[key]}")
        self.forms[key] = where

    def _near(self, raw: Any, where: _Where) -> frozenset[str]:
        """Context words, also with -nya and the English plural (kontennya, sites). Only these:
        a context word fully inflected would catch too much ("jalan" -> "berjalan")."""
        words: set[str] = set()
        for i, text in enumerate(_texts(raw, where)):
            parts = tokenize(text)
            if len(parts) != 1:
                raise (where / i).error(f"{text!r} must be a single word")
            word = parts[0].lower()
            words |= {word, word + "nya", word + "s", word + "es"}
        if not words:
            raise where.error("must list at least one word")
        return frozenset(words)

    def finish(self) -> Lexicon:
        for province, where in self.cities:
            if province not in self.provinces:
                raise where.error(f"{province!r} is not a region of type province")
        if not self.entries:
            raise LexiconError("the lexicon has no entries")
        return Lexicon(self.entries, self.topics)


def yaml_files(folder: Path) -> Iterator[Path]:
    return iter(sorted(p for p in folder.glob("*.yaml") if p.is_file()))


def read_lexicon(folder: Path) -> Lexicon:
    """Read and validate every *.yaml file in `folder` into a Lexicon."""
    if not folder.is_dir():
        raise LexiconError(f"{folder}: lexicon folder not found")
    files = list(yaml_files(folder))
    if not files:
        raise LexiconError(f"{folder}: no *.yaml lexicon files")
    builder = _Builder()
    for path in files:
        builder.read_file(path)
    return builder.finish()
