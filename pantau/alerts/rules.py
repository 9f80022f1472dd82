"""Saved queries: one YAML file per rule, validated so a bad file never silences the others.

A rule file names a Lucene query (the syntax analysts type into Kibana), optional filters, a
severity, the channels to notify and an optional spike threshold. ``load_rules`` returns the
good rules and, separately, one message per bad file naming the file and what is wrong, so the
pipeline can keep alerting on every query that still reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pantau.paths import configured_path
from pantau.query import Query, QueryError, compile_query

DEFAULT_QUERIES_PATH = "index_config/queries"
SEVERITIES = ("low", "medium", "high")
CHANNELS = ("webhook", "telegram", "email", "log")
FILTER_KEYS = ("language", "sources", "topics")

_KEYS = {"id", "name", "query", "filters", "severity", "notify", "spike", "enabled"}
_REQUIRED = ("id", "name", "query")
# Ids end up inside alert ids ("rule:doc"), file names and URLs, so keep them plain.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SPAN = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class RuleError(ValueError):
    """One rule file is unusable; the message says which key and why."""


@dataclass(frozen=True)
class Spike:
    """Alert once per window when ``count`` matches fall inside it."""

    count: int
    window: int  # seconds
    window_text: str  # as written, for messages ("1h")


@dataclass
class Rule:
    id: str
    name: str
    query: str
    compiled: Query
    filters: dict[str, list[str]]
    severity: str = "medium"
    notify: list[str] = field(default_factory=lambda: ["log"])
    spike: Spike | None = None
    enabled: bool = True
    path: Path | None = None


def queries_path(settings: Any | None = None) -> Path:
    """PANTAU_QUERIES from Scrapy settings, else the environment, else index_config/queries
    under the home (PANTAU_HOME)."""
    return configured_path("PANTAU_QUERIES", DEFAULT_QUERIES_PATH, settings)


def parse_window(value: Any) -> int:
    """Seconds in a span written ``90s``, ``30m``, ``1h``, ``1d`` or ``2w`` (or plain seconds)."""
    if isinstance(value, bool):
        raise RuleError(f"window must be a span like 1h or 30m, not {value!r}")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, str) and (match := _SPAN.match(value)):
        seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    else:
        raise RuleError(f"window must be a span like 1h or 30m, not {value!r}")
    if seconds <= 0:
        raise RuleError(f"window must be longer than zero, not {value!r}")
    return seconds


def load_rules(folder: str | Path | None = None) -> tuple[list[Rule], list[str]]:
    """Every rule in ``folder`` (``*.yaml``/``*.yml``, sorted by name) and one error per bad file.

    A file that fails validation is left out and reported as ``"<path>: <reason>"``; a later
    file reusing an id already taken is reported too and the first definition stays.
    """
    root = Path(folder) if folder is not None else queries_path()
    if not root.is_dir():
        return [], [f"{root}: queries folder does not exist"]
    rules: list[Rule] = []
    errors: list[str] = []
    seen: dict[str, Path] = {}
    files = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    for path in files:
        try:
            rule = load_rule_file(path)
        except RuleError as exc:
            errors.append(f"{path}: {exc}")
            continue
        if rule.id in seen:
            errors.append(f"{path}: duplicate id {rule.id!r} (already defined in {seen[rule.id]})")
            continue
        seen[rule.id] = path
        rules.append(rule)
    return rules, errors


def load_rule_file(path: str | Path) -> Rule:
    """One rule from its YAML file; raise RuleError naming what is wrong."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleError(f"cannot read file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise RuleError(f"not UTF-8 text: {exc}") from exc
    except yaml.YAMLError as exc:
        raise RuleError(f"invalid YAML: {_yaml_reason(exc)}") from exc
    rule = rule_from_mapping(data)
    rule.path = path
    return rule


def rule_from_mapping(data: Any) -> Rule:
    """Validate a decoded rule document; raise RuleError naming the key that is wrong."""
    if data is None:
        raise RuleError("file is empty")
    if not isinstance(data, dict):
        raise RuleError(f"expected a mapping of keys, found {type(data).__name__}")
    unknown = sorted(str(key) for key in data if key not in _KEYS)
    if unknown:
        raise RuleError(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_KEYS))}")
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise RuleError(f"missing required key(s) {', '.join(missing)}")
    rule_id = _string(data, "id")
    if not _ID.match(rule_id):
        raise RuleError(f"id {rule_id!r} may hold only letters, digits, '.', '_' and '-'")
    query_text = _string(data, "query")
    try:
        compiled = compile_query(query_text)
    except QueryError as exc:
        raise RuleError(f"query: {exc}") from exc
    severity = data.get("severity", "medium")
    if severity not in SEVERITIES:
        raise RuleError(f"severity must be one of {', '.join(SEVERITIES)}, not {severity!r}")
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RuleError(f"enabled must be true or false, not {enabled!r}")
    return Rule(
        id=rule_id,
        name=_string(data, "name"),
        query=query_text,
        compiled=compiled,
        filters=_filters(data.get("filters")),
        severity=severity,
        notify=_notify(data.get("notify", ["log"])),
        spike=_spike(data.get("spike")),
        enabled=enabled,
    )


def _string(data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleError(f"{key} must be a non-empty string, not {value!r}")
    return value.strip()


def _string_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleError(f"{where} must be a list of strings, e.g. [a, b], not {value!r}")
    return [v.strip() for v in value]


def _filters(value: Any) -> dict[str, list[str]]:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise RuleError(f"filters must be a mapping with {', '.join(FILTER_KEYS)}, not {value!r}")
    unknown = sorted(str(key) for key in value if key not in FILTER_KEYS)
    if unknown:
        raise RuleError(
            f"unknown filter(s) {', '.join(unknown)}; allowed: {', '.join(FILTER_KEYS)}"
        )
    return {key: _string_list(value.get(key), f"filters.{key}") for key in FILTER_KEYS}


def _notify(value: Any) -> list[str]:
    channels = _string_list(value, "notify")
    bad = [c for c in channels if c not in CHANNELS]
    if bad:
        raise RuleError(
            f"notify: unknown channel(s) {', '.join(bad)}; known: {', '.join(CHANNELS)}"
        )
    return list(dict.fromkeys(channels))  # a channel named twice is still notified once


def _spike(value: Any) -> Spike | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise RuleError(f"spike must be a mapping {{count: N, window: 1h}}, not {value!r}")
    unknown = sorted(str(key) for key in value if key not in ("count", "window"))
    if unknown:
        raise RuleError(f"spike: unknown key(s) {', '.join(unknown)}; allowed: count, window")
    count = value.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise RuleError(f"spike.count must be a whole number of at least 1, not {count!r}")
    if "window" not in value:
        raise RuleError("spike.window is missing (a span like 1h or 30m)")
    try:
        seconds = parse_window(value["window"])
    except RuleError as exc:
        raise RuleError(f"spike.{exc}") from exc
    return Spike(count=count, window=seconds, window_text=str(value["window"]).strip())


def _yaml_reason(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}" if mark else problem
