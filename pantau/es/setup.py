"""`pantau es setup`: apply index_config/ to a cluster, idempotently.

Order: ILM policies, component templates, index templates, then the first generation of the
articles index (with its read and write aliases) and of the saved-query index when they are
missing, then the saved queries. Each step reads before it writes, so a second run sends no
write at all, and nothing is ever deleted except saved queries whose rule file is gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pantau.es.index_config import ConfigObject, IndexConfig
from pantau.es.names import index_version


@dataclass(frozen=True)
class Change:
    action: str  # created, updated, unchanged, removed, warning, error, skipped
    kind: str
    name: str
    detail: str = ""

    def line(self) -> str:
        text = f"{self.action:<9} {self.kind} {self.name}"
        return f"{text}: {self.detail}" if self.detail else text


def _existing_stamp(client: Any, obj: ConfigObject) -> tuple[bool, str | None]:
    """Whether ``obj`` exists in the cluster, and the pantau_hash it carries."""
    from elasticsearch import NotFoundError

    try:
        if obj.kind == "ilm":
            body = client.ilm.get_lifecycle(name=obj.name).body
            meta = body.get(obj.name, {}).get("policy", {}).get("_meta", {})
        elif obj.kind == "component_templates":
            found = client.cluster.get_component_template(name=obj.name).body
            items = found.get("component_templates", [])
            if not items:
                return False, None
            meta = items[0].get("component_template", {}).get("_meta", {})
        else:
            found = client.indices.get_index_template(name=obj.name).body
            items = found.get("index_templates", [])
            if not items:
                return False, None
            meta = items[0].get("index_template", {}).get("_meta", {})
    except NotFoundError:
        return False, None
    return True, (meta or {}).get("pantau_hash")


def _put(client: Any, obj: ConfigObject) -> None:
    body = obj.stamped()
    if obj.kind == "ilm":
        client.ilm.put_lifecycle(name=obj.name, body=body)
    elif obj.kind == "component_templates":
        client.cluster.put_component_template(name=obj.name, body=body)
    else:
        client.indices.put_index_template(name=obj.name, body=body)


KIND_LABELS = {
    "ilm": "ILM policy",
    "component_templates": "component template",
    "index_templates": "index template",
}


def apply_templates(client: Any, config: IndexConfig) -> list[Change]:
    """Put every policy and template whose stamp differs from the file's."""
    changes = []
    for kind in ("ilm", "component_templates", "index_templates"):
        for obj in config.of_kind(kind):
            exists, stamp = _existing_stamp(client, obj)
            label = KIND_LABELS[kind]
            if exists and stamp == obj.digest:
                changes.append(Change("unchanged", label, obj.name))
                continue
            _put(client, obj)
            changes.append(Change("updated" if exists else "created", label, obj.name))
    return changes


def alias_indices(client: Any, alias: str) -> dict[str, dict[str, Any]]:
    """index -> alias settings for every index behind ``alias`` ({} when there is none)."""
    from elasticsearch import NotFoundError

    try:
        found = client.indices.get_alias(name=alias).body
    except NotFoundError:
        return {}
    return {index: info.get("aliases", {}).get(alias, {}) for index, info in found.items()}


def write_index(client: Any, write_alias: str) -> str | None:
    """The concrete index that receives writes through ``write_alias``."""
    indices = alias_indices(client, write_alias)
    if not indices:
        return None
    flagged = [name for name, info in indices.items() if info.get("is_write_index")]
    if flagged:
        return flagged[0]
    return max(indices, key=lambda name: index_version(name) or 0)


def existing_generations(client: Any, pattern: str) -> list[str]:
    """Concrete indices matching ``pattern`` (``prefix-articles-v*``), oldest first."""
    found = client.indices.get(index=pattern, allow_no_indices=True, expand_wildcards="open").body
    names = [name for name in found if index_version(name) is not None]
    return sorted(names, key=lambda name: index_version(name) or 0)


def index_stamp(client: Any, index: str) -> str | None:
    mapping = client.indices.get_mapping(index=index).body
    return mapping.get(index, {}).get("mappings", {}).get("_meta", {}).get("pantau_templates")


def create_generation(
    client: Any, index: str, digest: str, aliases: dict[str, dict[str, Any]] | None = None
) -> None:
    """Create ``index`` from its template, stamped with the digest of the templates it used."""
    body: dict[str, Any] = {"mappings": {"_meta": {"pantau_templates": digest}}}
    if aliases:
        body["aliases"] = aliases
    client.indices.create(index=index, body=body)


def ensure_generation(
    client: Any,
    config: IndexConfig,
    *,
    template: ConfigObject,
    read_alias: str,
    write_alias: str | None,
    first_index: str,
    pattern: str,
    kind: str,
) -> list[Change]:
    """Make sure a generation exists behind ``read_alias`` (and ``write_alias``); never delete."""
    digest = config.template_digest(template)
    changes: list[Change] = []
    behind_read = alias_indices(client, read_alias)
    write_target = write_alias or read_alias
    if not behind_read:
        generations = existing_generations(client, pattern)
        if not generations:
            aliases = {read_alias: {"is_write_index": True} if write_alias is None else {}}
            if write_alias:
                aliases[write_alias] = {"is_write_index": True}
            create_generation(client, first_index, digest, aliases)
            names = ", ".join(aliases)
            return [Change("created", kind, first_index, f"aliases {names}")]
        # Indices exist but the aliases were removed: point them at the newest generation.
        newest = generations[-1]
        actions = [{"add": {"index": newest, "alias": read_alias}}]
        if write_alias:
            actions.append({"add": {"index": newest, "alias": write_alias, "is_write_index": True}})
        else:
            actions[0]["add"]["is_write_index"] = True
        client.indices.update_aliases(body={"actions": actions})
        changes.append(Change("updated", "alias", read_alias, f"now on {newest}"))
        behind_read = {newest: {}}
    elif write_alias and not alias_indices(client, write_alias):
        newest = max(behind_read, key=lambda name: index_version(name) or 0)
        client.indices.update_aliases(
            body={
                "actions": [
                    {"add": {"index": newest, "alias": write_alias, "is_write_index": True}}
                ]
            }
        )
        changes.append(Change("updated", "alias", write_alias, f"now on {newest}"))
    current = write_index(client, write_target) or max(behind_read)
    stamp = index_stamp(client, current)
    if stamp == digest:
        changes.append(Change("unchanged", kind, current))
    else:
        changes.append(
            Change(
                "warning",
                kind,
                current,
                "built from older templates (analysis or mappings changed): "
                "run `pantau es migrate` to rebuild it",
            )
        )
    return changes


def ensure_indices(client: Any, config: IndexConfig) -> list[Change]:
    names = config.names
    return [
        *ensure_generation(
            client,
            config,
            template=config.articles_template,
            read_alias=names.articles,
            write_alias=names.articles_write,
            first_index=names.articles_index(1),
            pattern=f"{names.prefix}-articles-v*",
            kind="index",
        ),
        *ensure_generation(
            client,
            config,
            template=config.queries_template,
            read_alias=names.queries,
            write_alias=None,
            first_index=names.queries_index(1),
            pattern=f"{names.prefix}-queries-v*",
            kind="percolator index",
        ),
    ]


def run_setup(client: Any, config: IndexConfig, rules: Sequence[Any] | None = None) -> list[Change]:
    """Everything `pantau es setup` does; ``rules`` None skips the saved queries."""
    from pantau.es.percolator import register_saved_queries

    changes = apply_templates(client, config)
    changes += ensure_indices(client, config)
    if rules is not None:
        changes += register_saved_queries(client, rules, config.names)
    return changes
