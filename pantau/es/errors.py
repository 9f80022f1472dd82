"""The cluster's own words for a refused request, in one line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def api_reason(exc: Any) -> str:
    """The reason Elasticsearch gave in an ``ApiError`` body (and its cause), else ``str(exc)``."""
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        error = body.get("error", {})
        if isinstance(error, Mapping):
            reason = error.get("reason") or error.get("type")
            for cause in error.get("root_cause") or []:
                if isinstance(cause, Mapping) and cause.get("reason"):
                    reason = reason or cause["reason"]
            caused_by = error.get("caused_by")
            if isinstance(caused_by, Mapping) and caused_by.get("reason"):
                reason = f"{reason} ({caused_by['reason']})"
            if reason:
                return str(reason)
        elif error:
            return str(error)
    return str(exc)
