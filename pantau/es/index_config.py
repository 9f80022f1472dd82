"""The files under ``index_config/``, read, checked and stamped for applying.

Layout (file name = object name, spelled for the default prefix ``pantau``):

- ``ilm/*.json``: ILM policies, bodies for ``PUT _ilm/policy/<name>``;
- ``component_templates/*.json``: bodies for ``PUT _component_template/<name>``;
- ``index_templates/*.json``: composable templates, ``PUT _index_template/<name>``;
- ``kibana/*.ndjson``: Kibana saved objects (see ``pantau.es.kibana``).

Each body is stamped with ``_meta.pantau_hash``, a digest of the file's content, when applied;
``pantau es setup`` compares stamps rather than bodies, because the cluster gives bodies back
normalised (strings for numbers, expanded settings) and would never compare equal.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pantau.es.names import IndexNames

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "index_config"
KINDS = ("ilm", "component_templates", "index_templates")


class IndexConfigError(ValueError):
    """A file under index_config/ is unreadable or incomplete; the message names it."""


@dataclass(frozen=True)
class ConfigObject:
    kind: str  # one of KINDS
    name: str
    body: dict[str, Any]  # as in the file, renamed for the prefix, without the stamp
    path: Path

    @property
    def digest(self) -> str:
        text = json.dumps(self.body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def stamped(self) -> dict[str, Any]:
        """The body to send: the file's, with ``_meta.pantau_hash`` set."""
        body = copy.deepcopy(self.body)
        holder = body["policy"] if self.kind == "ilm" else body
        holder.setdefault("_meta", {})["pantau_hash"] = self.digest
        return body


def config_dir() -> Path:
    return Path(os.environ.get("PANTAU_INDEX_CONFIG") or DEFAULT_DIR)


@dataclass(frozen=True)
class IndexConfig:
    names: IndexNames
    objects: tuple[ConfigObject, ...]
    folder: Path

    def of_kind(self, kind: str) -> list[ConfigObject]:
        return [obj for obj in self.objects if obj.kind == kind]

    def get(self, kind: str, name: str) -> ConfigObject:
        for obj in self.objects:
            if obj.kind == kind and obj.name == name:
                return obj
        raise IndexConfigError(f"index_config has no {kind}/{name}.json")

    @property
    def articles_template(self) -> ConfigObject:
        return self.get("index_templates", f"{self.names.prefix}-articles")

    @property
    def queries_template(self) -> ConfigObject:
        return self.get("index_templates", f"{self.names.prefix}-queries")

    def template_digest(self, template: ConfigObject) -> str:
        """One digest over an index template and the component templates it is made of."""
        parts = [template.digest]
        for name in template.body.get("composed_of", []):
            parts.append(self.get("component_templates", name).digest)
        return hashlib.sha256("/".join(parts).encode()).hexdigest()[:16]

    def composed(self, template: ConfigObject) -> dict[str, Any]:
        """Settings and mappings an index made from ``template`` gets, merged in ES's order."""
        result: dict[str, Any] = {}
        for name in template.body.get("composed_of", []):
            deep_merge(result, self.get("component_templates", name).body.get("template", {}))
        deep_merge(result, template.body.get("template", {}))
        return result

    def mapping_properties(self, template: ConfigObject) -> dict[str, Any]:
        return self.composed(template).get("mappings", {}).get("properties", {})


def deep_merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    """Merge ``other`` into ``into``, nested objects key by key, as templates compose."""
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            deep_merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


def load_index_config(
    folder: str | Path | None = None, names: IndexNames | None = None
) -> IndexConfig:
    """Read every JSON file of ``folder`` (default: the repository's index_config/)."""
    names = names or IndexNames()
    root = Path(folder) if folder else config_dir()
    if not root.is_dir():
        raise IndexConfigError(f"no index_config folder at {root} (set PANTAU_INDEX_CONFIG)")
    objects = []
    for kind in KINDS:
        for path in sorted((root / kind).glob("*.json")):
            text = names.rename(path.read_text(encoding="utf-8"))
            try:
                body = json.loads(text)
            except json.JSONDecodeError as exc:
                raise IndexConfigError(
                    f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
                ) from None
            if not isinstance(body, dict):
                raise IndexConfigError(f"{path}: expected a JSON object")
            _check(kind, path, body)
            objects.append(ConfigObject(kind, names.rename(f'"{path.stem}')[1:], body, path))
    config = IndexConfig(names, tuple(objects), root)
    for template in config.of_kind("index_templates"):
        for name in template.body.get("composed_of", []):
            config.get("component_templates", name)  # raises naming the missing file
    config.articles_template  # noqa: B018 - both templates must exist
    config.queries_template  # noqa: B018
    return config


def _check(kind: str, path: Path, body: dict[str, Any]) -> None:
    required = {
        "ilm": ("policy",),
        "component_templates": ("template",),
        "index_templates": ("index_patterns",),
    }[kind]
    for key in required:
        if key not in body:
            raise IndexConfigError(f"{path}: missing the key {key!r}")
    if kind == "ilm" and "phases" not in body["policy"]:
        raise IndexConfigError(f"{path}: policy has no 'phases'")
