"""What `pantau es status` says about the cluster side."""

from __future__ import annotations

from typing import Any

from pantau.es.index_config import IndexConfig
from pantau.es.setup import alias_indices, index_stamp, write_index


def cluster_status(client: Any, config: IndexConfig) -> list[str]:
    names = config.names
    info = client.info().body
    health = client.cluster.health().body
    lines = [
        f"cluster   {info.get('cluster_name')} (Elasticsearch "
        f"{info.get('version', {}).get('number')}, status {health.get('status')})"
    ]
    for label, read, write, template in (
        ("articles", names.articles, names.articles_write, config.articles_template),
        ("queries", names.queries, None, config.queries_template),
    ):
        behind = alias_indices(client, read)
        if not behind:
            lines.append(f"{label:<9} {read}: missing (run `pantau es setup`)")
            continue
        target = write_index(client, write or read)
        count = client.count(index=read).body.get("count", 0)
        current = (
            index_stamp(client, target) == config.template_digest(template) if target else False
        )
        state = "templates current" if current else "built from older templates: run migrate"
        lines.append(
            f"{label:<9} {read} -> {', '.join(sorted(behind))} (writes: {target}), "
            f"{count} document(s), {state}"
        )
    return lines
