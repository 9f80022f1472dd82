"""Where the cluster is and how to reach it, read from the environment or Scrapy settings.

Secrets (password, API key) never appear in a repr, a log line or an error message: URLs are
shown through :func:`redact_url`, and credentials written into ELASTICSEARCH_URL are moved out of
it on reading. TLS certificates are verified unless ELASTICSEARCH_VERIFY_CERTS=false, which is
logged as a warning every time a client is made.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from pantau.es.names import DEFAULT_PREFIX, IndexNames
from pantau.paths import under_home

# Defaults under the home (PANTAU_HOME), so every command finds the documents waiting.
SPOOL_DIR = "data/es-spool"
DEADLETTER_PATH = "data/es-deadletter.jsonl"

logger = logging.getLogger(__name__)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class EsNotConfigured(RuntimeError):
    """ELASTICSEARCH_URL (or KIBANA_URL) is not set: the Elasticsearch side is off."""


class EsConfigError(ValueError):
    """A setting is present but wrong; the message names the setting."""


@dataclass(frozen=True)
class _Reachable:
    """Address and credentials, shared by both configurations; secrets stay out of repr."""

    url: str
    api_key: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_certs: str | None = None
    verify_certs: bool = True

    @property
    def display_url(self) -> str:
        return redact_url(self.url)

    def scrub(self, text: str) -> str:
        """``text`` with every secret of this configuration blanked out."""
        for secret in (self.password, self.api_key):
            if secret:
                text = text.replace(secret, "***")
        return text


@dataclass(frozen=True)
class EsConfig(_Reachable):
    request_timeout: float = 30.0
    prefix: str = DEFAULT_PREFIX
    # Indexing from the crawl.
    batch_size: int = 500
    spool_dir: Path = field(default_factory=lambda: under_home(SPOOL_DIR))
    deadletter_path: Path = field(default_factory=lambda: under_home(DEADLETTER_PATH))
    max_retries: int = 5  # per-item 429/5xx retries inside one batch
    initial_backoff: float = 0.5
    max_backoff: float = 30.0
    flush_seconds: float = 10.0  # a part-filled batch is sent after this long
    close_timeout: float = 60.0  # how long the end of a crawl waits for the cluster
    max_attempts: int = 10  # batches an item may fail in before it is dead-lettered

    @property
    def names(self) -> IndexNames:
        return IndexNames(self.prefix)


@dataclass(frozen=True)
class KibanaConfig(_Reachable):
    space: str | None = None
    request_timeout: float = 60.0


def redact_url(url: str) -> str:
    """``url`` with any user name and password replaced by ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unreadable URL>"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


def _lookup(source: Any) -> Callable[[str], str | None]:
    """A getter over Scrapy settings (falling back to the environment) or a plain mapping."""
    if hasattr(source, "getwithbase"):  # scrapy.settings.BaseSettings

        def from_settings(name: str) -> str | None:
            value = source.get(name)
            if value is None or value == "":
                value = os.environ.get(name)
            return None if value is None or value == "" else str(value)

        return from_settings
    if isinstance(source, Mapping):

        def from_mapping(name: str) -> str | None:
            value = source.get(name)
            return None if value is None or value == "" else str(value)

        return from_mapping
    raise TypeError(f"expected Scrapy settings or a mapping, got {type(source).__name__}")


def _bool(get: Callable[[str], str | None], name: str, default: bool) -> bool:
    raw = get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EsConfigError(f"{name}={raw!r}: expected true or false")


def _number(
    get: Callable[[str], str | None],
    name: str,
    default: float,
    *,
    integer: bool = False,
    minimum: float = 0,
) -> Any:
    raw = get(name)
    if raw is None:
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise EsConfigError(f"{name}={raw!r}: expected {kind}") from None
    if value < minimum:
        raise EsConfigError(f"{name}={raw!r}: must be at least {minimum}")
    return value


def _url_and_credentials(raw: str, name: str) -> tuple[str, str | None, str | None]:
    """Validate an http(s) URL; credentials written into it are returned separately."""
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EsConfigError(
            f"{name}={redact_url(raw)!r}: expected http://host:port or https://host:port"
        )
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    netloc = parts.netloc.rsplit("@", 1)[-1]
    clean = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), parts.query, ""))
    return clean, user, password


def _credentials(
    get: Callable[[str], str | None],
    prefix: str,
    url_user: str | None,
    url_password: str | None,
) -> tuple[str | None, str | None, str | None]:
    api_key = get(f"{prefix}_API_KEY")
    username = get(f"{prefix}_USERNAME") or url_user
    password = get(f"{prefix}_PASSWORD") or url_password
    if api_key and (username or password):
        raise EsConfigError(
            f"set either {prefix}_API_KEY or {prefix}_USERNAME/{prefix}_PASSWORD, not both"
        )
    if bool(username) != bool(password):
        missing = f"{prefix}_PASSWORD" if username else f"{prefix}_USERNAME"
        raise EsConfigError(f"{missing} is not set (user name and password go together)")
    return api_key, username, password


def _ca_certs(get: Callable[[str], str | None], *names: str) -> str | None:
    for name in names:
        path = get(name)
        if path:
            if not Path(path).is_file():
                raise EsConfigError(f"{name}={path!r}: no such file")
            return path
    return None


def es_configured(source: Any) -> bool:
    """True when ELASTICSEARCH_URL is set in ``source`` (settings or mapping)."""
    return _lookup(source)("ELASTICSEARCH_URL") is not None


def es_config_from(source: Any) -> EsConfig:
    """The Elasticsearch configuration from Scrapy settings (then the environment) or a mapping.

    Raises :class:`EsNotConfigured` when ELASTICSEARCH_URL is unset and :class:`EsConfigError`
    naming the setting when a value is wrong.
    """
    get = _lookup(source)
    raw_url = get("ELASTICSEARCH_URL")
    if raw_url is None:
        raise EsNotConfigured("ELASTICSEARCH_URL is not set")
    url, url_user, url_password = _url_and_credentials(raw_url, "ELASTICSEARCH_URL")
    api_key, username, password = _credentials(get, "ELASTICSEARCH", url_user, url_password)
    prefix = get("PANTAU_ES_PREFIX") or DEFAULT_PREFIX
    try:
        IndexNames(prefix)
    except ValueError as exc:
        raise EsConfigError(str(exc)) from None
    return EsConfig(
        url=url,
        api_key=api_key,
        username=username,
        password=password,
        ca_certs=_ca_certs(get, "ELASTICSEARCH_CA_CERTS"),
        verify_certs=_bool(get, "ELASTICSEARCH_VERIFY_CERTS", True),
        request_timeout=_number(get, "ELASTICSEARCH_TIMEOUT", 30.0, minimum=0.1),
        prefix=prefix,
        batch_size=_number(get, "PANTAU_ES_BATCH_SIZE", 500, integer=True, minimum=1),
        spool_dir=_path(get, "PANTAU_ES_SPOOL", SPOOL_DIR),
        deadletter_path=_path(get, "PANTAU_ES_DEADLETTER", DEADLETTER_PATH),
        max_retries=_number(get, "PANTAU_ES_MAX_RETRIES", 5, integer=True),
        initial_backoff=_number(get, "PANTAU_ES_BACKOFF", 0.5),
        max_backoff=_number(get, "PANTAU_ES_MAX_BACKOFF", 30.0),
        flush_seconds=_number(get, "PANTAU_ES_FLUSH_SECONDS", 10.0),
        close_timeout=_number(get, "PANTAU_ES_CLOSE_TIMEOUT", 60.0),
        max_attempts=_number(get, "PANTAU_ES_MAX_ATTEMPTS", 10, integer=True, minimum=1),
    )


def kibana_config_from(source: Any) -> KibanaConfig:
    """Kibana's address; credentials and CA default to the Elasticsearch ones."""
    get = _lookup(source)
    raw_url = get("KIBANA_URL")
    if raw_url is None:
        raise EsNotConfigured("KIBANA_URL is not set")
    url, url_user, url_password = _url_and_credentials(raw_url, "KIBANA_URL")
    api_key, username, password = _credentials(get, "KIBANA", url_user, url_password)
    if not (api_key or username):
        es_url = get("ELASTICSEARCH_URL")
        es_user = es_password = None
        if es_url:
            _, es_user, es_password = _url_and_credentials(es_url, "ELASTICSEARCH_URL")
        api_key, username, password = _credentials(get, "ELASTICSEARCH", es_user, es_password)
    verify_raw = get("KIBANA_VERIFY_CERTS")
    verify = (
        _bool(get, "KIBANA_VERIFY_CERTS", True)
        if verify_raw is not None
        else _bool(get, "ELASTICSEARCH_VERIFY_CERTS", True)
    )
    return KibanaConfig(
        url=url,
        api_key=api_key,
        username=username,
        password=password,
        ca_certs=_ca_certs(get, "KIBANA_CA_CERTS", "ELASTICSEARCH_CA_CERTS"),
        verify_certs=verify,
        space=get("KIBANA_SPACE"),
        request_timeout=_number(get, "KIBANA_TIMEOUT", 60.0),
    )


def make_client(config: EsConfig, **overrides: Any) -> Any:
    """An ``elasticsearch.Elasticsearch`` client for ``config``.

    The transport retries connection failures and 429/502/503/504 answers a few times for the
    commands; bulk indexing turns those retries off and does its own (see ``pantau.es.bulk``).
    """
    from elasticsearch import Elasticsearch

    kwargs: dict[str, Any] = {
        "request_timeout": config.request_timeout,
        "max_retries": 3,
        "retry_on_timeout": True,
    }
    if config.api_key:
        kwargs["api_key"] = config.api_key
    elif config.username:
        kwargs["basic_auth"] = (config.username, config.password or "")
    if config.url.startswith("https://"):
        kwargs["verify_certs"] = config.verify_certs
        if config.ca_certs:
            kwargs["ca_certs"] = config.ca_certs
        if not config.verify_certs:
            # Said once here in plain words instead of a warning on every request.
            kwargs["ssl_show_warn"] = False
            logger.warning(
                "TLS certificate verification is OFF for %s (ELASTICSEARCH_VERIFY_CERTS=false): "
                "anyone on the path can read and change what is sent",
                config.display_url,
            )
    kwargs.update(overrides)
    return Elasticsearch(config.url, **kwargs)


def _path(get: Any, name: str, default: str) -> Path:
    """An explicit path as written; the default under the home (PANTAU_HOME)."""
    value = get(name)
    return Path(value).expanduser() if value else under_home(default)
