"""`pantau es migrate`: a new index generation from the current templates, without downtime.

For the articles and for the saved queries: create ``...-v(N+1)`` from the current templates,
copy everything from ``...-vN`` with ``_reindex`` (articles keep their external versions), swap
the aliases in one atomic ``_aliases`` request, then copy once more to pick up what the crawl wrote
to the old generation while the first copy ran (external versions make the second pass skip what
is already there). The old generation is kept; unless ``keep_old``, it is handed to the
``pantau-retired`` ILM policy, which deletes it 30 days after the swap.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import Any

from pantau.es.index_config import ConfigObject, IndexConfig
from pantau.es.names import index_version
from pantau.es.setup import (
    Change,
    apply_templates,
    create_generation,
    ensure_indices,
    index_stamp,
    write_index,
)


class MigrateError(RuntimeError):
    pass


def _reindex(
    client: Any,
    source: str,
    dest: str,
    *,
    external: bool,
    poll: float,
    say: Callable[[str], None],
) -> dict[str, Any]:
    """Run ``_reindex`` as a task and wait for it, reporting progress."""
    from elasticsearch.exceptions import GeneralAvailabilityWarning

    dest_body: dict[str, Any] = {"index": dest}
    if external:
        dest_body["version_type"] = "external"
    started = client.reindex(
        body={"source": {"index": source}, "dest": dest_body, "conflicts": "proceed"},
        wait_for_completion=False,
        refresh=True,
    ).body
    task_id = started["task"]
    while True:
        with warnings.catch_warnings():
            # The tasks API is how a reindex is followed; the client flags it "technical
            # preview" on every call, which says nothing about this use.
            warnings.simplefilter("ignore", GeneralAvailabilityWarning)
            task = client.tasks.get(task_id=task_id).body
        status = task.get("task", {}).get("status", {})
        if task.get("completed"):
            response = task.get("response", {})
            failures = response.get("failures") or []
            if task.get("error") or failures:
                problem = task.get("error") or failures[0]
                raise MigrateError(f"reindex {source} -> {dest} failed: {problem}")
            return response
        say(
            f"  copying {source} -> {dest}: {status.get('created', 0) + status.get('updated', 0)}"
            f" of {status.get('total', '?')}"
        )
        time.sleep(poll)


def _migrate_one(
    client: Any,
    config: IndexConfig,
    *,
    template: ConfigObject,
    read_alias: str,
    write_alias: str | None,
    index_name: Callable[[int], str],
    external: bool,
    force: bool,
    keep_old: bool,
    poll: float,
    say: Callable[[str], None],
) -> list[Change]:
    target_alias = write_alias or read_alias
    current = write_index(client, target_alias)
    if current is None:
        raise MigrateError(f"no index behind {target_alias}; run `pantau es setup` first")
    version = index_version(current)
    if version is None:
        raise MigrateError(f"{current} is not a versioned index (expected a name ending -vN)")
    digest = config.template_digest(template)
    if index_stamp(client, current) == digest and not force:
        return [Change("unchanged", "index", current, "already built from the current templates")]
    new = index_name(version + 1)
    changes = []
    if client.indices.exists(index=new):
        changes.append(Change("unchanged", "index", new, "exists (resuming an earlier migrate)"))
    else:
        create_generation(client, new, digest)
        changes.append(Change("created", "index", new))
    first = _reindex(client, current, new, external=external, poll=poll, say=say)
    actions: list[dict[str, Any]] = [
        {"remove": {"index": current, "alias": read_alias}},
        {
            "add": {
                "index": new,
                "alias": read_alias,
                **({} if write_alias else {"is_write_index": True}),
            }
        },
    ]
    if write_alias:
        actions += [
            {"remove": {"index": current, "alias": write_alias}},
            {"add": {"index": new, "alias": write_alias, "is_write_index": True}},
        ]
    client.indices.update_aliases(body={"actions": actions})
    aliases = f"{read_alias}, {write_alias}" if write_alias else read_alias
    changes.append(
        Change("updated", "alias", aliases, f"{current} -> {new} ({first.get('total', 0)} copied)")
    )
    if external:
        late = _reindex(client, current, new, external=True, poll=poll, say=say)
        if late.get("created") or late.get("updated"):
            changes.append(
                Change(
                    "updated",
                    "index",
                    new,
                    f"{late.get('created', 0) + late.get('updated', 0)} written during the copy",
                )
            )
    if keep_old:
        changes.append(Change("unchanged", "index", current, "kept (--keep-old)"))
    else:
        client.indices.put_settings(
            index=current,
            body={
                "index.lifecycle.name": config.names.retired_policy,
                "index.lifecycle.origination_date": int(time.time() * 1000),
            },
        )
        changes.append(
            Change("updated", "index", current, "retired: deleted by ILM 30 days from now")
        )
    return changes


def run_migrate(
    client: Any,
    config: IndexConfig,
    *,
    force: bool = False,
    keep_old: bool = False,
    poll: float = 2.0,
    say: Callable[[str], None] = print,
) -> list[Change]:
    """Templates first (the new generation is built from them), then both generations."""
    changes = apply_templates(client, config)
    # The aliases must exist before there is anything to migrate from.
    changes += [c for c in ensure_indices(client, config) if c.action != "warning"]
    names = config.names
    generations = (
        (config.articles_template, names.articles, names.articles_write, names.articles_index),
        (config.queries_template, names.queries, None, names.queries_index),
    )
    for template, read_alias, write_alias, index_name in generations:
        changes += _migrate_one(
            client,
            config,
            template=template,
            read_alias=read_alias,
            write_alias=write_alias,
            index_name=index_name,
            # Articles keep their versions so the late copy cannot undo a newer write.
            external=write_alias is not None,
            force=force,
            keep_old=keep_old,
            poll=poll,
            say=say,
        )
    return changes
