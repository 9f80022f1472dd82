"""The HTML report: self-contained, escaped, and with charts a browser actually draws."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from datetime import datetime
from pathlib import Path

import pytest

from pantau.store.sqlite import SqliteStore
from pantau.trends import compute_trends
from pantau.trends.render_html import PALETTE, WINDOW_BAR, render_html
from pantau.trends.synthetic import CorpusPlan, generate_corpus
from pantau.trends.window import WIB

NOW = datetime(2024, 2, 14, 18, 0, tzinfo=WIB)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    store = SqliteStore(tmp_path_factory.mktemp("html") / "store.db")
    with store.transaction():
        for item in generate_corpus(CorpusPlan(now=NOW, docs_per_day=20)):
            store.upsert(item)
    made = compute_trends(store, window="24h", baseline="30d", now=NOW)
    store.close()
    return made


def _empty_report(report: dict) -> dict:
    return {
        "window": report["window"],
        "terms": [],
        "clusters": [],
        "volume": {"interval": "hour", "series": {}},
        "notes": ["no documents in the window"],
    }


def test_page_fetches_nothing(report) -> None:
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    for fetching in ("<script", "<link", "<img", "<iframe", " src=", "url(", "@import"):
        assert fetching not in page.lower()
    hrefs = re.findall(r'href="([^"]*)"', page)
    article_urls = {ex["url"] for t in report["terms"] for ex in t["examples"]}
    article_urls |= {c["url"] for c in report["clusters"]}
    assert hrefs and set(hrefs) <= article_urls  # links go to the articles, nowhere else
    assert page.count("<svg") == 2


def test_text_from_the_store_is_escaped(report) -> None:
    hostile = dict(report)
    hostile["terms"] = [dict(report["terms"][0])]
    hostile["terms"][0]["term"] = "<script>alert(1)</script>"
    hostile["terms"][0]["examples"] = [
        {"title": 'Judul "kutip" & <b>tebal</b>', "url": "javascript:alert(1)", "source": "<x>"},
        {"title": "Biasa", "url": 'https://a.example/?q=1&r="2"', "source": "outlet01"},
    ]
    hostile["volume"] = {
        "interval": "hour",
        "series": {"<img src=x>": [["2024-02-14T10:00:00+07:00", 2]]},
    }
    page = render_html(hostile)
    assert "<script>" not in page and "<img" not in page and "<b>tebal" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Judul &quot;kutip&quot; &amp; &lt;b&gt;tebal&lt;/b&gt;" in page
    assert "javascript:" not in page  # not a link, and not printed either
    assert 'href="https://a.example/?q=1&amp;r=&quot;2&quot;"' in page


def test_empty_report_says_so(report) -> None:
    page = render_html(_empty_report(report))
    assert "No articles in the window." in page
    assert "No term grew enough to be listed." in page
    assert "No story reached new outlets in the window." in page
    assert "no documents in the window" in page


# -- in a real browser ----------------------------------------------------------------------------
def _png_pixels(data: bytes) -> tuple[int, int, int, bytes]:
    """Width, height, bytes per pixel and raw rows of an 8-bit RGB(A) PNG, with stdlib only."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = bpp = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * bpp
    high = int.from_bytes(b"\x80" * stride, "big")
    low = int.from_bytes(b"\x7f" * stride, "big")
    rows, prev = [], bytes(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]
        if kind == 0:
            row = line
        elif kind == 2:  # Up: byte-wise addition done on whole rows as integers (no carries)
            a, b = int.from_bytes(line, "big"), int.from_bytes(prev, "big")
            row = (((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(stride, "big")
        else:
            out = bytearray(line)
            for i in range(stride):
                left = out[i - bpp] if i >= bpp else 0
                up = prev[i]
                if kind == 1:
                    predictor = left
                elif kind == 3:
                    predictor = (left + up) // 2
                else:  # Paeth
                    corner = prev[i - bpp] if i >= bpp else 0
                    guess = left + up - corner
                    da, db, dc = abs(guess - left), abs(guess - up), abs(guess - corner)
                    predictor = left if da <= db and da <= dc else up if db <= dc else corner
                out[i] = (out[i] + predictor) & 0xFF
            row = bytes(out)
        rows.append(row)
        prev = row
    return width, height, bpp, b"".join(rows)


def _count_colour(pixels: bytes, bpp: int, colour: str) -> int:
    rgb = bytes.fromhex(colour.lstrip("#"))
    if bpp == 3:
        # Count whole-pixel matches only: step through pixel starts.
        return sum(1 for i in range(0, len(pixels), 3) if pixels[i : i + 3] == rgb)
    return sum(1 for i in range(0, len(pixels), 4) if pixels[i : i + 3] == rgb)


def _screenshot(html: str, tmp: Path) -> tuple[int, int, int, bytes]:
    tmp.mkdir(parents=True, exist_ok=True)
    page, shot = tmp / "report.html", tmp / "shot.png"
    page.write_text(html, "utf-8")
    command = [
        shutil.which("chromium") or "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'profile'}",
        f"--screenshot={shot}",
        "--window-size=1200,900",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert shot.exists(), f"chromium wrote no screenshot (exit {done.returncode}): {done.stderr}"
    return _png_pixels(shot.read_bytes())


@pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="chromium is not installed (Debian package 'chromium'; CI installs it)",
)
def test_chromium_draws_the_charts(report, tmp_path) -> None:
    width, height, bpp, pixels = _screenshot(render_html(report), tmp_path / "full")
    assert (width, height) == (1200, 900)
    line_pixels = _count_colour(pixels, bpp, PALETTE[0])  # the busiest topic's volume line
    bar_pixels = _count_colour(pixels, bpp, WINDOW_BAR)  # the emerging terms' bars
    assert line_pixels > 1000, f"volume line barely drawn ({line_pixels} pixels)"
    assert bar_pixels > 10000, f"term bars barely drawn ({bar_pixels} pixels)"
    # Control: the same page without data draws neither colour, so the counts above are charts.
    _, _, bpp, blank = _screenshot(render_html(_empty_report(report)), tmp_path / "empty")
    assert _count_colour(blank, bpp, PALETTE[0]) == 0
    assert _count_colour(blank, bpp, WINDOW_BAR) == 0
