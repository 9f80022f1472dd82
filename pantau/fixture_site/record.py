"""The recorded copies: every page rendered to disk beside its expected extraction output.

Recorded pages use fixed, reserved-TLD roots (``http://portal.fixture.test``...) in place of the
live ``127.0.0.1:PORT``, so they are stable files; the test suite re-renders them and compares.
Run ``python -m pantau.fixture_site record`` after editing a data file or a template.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from .model import RECORDED_DIR
from .portal import PortalSite
from .portal import render_static_paths as portal_paths
from .wordpress import WordPressSite
from .wordpress import render_static_paths as wordpress_paths

SITES = ("portal", "wordpress")
RECORD_BASES = {
    "portal": "http://portal.fixture.test",
    "wordpress": "http://wordpress.fixture.test",
}
RECORD_EXTERNAL = "http://external.fixture.test"
_EXTENSIONS = {
    "text/html": ".html",
    "application/xml": ".xml",
    "application/rss+xml": ".xml",
    "application/json": ".json",
    "text/plain": ".txt",
}


def make_site(site: str, base: str, external: str, flaky: bool = True) -> Any:
    if site == "portal":
        return PortalSite(base, external, flaky=flaky)
    if site == "wordpress":
        return WordPressSite(base, external)
    raise ValueError(f"unknown fixture site {site!r}; use one of {', '.join(SITES)}")


def file_name(target: str, content_type: str) -> str:
    """Where the answer to a path (with query) is recorded, relative to the site folder."""
    parts = urlsplit(target)
    path = parts.path.strip("/") or "index"
    if parts.query:
        path += "." + parts.query.replace("=", "-").replace("&", ".")
    extension = _EXTENSIONS[content_type.split(";")[0].strip()]
    if path.endswith((".xml", ".txt")) and extension in (".xml", ".txt"):
        return path
    return path + extension


def expected_name(page_path: str) -> str:
    """The expected-output JSON beside an article's first page."""
    return file_name(page_path, "text/html").removesuffix(".html") + ".json"


def recording(site: str) -> dict[str, bytes]:
    """Relative file name -> bytes, for every recorded page and expected output of a site."""
    app = make_site(site, RECORD_BASES[site], RECORD_EXTERNAL, flaky=False)
    paths = portal_paths(app) if site == "portal" else wordpress_paths(app)
    files: dict[str, bytes] = {}
    for target in paths:
        path, _, query = target.partition("?")
        response = app.handle(path, query)
        if response.status != 200:
            raise RuntimeError(f"{site} {target}: status {response.status} while recording")
        files[file_name(target, response.content_type)] = response.body
    for record in app.expected():
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        files[expected_name(record["url"])] = text.encode("utf-8")
    return files


def write_recording(site: str) -> list[Path]:
    """Replace the site's recorded folder with a fresh rendering; returns the files written."""
    folder = RECORDED_DIR / site
    if folder.exists():
        shutil.rmtree(folder)
    written = []
    for name, content in sorted(recording(site).items()):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written.append(target)
    return written


def committed(site: str) -> dict[str, bytes]:
    """The recorded files as they are on disk."""
    folder = RECORDED_DIR / site
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def expected_articles(site: str, base_url: str | None = None) -> list[dict[str, Any]]:
    """The committed expected outputs of a site, newest first.

    Only JSON files with a recorded page beside them count (REST samples are not expectations).
    With ``base_url``, ``url``, ``canonical_url`` and ``image`` become absolute against it.
    """
    if site not in SITES:
        raise ValueError(f"unknown fixture site {site!r}; use one of {', '.join(SITES)}")
    folder = RECORDED_DIR / site
    records = []
    for path in sorted(folder.rglob("*.json")):
        if path.with_suffix(".html").exists():
            records.append(json.loads(path.read_text(encoding="utf-8")))
    if not records:
        raise FileNotFoundError(f"{folder}: no expected outputs; run the record command")
    records.sort(key=lambda r: datetime.fromisoformat(r["published_at"]), reverse=True)
    return [absolute(r, base_url) for r in records] if base_url else records


def story_pairs() -> list[tuple[str, str]]:
    """(portal article path, WordPress post path) for every story published on both sites."""
    portal = make_site("portal", "", "")
    wordpress = make_site("wordpress", "", "")
    pairs = []
    for post in wordpress.articles:
        origin = post.extra.get("republished_from", "")
        if origin:
            site, _, key = origin.partition(":")
            if site != "portal":
                raise ValueError(f"post {post.id}: republished_from names unknown site {site!r}")
            pairs.append((portal.find(key).path, post.path))
    return sorted(pairs)


def absolute(record: dict[str, Any], base_url: str | None) -> dict[str, Any]:
    """A copy of an expected record with its URLs resolved against a site root."""
    if not base_url:
        return dict(record)
    root = base_url.rstrip("/") + "/"
    result = dict(record)
    for key in ("url", "canonical_url", "image"):
        if result.get(key):
            result[key] = urljoin(root, result[key])
    return result
