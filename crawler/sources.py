"""Source files: one outlet or channel per YAML file, validated up front.

A typo must stop the run before anything is fetched, with the file and the key named, because
a silently ignored key means an outlet quietly not monitored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from pantau.paths import under_home

# The default source folder, under the home (PANTAU_HOME): crawler/sources/ of the project.
DEFAULT_SOURCES = "crawler/sources"
# The folder shipped with the project (the same as the default when the home is the project).
SOURCES_DIR = Path(__file__).resolve().parent / "sources"
PLATFORMS = ("generic", "wordpress")
SOURCE_TYPES = ("news", "feed", "telegram", "mastodon", "social")
TIMEZONES = {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00"}
# What an outlet is, for filtering (`pantau sources --kind`) and for kind-specific extraction
# (fact-checkers' verdicts).
KINDS = ("national", "regional", "local", "factcheck", "official", "international")
# The 38 provinces, as the Ministry of Home Affairs spells them; `region` is one of these or
# "national". Matching is case-insensitive, the stored spelling is this one.
PROVINCES = (
    "Aceh",
    "Sumatera Utara",
    "Sumatera Barat",
    "Riau",
    "Kepulauan Riau",
    "Jambi",
    "Bengkulu",
    "Sumatera Selatan",
    "Kepulauan Bangka Belitung",
    "Lampung",
    "Banten",
    "DKI Jakarta",
    "Jawa Barat",
    "Jawa Tengah",
    "DI Yogyakarta",
    "Jawa Timur",
    "Bali",
    "Nusa Tenggara Barat",
    "Nusa Tenggara Timur",
    "Kalimantan Barat",
    "Kalimantan Tengah",
    "Kalimantan Selatan",
    "Kalimantan Timur",
    "Kalimantan Utara",
    "Sulawesi Utara",
    "Gorontalo",
    "Sulawesi Tengah",
    "Sulawesi Barat",
    "Sulawesi Selatan",
    "Sulawesi Tenggara",
    "Maluku",
    "Maluku Utara",
    "Papua",
    "Papua Barat",
    "Papua Barat Daya",
    "Papua Tengah",
    "Papua Pegunungan",
    "Papua Selatan",
)
REGIONS = ("national", *PROVINCES)
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TOP_KEYS = {
    "id",
    "name",
    "url",
    "language",
    "platform",
    "source_type",
    "discovery",
    "article_urls",
    "exclude_urls",
    "selectors",
    "allowed_domains",
    "listing_pages",
    "timezone",
    "enabled",
    "kind",
    "region",
}
_DISCOVERY_KEYS = {"sitemaps", "feeds", "listings", "wordpress_api"}


WORDPRESS_NOT_POSTS = re.compile(
    r"/(category|tag|author|page|feed|wp-json|wp-admin|wp-content)/|[?&](p|page_id|cat|s)="
    r"|wp-sitemap-(taxonomies|users|posts-page)|(category|post_tag|author|page)-sitemap"
)


class SourceError(ValueError):
    """A source file is wrong; the message names the file and the key."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    url: str
    language: str = "id"
    platform: str = "generic"
    source_type: str = "news"
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    wordpress_api: str | None = None
    article_urls: re.Pattern[str] | None = None
    exclude_urls: re.Pattern[str] | None = None
    selectors: dict[str, Any] = field(default_factory=dict)
    allowed_domains: tuple[str, ...] = ()
    listing_pages: int = 5
    timezone: str = "+07:00"
    enabled: bool = True
    kind: str = "national"
    region: str = "national"
    path: str = ""

    def is_article_url(self, url: str) -> bool:
        """Whether a link found on a listing page names an article of this source."""
        if not self.allows(url):
            return False
        if self.exclude_urls is not None and self.exclude_urls.search(url):
            return False
        return self.article_urls is None or bool(self.article_urls.search(url))

    def allows(self, url: str) -> bool:
        """Whether a URL is inside the source's domains (subdomains included)."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        host = (parts.netloc or "").lower()
        bare = host.split(":", 1)[0]
        for domain in self.allowed_domains:
            if host == domain or bare == domain or bare.endswith("." + domain.split(":")[0]):
                return True
        return False


def load_sources(paths: Iterable[str | Path] | str | Path | None = None) -> list[Source]:
    """Load and validate every source file under the given files or folders.

    All files are checked before any is used; the first error found in any file is raised with
    every problem listed, so one run shows everything that needs fixing.
    """
    if paths is None:
        paths = [under_home(DEFAULT_SOURCES)]
    elif isinstance(paths, str | Path):
        paths = [paths]
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml")))
        elif path.is_file():
            files.append(path)
        else:
            raise SourceError(f"{path}: no such source file or folder")
    sources: list[Source] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for file in files:
        try:
            for src in _load_file(file):
                if src.id in seen:
                    problems.append(f"{file}: id: {src.id!r} is already used by {seen[src.id]}")
                    continue
                seen[src.id] = str(file)
                sources.append(src)
        except SourceError as exc:
            problems.append(str(exc))
    if problems:
        raise SourceError("\n".join(problems))
    return sources


def select_sources(sources: list[Source], wanted: str | Iterable[str] | None) -> list[Source]:
    """Pick sources by id (``a,b``); a path selects the sources in that file or folder."""
    if not wanted:
        return [s for s in sources if s.enabled]
    names = [w.strip() for w in (wanted.split(",") if isinstance(wanted, str) else wanted)]
    names = [n for n in names if n]
    if len(names) == 1 and (Path(names[0]).exists() or names[0].endswith((".yaml", ".yml"))):
        return load_sources(names[0])
    by_id = {s.id: s for s in sources}
    unknown = [n for n in names if n not in by_id]
    if unknown:
        raise SourceError(
            f"unknown source id(s): {', '.join(unknown)}; known: {', '.join(sorted(by_id))}"
        )
    return [by_id[n] for n in names]


def _load_file(path: Path) -> list[Source]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SourceError(f"{path}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read: {exc}") from exc
    if isinstance(data, dict) and "sources" in data:
        entries = data["sources"]
        if not isinstance(entries, list):
            raise SourceError(f"{path}: sources: expected a list of sources")
        if set(data) - {"sources"}:
            extra = ", ".join(sorted(set(data) - {"sources"}))
            raise SourceError(f"{path}: {extra}: unknown key beside 'sources'")
        return [_parse(path, entry, f"sources[{i}].") for i, entry in enumerate(entries)]
    if data is None:
        raise SourceError(f"{path}: the file is empty")
    return [_parse(path, data, "")]


def _parse(path: Path, data: Any, where: str) -> Source:
    def fail(key: str, message: str) -> SourceError:
        return SourceError(f"{path}: {where}{key}: {message}")

    if not isinstance(data, dict):
        raise fail("", f"expected a mapping of keys, got {type(data).__name__}")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        key = sorted(unknown)[0]
        hint = _closest(key, _TOP_KEYS)
        raise fail(key, "unknown key" + (f" (did you mean {hint!r}?)" if hint else ""))
    for key in ("id", "name", "url"):
        if key not in data:
            raise fail(key, "required key is missing")
    src_id = _string(data, "id", fail)
    if not _ID.match(src_id):
        raise fail("id", f"{src_id!r} must be lower-case letters, digits, '-' or '_'")
    url = _url(data["url"], "url", fail)
    platform = _string(data, "platform", fail, "generic")
    if platform not in PLATFORMS:
        raise fail("platform", f"{platform!r} is not one of {', '.join(PLATFORMS)}")
    source_type = _string(data, "source_type", fail, "news")
    if source_type not in SOURCE_TYPES:
        raise fail("source_type", f"{source_type!r} is not one of {', '.join(SOURCE_TYPES)}")

    discovery = data.get("discovery") or {}
    if not isinstance(discovery, dict):
        raise fail("discovery", "expected a mapping with sitemaps, feeds, listings")
    unknown = set(discovery) - _DISCOVERY_KEYS
    if unknown:
        raise fail(f"discovery.{sorted(unknown)[0]}", "unknown key")
    lists = {}
    for key in ("sitemaps", "feeds", "listings"):
        value = discovery.get(key) or []
        if isinstance(value, str) or not isinstance(value, list):
            raise fail(f"discovery.{key}", f"expected a list of URLs, got {type(value).__name__}")
        lists[key] = tuple(_url(v, f"discovery.{key}", fail) for v in value)
    api = discovery.get("wordpress_api")
    if platform == "wordpress":
        base = url if url.endswith("/") else url + "/"
        api = api or urljoin(base, "wp-json/wp/v2/posts")
        lists["feeds"] = lists["feeds"] or (urljoin(base, "feed/"),)
        lists["sitemaps"] = lists["sitemaps"] or (urljoin(base, "wp-sitemap.xml"),)
    if api is not None:
        api = _url(api, "discovery.wordpress_api", fail)
    if not (api or any(lists.values())):
        raise fail("discovery", "a generic source needs sitemaps, feeds or listings")

    article_urls = _regex(data, "article_urls", fail)
    exclude_urls = _regex(data, "exclude_urls", fail)
    if platform == "wordpress" and exclude_urls is None:
        # WordPress lists archives, pages and users beside posts in its sitemaps: not articles
        exclude_urls = WORDPRESS_NOT_POSTS
    if lists["listings"] and article_urls is None:
        raise fail("article_urls", "listings need an article_urls pattern to tell articles apart")
    selectors = data.get("selectors") or {}
    if not isinstance(selectors, dict):
        raise fail("selectors", "expected a mapping of field: CSS selector")
    from crawler.extract import SELECTOR_KEYS, validate_selectors

    for key, value in selectors.items():
        if key not in SELECTOR_KEYS:
            known = ", ".join(sorted(SELECTOR_KEYS))
            raise fail(f"selectors.{key}", f"unknown selector; known: {known}")
        try:
            validate_selectors({key: value})
        except ValueError as exc:
            raise fail(f"selectors.{key}", str(exc)) from exc

    domains = data.get("allowed_domains")
    if domains is None:
        domains = [urlsplit(url).netloc.lower().removeprefix("www.")]
    elif not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise fail("allowed_domains", "expected a list of host names")
    pages = data.get("listing_pages", 5)
    if not isinstance(pages, int) or isinstance(pages, bool) or not 1 <= pages <= 100:
        raise fail("listing_pages", "expected a whole number from 1 to 100")
    tz = _string(data, "timezone", fail, "WIB")
    tz = TIMEZONES.get(tz.upper(), tz)
    if not re.fullmatch(r"[+-]\d\d:\d\d", tz):
        raise fail("timezone", f"{tz!r} is not WIB, WITA, WIT or an offset like +07:00")
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("enabled", "expected true or false")
    language = _string(data, "language", fail, "id")
    kind, region = _kind_and_region(data, fail)
    return Source(
        id=src_id,
        name=_string(data, "name", fail),
        url=url,
        language=language,
        platform=platform,
        source_type=source_type,
        sitemaps=lists["sitemaps"],
        feeds=lists["feeds"],
        listings=lists["listings"],
        wordpress_api=api,
        article_urls=article_urls,
        exclude_urls=exclude_urls,
        selectors=dict(selectors),
        allowed_domains=tuple(d.lower().removeprefix("www.") for d in domains),
        listing_pages=pages,
        timezone=tz,
        enabled=enabled,
        kind=kind,
        region=region,
        path=str(path),
    )


def _kind_and_region(data: dict, fail: Any) -> tuple[str, str]:
    kind = _string(data, "kind", fail, "national").lower()
    if kind not in KINDS:
        raise fail("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    raw = _string(data, "region", fail, "national")
    region = canonical_region(raw)
    if region is None:
        hint = _closest(raw, REGIONS)
        raise fail(
            "region",
            f"{raw!r} is not an Indonesian province or 'national'"
            + (f" (did you mean {hint!r}?)" if hint else ""),
        )
    return kind, region


def canonical_region(name: str) -> str | None:
    """The province (or "national") a region name means, in its official spelling; else None."""
    folded = " ".join(name.split()).casefold()
    for region in REGIONS:
        if region.casefold() == folded:
            return region
    return None


def filter_sources(
    sources: Iterable[Source], *, kind: str | None = None, region: str | None = None
) -> list[Source]:
    """The sources of one kind and/or one region (raises SourceError on an unknown name)."""
    if kind is not None and kind.lower() not in KINDS:
        raise SourceError(f"--kind {kind!r} is not one of {', '.join(KINDS)}")
    wanted = None
    if region is not None:
        wanted = canonical_region(region)
        if wanted is None:
            hint = _closest(region, REGIONS)
            raise SourceError(
                f"--region {region!r} is not an Indonesian province or 'national'"
                + (f" (did you mean {hint!r}?)" if hint else "")
            )
    return [
        s
        for s in sources
        if (kind is None or s.kind == kind.lower()) and (wanted is None or s.region == wanted)
    ]


def _string(data: dict, key: str, fail: Any, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise fail(key, f"expected a non-empty string, got {value!r}")
    return value.strip()


def _url(value: Any, key: str, fail: Any) -> str:
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
        raise fail(key, f"expected an http(s) URL, got {value!r}")
    if not urlsplit(value).netloc:
        raise fail(key, f"{value!r} has no host")
    return value


def _regex(data: dict, key: str, fail: Any) -> re.Pattern[str] | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise fail(key, "expected a regular expression string")
    try:
        return re.compile(value)
    except re.error as exc:
        raise fail(key, f"invalid regular expression: {exc}") from exc


def _closest(key: str, options: Iterable[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(key, list(options), n=1, cutoff=0.7)
    return found[0] if found else None
