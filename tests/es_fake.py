"""A loopback stand-in for an Elasticsearch 8 cluster and for Kibana's import API.

``FakeCluster`` answers over real HTTP on 127.0.0.1 (a random port), so the official client,
its product check, the bulk helper and the transport's error handling all run for real. It keeps
ILM policies, component and index templates, indices (created from the matching composable
template), aliases and documents in memory, and it plays the cluster's part where the tests need
it: external versioning (409 for an older or identical copy), ``require_alias``, date and number
checks against the mapping (400 for a document that does not fit), ``_reindex`` as a task, a
small search evaluator (match_all, bool, term(s), range, a word-level query_string) with terms,
cardinality and top_hits aggregations, and ``percolate`` over stored queries with that evaluator.

Scripting for failure tests:

- ``item_failures[doc_id] = [429, 503]``: the next bulk attempts for that id get these statuses;
- ``request_failures = [503]``: the next ``_bulk`` requests fail whole with these statuses;
- ``bulk_delay``: seconds each ``_bulk`` waits before answering;
- ``after_reindex``: callables run after each ``_reindex`` copy (a crawl writing meanwhile);
- ``stop()`` / ``start()``: stop listening and come back on the same port.

``requests`` records every request (method, path, query, body) for the tests to check shapes.

``FakeKibana`` accepts ``POST /api/saved_objects/_import`` multipart uploads, checks the
``kbn-xsrf`` header and credentials, resolves references like Kibana (an object whose reference
is neither in the file nor already stored fails with ``missing_references``), and answers with
``successResults`` and ``errors``; ``fail_ids`` makes chosen objects fail.
"""

from __future__ import annotations

import copy
import email.parser
import email.policy
import fnmatch
import itertools
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from pantau.es.index_config import deep_merge

ES_VERSION = "8.15.0"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any  # parsed JSON, a list of parsed NDJSON lines, raw bytes, or None


class ApiFailure(Exception):
    def __init__(self, status: int, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.kind, self.reason = status, kind, reason

    def body(self) -> dict[str, Any]:
        cause = {"type": self.kind, "reason": self.reason}
        return {"error": {"root_cause": [cause], **cause}, "status": self.status}


@dataclass
class FakeIndex:
    name: str
    settings: dict[str, Any]
    mappings: dict[str, Any]
    aliases: dict[str, dict[str, Any]] = field(default_factory=dict)
    docs: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)  # id -> (v, src)


# -- the HTTP side shared by both fakes -----------------------------------------------------------
class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client gone mid-answer (a stopped node cuts its connections) is no test failure."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Server:
    """A ThreadingHTTPServer that can stop listening and come back on the same port."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], owner: Any) -> None:
        self.handler = handler
        self.owner = owner
        self.port = 0
        self.httpd: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.connections: set[socket.socket] = set()
        self.lock = threading.Lock()

    def start(self) -> None:
        owner = self.owner

        server = self

        class Bound(self.handler):  # type: ignore[misc,valid-type]
            fake = owner

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes; without this, Nagle's algorithm and
                # delayed ACKs add 40 ms to every request.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with server.lock:
                    server.connections.add(self.connection)

            def finish(self) -> None:
                with server.lock:
                    server.connections.discard(self.connection)
                super().finish()

        self.httpd = _QuietServer(("127.0.0.1", self.port), Bound)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        """Stop listening and cut open keep-alive connections, as a dying node would."""
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        with self.lock:
            open_connections, self.connections = list(self.connections), set()
        for connection in open_connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class _Listening:
    """Start, stop and come back on the same port."""

    _server: _Server

    def start(self) -> Any:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    @property
    def url(self) -> str:
        return self._server.url


class _Handler(BaseHTTPRequestHandler):
    fake: Any
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet tests
        pass

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode("utf-8")
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        raise NotImplementedError


# -- Elasticsearch --------------------------------------------------------------------------------
class _EsHandler(_Handler):
    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        raw = self._read_body()
        body: Any = None
        if raw:
            if "ndjson" in (self.headers.get("Content-Type") or "") or parts.path.endswith("_bulk"):
                body = [json.loads(line) for line in raw.splitlines() if line.strip()]
            else:
                body = json.loads(raw)
        fake: FakeCluster = self.fake
        fake.requests.append(
            Recorded(self.command, unquote(parts.path), query, dict(self.headers), body)
        )
        try:
            status, answer = fake.handle(self.command, unquote(parts.path), query, body)
        except ApiFailure as exc:
            status, answer = exc.status, exc.body()
        self._send(status, answer, {"X-Elastic-Product": "Elasticsearch"})


class FakeCluster(_Listening):
    """In-memory Elasticsearch 8 (module docstring)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.ilm: dict[str, dict[str, Any]] = {}
        self.component_templates: dict[str, dict[str, Any]] = {}
        self.index_templates: dict[str, dict[str, Any]] = {}
        self.indices: dict[str, FakeIndex] = {}
        self.tasks: dict[str, dict[str, Any]] = {}
        self.requests: list[Recorded] = []
        self.item_failures: dict[str, list[int]] = {}
        self.request_failures: list[int] = []
        self.bulk_delay = 0.0
        self.after_reindex: list[Any] = []  # callables run after each _reindex copy
        self._task_ids = itertools.count(1)
        self._server = _Server(_EsHandler, self)

    def writes(self) -> list[Recorded]:
        """Requests that would change the cluster (PUT, POST except searches, DELETE)."""
        reads = ("/_search", "/_count", "/_refresh", "/_mapping")
        return [
            r
            for r in self.requests
            if r.method in ("PUT", "DELETE") or (r.method == "POST" and not r.path.endswith(reads))
        ]

    def bulk_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/_bulk")]

    def docs(self, alias_or_index: str) -> dict[str, tuple[int, dict[str, Any]]]:
        found: dict[str, tuple[int, dict[str, Any]]] = {}
        for index in self._resolve(alias_or_index, must_exist=False):
            found.update(self.indices[index].docs)
        return found

    # routing ------------------------------------------------------------------------------------
    def handle(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        with self.lock:
            segments = [s for s in path.split("/") if s]
            if not segments:
                if method == "HEAD":
                    return 200, None
                return 200, {
                    "name": "fake",
                    "cluster_name": "pantau-fake",
                    "version": {"number": ES_VERSION, "build_flavor": "default"},
                    "tagline": "You Know, for Search",
                }
            head = segments[0]
            if head == "_cluster" and segments[1:] == ["health"]:
                return 200, {"cluster_name": "pantau-fake", "status": "green"}
            if head == "_ilm":
                return self._ilm(method, segments[2], body)
            if head == "_component_template":
                return self._template(self.component_templates, "component", method, segments, body)
            if head == "_index_template":
                return self._template(self.index_templates, "index", method, segments, body)
            if head == "_aliases":
                return self._update_aliases(body)
            if head == "_alias":
                return self._get_alias(method, segments[1])
            if head == "_bulk":
                return self._bulk(query, body)
            if head == "_reindex":
                return self._reindex(query, body)
            if head == "_tasks":
                return 200, self.tasks[segments[1]]
            if head == "_search":
                return self._search("*", body or {}, query)
            return self._index_api(method, segments, query, body)

    # ILM and templates --------------------------------------------------------------------------
    def _ilm(self, method: str, name: str, body: Any) -> tuple[int, Any]:
        if method == "PUT":
            self.ilm[name] = copy.deepcopy(body["policy"])
            return 200, {"acknowledged": True}
        if name not in self.ilm:
            raise ApiFailure(
                404, "resource_not_found_exception", f"Lifecycle policy not found: {name}"
            )
        return 200, {name: {"version": 1, "policy": copy.deepcopy(self.ilm[name])}}

    def _template(
        self, store: dict[str, Any], kind: str, method: str, segments: list[str], body: Any
    ) -> tuple[int, Any]:
        name = segments[1]
        if method == "PUT":
            for component in body.get("composed_of", []):
                if component not in self.component_templates:
                    raise ApiFailure(
                        400, "invalid_index_template_exception", f"missing component {component}"
                    )
            store[name] = copy.deepcopy(body)
            return 200, {"acknowledged": True}
        if name not in store:
            raise ApiFailure(404, "resource_not_found_exception", f"{kind} template {name} missing")
        key = "component_template" if kind == "component" else "index_template"
        return 200, {f"{key}s": [{"name": name, key: copy.deepcopy(store[name])}]}

    # indices and aliases ------------------------------------------------------------------------
    def _resolve(self, target: str, *, must_exist: bool = True) -> list[str]:
        names: list[str] = []
        for part in target.split(","):
            if part in ("*", "_all"):
                names += list(self.indices)
            elif "*" in part:
                names += [n for n in self.indices if fnmatch.fnmatchcase(n, part)]
            elif part in self.indices:
                names.append(part)
            else:
                behind = [n for n, idx in self.indices.items() if part in idx.aliases]
                if not behind and must_exist:
                    raise ApiFailure(404, "index_not_found_exception", f"no such index [{part}]")
                names += behind
        return names

    def _write_target(self, alias: str) -> str | None:
        behind = [n for n, idx in self.indices.items() if alias in idx.aliases]
        if len(behind) == 1:
            return behind[0]
        flagged = [n for n in behind if self.indices[n].aliases[alias].get("is_write_index")]
        return flagged[0] if flagged else None

    def _create_index(self, name: str, body: dict[str, Any] | None) -> FakeIndex:
        if name in self.indices:
            raise ApiFailure(400, "resource_already_exists_exception", f"index [{name}] exists")
        matching = [
            t
            for t in self.index_templates.values()
            if any(fnmatch.fnmatchcase(name, p) for p in t.get("index_patterns", []))
        ]
        composed: dict[str, Any] = {}
        if matching:
            template = max(matching, key=lambda t: t.get("priority", 0))
            for component in template.get("composed_of", []):
                deep_merge(composed, self.component_templates[component].get("template", {}))
            deep_merge(composed, template.get("template", {}))
        deep_merge(composed, {k: v for k, v in (body or {}).items() if k != "aliases"})
        index = FakeIndex(name, composed.get("settings", {}), composed.get("mappings", {}))
        for alias, options in {
            **composed.get("aliases", {}),
            **(body or {}).get("aliases", {}),
        }.items():
            index.aliases[alias] = dict(options)
        self.indices[name] = index
        return index

    def _update_aliases(self, body: dict[str, Any]) -> tuple[int, Any]:
        staged = {name: copy.deepcopy(idx.aliases) for name, idx in self.indices.items()}
        for action in body["actions"]:
            ((verb, spec),) = action.items()
            if spec["index"] not in staged:
                raise ApiFailure(
                    404, "index_not_found_exception", f"no such index [{spec['index']}]"
                )
            if verb == "add":
                staged[spec["index"]][spec["alias"]] = {
                    k: v for k, v in spec.items() if k not in ("index", "alias")
                }
            elif verb == "remove":
                if spec["alias"] not in staged[spec["index"]]:
                    raise ApiFailure(404, "aliases_not_found_exception", f"{spec['alias']} missing")
                del staged[spec["index"]][spec["alias"]]
        for name, aliases in staged.items():  # all or nothing, like the real API
            self.indices[name].aliases = aliases
        return 200, {"acknowledged": True}

    def _get_alias(self, method: str, alias: str) -> tuple[int, Any]:
        found = {
            name: {"aliases": {alias: copy.deepcopy(idx.aliases[alias])}}
            for name, idx in self.indices.items()
            if alias in idx.aliases
        }
        if not found:
            if method == "HEAD":
                return 404, None
            return 404, {"error": f"alias [{alias}] missing", "status": 404}
        return 200, None if method == "HEAD" else found

    def _index_api(
        self, method: str, segments: list[str], query: dict[str, str], body: Any
    ) -> tuple[int, Any]:
        target = segments[0]
        rest = segments[1:]
        if not rest:
            if method == "PUT":
                self._create_index(target, body)
                return 200, {"acknowledged": True, "index": target}
            if method == "HEAD":
                return (200 if self._resolve(target, must_exist=False) else 404), None
            if method == "DELETE":
                for name in self._resolve(target):
                    del self.indices[name]
                return 200, {"acknowledged": True}
            names = self._resolve(target, must_exist=query.get("allow_no_indices") != "true")
            return 200, {
                n: {
                    "aliases": self.indices[n].aliases,
                    "mappings": self.indices[n].mappings,
                    "settings": self.indices[n].settings,
                }
                for n in names
            }
        action = rest[0]
        if action == "_mapping":
            return 200, {n: {"mappings": self.indices[n].mappings} for n in self._resolve(target)}
        if action == "_settings":
            for name in self._resolve(target):
                deep_merge(self.indices[name].settings, _unflatten(body))
            return 200, {"acknowledged": True}
        if action == "_refresh":
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if action == "_count":
            return 200, {"count": len(self._matching(target, (body or {}).get("query")))}
        if action == "_search":
            return self._search(target, body or {}, query)
        if action == "_doc":
            return self._doc(method, target, rest[1], body)
        raise ApiFailure(400, "illegal_argument_exception", f"fake cannot {method} {segments}")

    def _doc(self, method: str, target: str, doc_id: str, body: Any) -> tuple[int, Any]:
        if method in ("PUT", "POST"):
            index = self._write_target(target) or target
            if index not in self.indices:
                self._create_index(index, None)
            error = self._check_document(self.indices[index], body)
            if error:
                raise ApiFailure(400, "document_parsing_exception", error)
            existed = doc_id in self.indices[index].docs
            version = self.indices[index].docs[doc_id][0] + 1 if existed else 1
            self.indices[index].docs[doc_id] = (version, copy.deepcopy(body))
            return (200 if existed else 201), {
                "_index": index,
                "_id": doc_id,
                "_version": version,
                "result": "updated" if existed else "created",
            }
        for name in self._resolve(target):
            docs = self.indices[name].docs
            if doc_id in docs:
                if method == "DELETE":
                    del docs[doc_id]
                    return 200, {"_index": name, "_id": doc_id, "result": "deleted"}
                version, source = docs[doc_id]
                return 200, {
                    "_index": name,
                    "_id": doc_id,
                    "_version": version,
                    "found": True,
                    "_source": source,
                }
        return 404, {"_index": target, "_id": doc_id, "found": False}

    # documents ----------------------------------------------------------------------------------
    def _check_document(self, index: FakeIndex, doc: dict[str, Any]) -> str | None:
        """What a real cluster would refuse: a value that does not parse as its mapped type."""
        props = index.mappings.get("properties", {})
        for name, value in doc.items():
            kind = props.get(name, {}).get("type")
            values = value if isinstance(value, list) else [value]
            for one in values:
                if kind == "date":
                    try:
                        datetime.fromisoformat(str(one).replace("Z", "+00:00"))
                    except ValueError:
                        return f"[1:1] failed to parse field [{name}] of type [date]: {one!r}"
                if kind in ("float", "integer", "long") and not isinstance(one, int | float):
                    return f"[1:1] failed to parse field [{name}] of type [{kind}]: {one!r}"
        return None

    def _bulk(self, query: dict[str, str], lines: list[dict[str, Any]]) -> tuple[int, Any]:
        if self.bulk_delay:
            self.lock.release()
            try:
                time.sleep(self.bulk_delay)
            finally:
                self.lock.acquire()
        if self.request_failures:
            status = self.request_failures.pop(0)
            raise ApiFailure(status, "unavailable_shards_exception", f"scripted {status}")
        items = []
        pairs = iter(lines)
        for action in pairs:
            ((op, meta),) = action.items()
            source = next(pairs)
            items.append({op: self._bulk_one(meta, source, query.get("require_alias") == "true")})
        errors = any(not 200 <= next(iter(i.values()))["status"] < 300 for i in items)
        return 200, {"took": 1, "errors": errors, "items": items}

    def _bulk_one(self, meta: dict[str, Any], source: dict[str, Any], require_alias: bool) -> dict:
        target, doc_id = meta["_index"], meta.get("_id")
        answer: dict[str, Any] = {"_index": target, "_id": doc_id}
        scripted = self.item_failures.get(doc_id)
        if scripted:
            status = scripted.pop(0)
            kind = "es_rejected_execution_exception" if status == 429 else "scripted_exception"
            if status == 400:
                kind = "document_parsing_exception"
            return {
                **answer,
                "status": status,
                "error": {"type": kind, "reason": f"scripted {status}"},
            }
        is_alias = any(target in idx.aliases for idx in self.indices.values())
        if require_alias and not is_alias:
            return {
                **answer,
                "status": 404,
                "error": {
                    "type": "index_not_found_exception",
                    "reason": f"no such index [{target}] and [require_alias] request flag is "
                    f"[true] and [{target}] is not an alias",
                },
            }
        index_name = self._write_target(target) if is_alias else target
        if index_name is None:
            raise ApiFailure(400, "illegal_argument_exception", f"no write index for {target}")
        if index_name not in self.indices:
            self._create_index(index_name, None)
        index = self.indices[index_name]
        answer["_index"] = index_name
        error = self._check_document(index, source)
        if error:
            return {
                **answer,
                "status": 400,
                "error": {"type": "document_parsing_exception", "reason": error},
            }
        version = meta.get("version")
        existing = index.docs.get(doc_id)
        if meta.get("version_type") == "external":
            if existing and existing[0] >= version:
                return {
                    **answer,
                    "status": 409,
                    "error": {
                        "type": "version_conflict_engine_exception",
                        "reason": f"[{doc_id}]: version conflict, current version "
                        f"[{existing[0]}] is higher or equal to the one provided [{version}]",
                    },
                }
        else:
            version = existing[0] + 1 if existing else 1
        index.docs[doc_id] = (version, copy.deepcopy(source))
        return {
            **answer,
            "status": 200 if existing else 201,
            "_version": version,
            "result": "updated" if existing else "created",
        }

    def _reindex(self, query: dict[str, str], body: dict[str, Any]) -> tuple[int, Any]:
        source_names = self._resolve(body["source"]["index"])
        dest = body["dest"]["index"]
        if dest not in self.indices:
            self._create_index(dest, None)
        external = body["dest"].get("version_type") == "external"
        created = updated = conflicts = total = 0
        for name in source_names:
            for doc_id, (version, source) in list(self.indices[name].docs.items()):
                total += 1
                existing = self.indices[dest].docs.get(doc_id)
                if external and existing and existing[0] >= version:
                    conflicts += 1
                    continue
                new_version = version if external else (existing[0] + 1 if existing else 1)
                self.indices[dest].docs[doc_id] = (new_version, copy.deepcopy(source))
                if existing:
                    updated += 1
                else:
                    created += 1
        for hook in self.after_reindex:
            hook(self)
        response = {
            "total": total,
            "created": created,
            "updated": updated,
            "version_conflicts": conflicts,
            "failures": [],
        }
        if query.get("wait_for_completion") == "false":
            task_id = f"fake:{next(self._task_ids)}"
            self.tasks[task_id] = {
                "completed": True,
                "task": {"status": {"total": total, "created": created, "updated": updated}},
                "response": response,
            }
            return 200, {"task": task_id}
        return 200, response

    # search -------------------------------------------------------------------------------------
    def _matching(self, target: str, query: dict[str, Any] | None) -> list[tuple[str, str, dict]]:
        hits = []
        for name in self._resolve(target, must_exist=False):
            for doc_id, (_, source) in self.indices[name].docs.items():
                if query is None or evaluate(query, source):
                    hits.append((name, doc_id, source))
        return hits

    def _search(self, target: str, body: dict[str, Any], query: dict[str, str]) -> tuple[int, Any]:
        q = body.get("query")
        if q and "percolate" in q:
            return 200, self._percolate(target, q["percolate"])
        matched = self._matching(target, q)
        for key in reversed(body.get("sort") or []):
            if isinstance(key, dict):
                ((name, order),) = key.items()
                direction = order if isinstance(order, str) else order.get("order", "asc")
                matched.sort(
                    key=lambda h, n=name: str(h[2].get(n) or ""), reverse=direction == "desc"
                )
        size = int(body.get("size", query.get("size", 10)))
        hits = [
            {
                "_index": n,
                "_id": i,
                "_score": 1.0,
                "_source": _source_filter(s, body.get("_source")),
            }
            for n, i, s in matched[:size]
        ]
        answer: dict[str, Any] = {
            "took": 1,
            "timed_out": False,
            "hits": {"total": {"value": len(matched), "relation": "eq"}, "hits": hits},
        }
        aggs = body.get("aggs") or body.get("aggregations")
        if aggs:
            answer["aggregations"] = aggregate(aggs, [s for _, _, s in matched])
        return 200, answer

    def _percolate(self, target: str, spec: dict[str, Any]) -> dict[str, Any]:
        documents = spec.get("documents") or [spec["document"]]
        hits = []
        for name, doc_id, stored in self._matching(target, None):
            slots = [i for i, doc in enumerate(documents) if evaluate(stored[spec["field"]], doc)]
            if slots:
                hits.append(
                    {
                        "_index": name,
                        "_id": doc_id,
                        "_score": 1.0,
                        "_source": stored,
                        "fields": {"_percolator_document_slot": slots},
                    }
                )
        return {"hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits}}


# -- a small query evaluator, enough for the tests -----------------------------------------------
_WORD = re.compile(r"\w+", re.UNICODE)


def _values(doc: dict[str, Any], field_name: str) -> list[Any]:
    field_name = field_name.split("^")[0].removesuffix(".exact").removesuffix(".keyword")
    value = doc.get(field_name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _query_string(spec: dict[str, Any], doc: dict[str, Any]) -> bool:
    """Word-level: every bare word (AND) appears in one of the fields; field:value is exact;
    OR between two words and quoted phrases are understood; anything else is not."""
    text = spec["query"]
    if text.count('"') % 2 or text.count("(") != text.count(")"):
        raise ApiFailure(400, "query_shard_exception", f"Failed to parse query [{text}]")
    fields = spec.get("fields") or ["title", "body"]
    words = " ".join(str(v) for f in fields for v in _values(doc, f)).lower()
    tokens = set(_WORD.findall(words))
    for alternative in re.split(r"\s+OR\s+", text):
        ok = True
        for term in re.findall(r'[\w.]+:"[^"]*"|[\w.]+:\S+|"[^"]*"|\S+', alternative):
            if term in ("AND",):
                continue
            if ":" in term and not term.startswith('"'):
                name, value = term.split(":", 1)
                ok &= value.strip('"') in [str(v) for v in _values(doc, name)]
            elif term.startswith('"'):
                ok &= " ".join(_WORD.findall(term.lower())) in " ".join(_WORD.findall(words))
            else:
                ok &= all(w in tokens for w in _WORD.findall(term.lower()))
        if ok:
            return True
    return False


def evaluate(query: dict[str, Any], doc: dict[str, Any]) -> bool:
    ((kind, spec),) = query.items()
    if kind == "match_all":
        return True
    if kind == "bool":
        must = spec.get("must", []) + spec.get("filter", [])
        must = must if isinstance(must, list) else [must]
        should = spec.get("should", [])
        return (
            all(evaluate(q, doc) for q in must)
            and not any(evaluate(q, doc) for q in spec.get("must_not", []))
            and (not should or any(evaluate(q, doc) for q in should))
        )
    if kind == "term":
        ((name, value),) = spec.items()
        value = value["value"] if isinstance(value, dict) else value
        return value in _values(doc, name)
    if kind == "terms":
        ((name, values),) = spec.items()
        return bool(set(map(str, values)) & set(map(str, _values(doc, name))))
    if kind == "range":
        ((name, bounds),) = spec.items()
        present = _values(doc, name)
        if not present:
            return False
        moment = datetime.fromisoformat(str(present[0]).replace("Z", "+00:00"))
        for op, raw in bounds.items():
            limit = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
            if (op == "gte" and moment < limit) or (op == "lte" and moment > limit):
                return False
        return True
    if kind == "query_string":
        return _query_string(spec, doc)
    raise ApiFailure(400, "parsing_exception", f"fake does not know the query [{kind}]")


def aggregate(aggs: dict[str, Any], docs: list[dict[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, spec in aggs.items():
        sub = spec.get("aggs") or spec.get("aggregations")
        if "terms" in spec:
            groups: dict[Any, list[dict[str, Any]]] = {}
            for doc in docs:
                for value in _values(doc, spec["terms"]["field"]):
                    groups.setdefault(value, []).append(doc)
            ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), str(kv[0])))
            buckets = []
            for key, members in ordered[: spec["terms"].get("size", 10)]:
                bucket = {"key": key, "doc_count": len(members)}
                if sub:
                    bucket.update(aggregate(sub, members))
                buckets.append(bucket)
            result[name] = {"buckets": buckets}
        elif "cardinality" in spec:
            seen = {str(v) for doc in docs for v in _values(doc, spec["cardinality"]["field"])}
            result[name] = {"value": len(seen)}
        elif "top_hits" in spec:
            top = spec["top_hits"]
            ordered = list(docs)
            for key in reversed(top.get("sort", [])):
                ((field_name, order),) = key.items()
                ordered.sort(
                    key=lambda d, f=field_name: str(d.get(f) or ""), reverse=order == "desc"
                )
            hits = [
                {"_source": _source_filter(d, top.get("_source"))}
                for d in ordered[: top.get("size", 3)]
            ]
            result[name] = {"hits": {"total": {"value": len(docs)}, "hits": hits}}
        else:
            raise ApiFailure(400, "parsing_exception", f"fake does not know the aggregation {spec}")
    return result


def _source_filter(source: dict[str, Any], spec: Any) -> dict[str, Any]:
    if spec is None or spec is True:
        return copy.deepcopy(source)
    if isinstance(spec, list):
        keep = set()
        for pattern in spec:
            keep |= {
                k for k in source if fnmatch.fnmatchcase(k, pattern) or pattern.startswith(f"{k}.")
            }
        return {k: copy.deepcopy(v) for k, v in source.items() if k in keep}
    if isinstance(spec, dict):
        excludes = set(spec.get("excludes", []))
        return {k: copy.deepcopy(v) for k, v in source.items() if k not in excludes}
    return copy.deepcopy(source)


def _unflatten(settings: dict[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in settings.items():
        if isinstance(value, dict):
            value = _unflatten(value)
        node = nested
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if isinstance(value, dict) and isinstance(node.get(parts[-1]), dict):
            deep_merge(node[parts[-1]], value)
        else:
            node[parts[-1]] = value
    return nested


# -- Kibana ---------------------------------------------------------------------------------------
KIBANA_TYPES = {"index-pattern", "search", "visualization", "dashboard", "lens", "config"}


class _KibanaHandler(_Handler):
    def _dispatch(self) -> None:
        fake: FakeKibana = self.fake
        parts = urlsplit(self.path)
        raw = self._read_body()
        fake.requests.append(
            Recorded(self.command, parts.path, dict(parse_qs(parts.query)), dict(self.headers), raw)
        )
        if not re.fullmatch(r"(/s/[^/]+)?/api/saved_objects/_import", parts.path):
            self._send(404, {"statusCode": 404, "error": "Not Found"})
            return
        if "kbn-xsrf" not in {k.lower() for k in self.headers}:
            self._send(
                400,
                {
                    "statusCode": 400,
                    "error": "Bad Request",
                    "message": "Request must contain a kbn-xsrf header.",
                },
            )
            return
        if fake.authorization and self.headers.get("Authorization") != fake.authorization:
            self._send(
                401,
                {
                    "statusCode": 401,
                    "error": "Unauthorized",
                    "message": "[security_exception] unable to authenticate user",
                },
            )
            return
        overwrite = parse_qs(parts.query).get("overwrite") == ["true"]
        self._send(200, fake.import_file(self._ndjson(raw), overwrite))

    def _ndjson(self, raw: bytes) -> list[dict[str, Any]]:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + raw
        )
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "file":
                payload = part.get_payload(decode=True)
                return [json.loads(line) for line in payload.splitlines() if line.strip()]
        raise ValueError("no file part in the upload")


class FakeKibana(_Listening):
    def __init__(self, authorization: str | None = None) -> None:
        self.objects: dict[tuple[str, str], dict[str, Any]] = {}
        self.requests: list[Recorded] = []
        self.fail_ids: dict[str, str] = {}
        self.authorization = authorization
        self._server = _Server(_KibanaHandler, self)

    def import_file(self, objects: list[dict[str, Any]], overwrite: bool) -> dict[str, Any]:
        in_file = {(o.get("type"), o.get("id")) for o in objects}
        successes, errors = [], []
        for obj in objects:
            key = (obj.get("type"), obj.get("id"))
            title = obj.get("attributes", {}).get("title", "")
            base = {"type": key[0], "id": key[1], "meta": {"title": title}}
            missing = [
                {"type": ref["type"], "id": ref["id"]}
                for ref in obj.get("references", [])
                if (ref["type"], ref["id"]) not in in_file
                and (ref["type"], ref["id"]) not in self.objects
            ]
            if key[0] not in KIBANA_TYPES:
                errors.append({**base, "error": {"type": "unsupported_type"}})
            elif obj.get("id") in self.fail_ids:
                errors.append(
                    {
                        **base,
                        "error": {
                            "type": "unknown",
                            "statusCode": 500,
                            "message": self.fail_ids[obj["id"]],
                        },
                    }
                )
            elif missing:
                errors.append(
                    {**base, "error": {"type": "missing_references", "references": missing}}
                )
            elif key in self.objects and not overwrite:
                errors.append({**base, "error": {"type": "conflict"}})
            else:
                existed = key in self.objects
                self.objects[key] = copy.deepcopy(obj)
                successes.append({**base, **({"overwrite": True} if existed else {})})
        return {
            "success": not errors,
            "successCount": len(successes),
            "successResults": successes,
            "errors": errors,
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- pytest helpers shared by the test_es_* files -------------------------------------------------
def make_item(number: int, **fields: Any) -> dict[str, Any]:
    """An item as the pipelines hand it on: every schema field, a distinct id and time."""
    day = 1 + number % 28
    item: dict[str, Any] = {
        "id": f"doc{number:05d}",
        "url": f"https://berita.example/{number}",
        "canonical_url": f"https://berita.example/{number}",
        "source": ("kompas", "detik", "tempo")[number % 3],
        "source_type": "news",
        "title": f"Debat capres ke-{number} memanas",
        "body": f"Prabowo dan Gibran menjawab pertanyaan panelis {number}. KPU mencatat.",
        "authors": ["Redaksi"],
        "published_at": f"2024-01-{day:02d}T10:00:00+07:00",
        "modified_at": None,
        "crawled_at": f"2024-01-{day:02d}T11:00:00+07:00",
        "section": "politik",
        "tags": ["pemilu"],
        "image": None,
        "content_hash": f"h{number}",
        "language": "id",
        "language_score": 0.99,
        "keywords": ["debat", "capres"],
        "topics": ["pemilu"],
        "entities": {"people": ["Prabowo", "Gibran"], "institutions": ["KPU"], "parties": []},
        "regions": ["DKI Jakarta"],
        "cluster_id": f"c{number % 4}",
        "duplicate_of": None,
    }
    item.update(fields)
    return item


def es_env(cluster_url: str, tmp: Any, **extra: Any) -> dict[str, str]:
    """Settings for a test run against ``cluster_url`` with the spool and dead letters in tmp."""
    return {
        "ELASTICSEARCH_URL": cluster_url,
        "PANTAU_ES_SPOOL": str(tmp / "spool"),
        "PANTAU_ES_DEADLETTER": str(tmp / "deadletter.jsonl"),
        "PANTAU_ES_BACKOFF": "0.01",
        "PANTAU_ES_MAX_BACKOFF": "0.05",
        "PANTAU_ES_FLUSH_SECONDS": "0.2",
        "PANTAU_ES_CLOSE_TIMEOUT": "5",
        **{k: str(v) for k, v in extra.items()},
    }


def dead_letters(tmp: Any) -> list[dict[str, Any]]:
    """The dead-letter entries of a run set up with :func:`es_env`."""
    path = tmp / "deadletter.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


# Registered under a name of their own, so that test modules can import them (pytest finds
# fixtures by the name they are imported as) without the parameter shadowing the import.
@pytest.fixture(name="cluster")
def cluster_fixture() -> Iterator[FakeCluster]:
    fake = FakeCluster().start()
    yield fake
    fake.stop()


@pytest.fixture(name="kibana")
def kibana_fixture() -> Iterator[FakeKibana]:
    fake = FakeKibana().start()
    yield fake
    fake.stop()
