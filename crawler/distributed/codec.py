"""Requests as JSON for the shared frontier (never pickle: whoever can write to the Redis must
not be able to run code in the crawlers)."""

from __future__ import annotations

import base64
import json
from typing import Any

from scrapy import Request
from scrapy.utils.request import request_from_dict

_BYTES = "__bytes__"


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {_BYTES: base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {str(_decode_key(k)): _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot share a request whose data holds a {type(value).__name__}")


def _decode_key(key: Any) -> Any:
    return key.decode("latin-1") if isinstance(key, bytes) else key


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_BYTES}:
            return base64.b64decode(value[_BYTES])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def dumps(request: Request, spider: Any) -> str:
    data = request.to_dict(spider=spider)
    return json.dumps(_encode(data), separators=(",", ":"))


def loads(payload: str | bytes, spider: Any) -> Request:
    return request_from_dict(_decode(json.loads(payload)), spider=spider)
