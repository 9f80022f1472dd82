"""Crawl cost per article: the full pantau crawl against a bare link-following spider.

Generates a loopback site of N realistic article pages (60-120 KB each, like a real portal:
navigation, scripts, related lists and a 500-900 word body), serves it from this process and
crawls it in a child process, whose CPU time and peak memory are read from rusage. Prints the
median over --runs of pages/s, CPU ms per article, peak RSS and the ratio to the bare spider.

    python benchmarks/crawl_speed.py [--pages 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "pemilu kampanye kpu bawaslu suara calon presiden partai rakyat daerah pemerintah kota "
    "provinsi warga jakarta surabaya menurut kata ketua anggota tahun hari minggu masyarakat "
    "dengan untuk yang dari dalam pada akan telah sudah belum juga tidak bisa harus program "
    "bantuan sosial ekonomi harga pasar jalan sekolah rumah sakit polisi hukum pengadilan"
).split()


def paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))).capitalize() + "."


def page(n: int, rng: random.Random) -> str:
    nav = "".join(f'<li><a href="/kanal/{k}">Kanal {k}</a></li>' for k in range(120))
    related = "".join(
        f'<li><a href="/berita/b{rng.randint(0, 10**6)}/lain">Berita lain {k}</a></li>'
        for k in range(40)
    )
    script = "<script>var ads=" + json.dumps(["x" * 80] * rng.randint(520, 1150)) + ";</script>"
    body = "".join(f"<p>{paragraph(rng)}</p>" for _ in range(rng.randint(8, 14)))
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": f"Berita nomor {n} tentang pemilu",
            "datePublished": f"2024-01-{1 + n % 28:02d}T10:{n % 60:02d}:00+07:00",
            "author": {"@type": "Person", "name": "Redaksi"},
        }
    )
    return (
        f"<!doctype html><html lang='id'><head><meta charset='utf-8'>"
        f"<title>Berita nomor {n} tentang pemilu</title>"
        f'<link rel="canonical" href="/berita/a{n}/judul-{n}">'
        f'<script type="application/ld+json">{ld}</script>{script}</head><body>'
        f"<header><nav><ul>{nav}</ul></nav></header><main><article>"
        f"<h1>Berita nomor {n} tentang pemilu</h1><div class='date'>Rabu, 17 Januari 2024 "
        f"14:32 WIB</div><div class='detail'>{body}</div></article>"
        f"<aside><ul>{related}</ul></aside></main><footer>{'<p>footer</p>' * 50}</footer>"
        "</body></html>"
    )


def build_site(folder: Path, pages: int) -> int:
    rng = random.Random(7)
    total = 0
    (folder / "berita").mkdir(parents=True)
    urls = []
    for n in range(pages):
        path = folder / "berita" / f"a{n}" / f"judul-{n}" / "index.html"
        path.parent.mkdir(parents=True)
        html = page(n, rng)
        total += len(html.encode())
        path.write_text(html, encoding="utf-8")
        urls.append(f"/berita/a{n}/judul-{n}/")
    per_index = 50
    for i in range(0, pages, per_index):
        links = "".join(f'<a href="{u}">x</a>' for u in urls[i : i + per_index])
        nxt = f'<a rel="next" href="/indeks/{i // per_index + 1}/">Selanjutnya</a>'
        out = folder / "indeks" / f"{i // per_index}" / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"<html><body>{links}{nxt}</body></html>", encoding="utf-8")
    entries = "".join(f"<url><loc>http://HOST{u}</loc></url>" for u in urls)
    (folder / "sitemap.xml").write_text(
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )
    return total // pages


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the benchmark's output is the figures
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.path == "/sitemap.xml":
            data = (Path(self.directory) / "sitemap.xml").read_text()
            data = data.replace("HOST", self.headers["Host"]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        super().do_GET()


def child_usage(cmd: list[str], env: dict) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one child process (its own rusage)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"{cmd[:4]} failed:\n{err.read().decode(errors='replace')[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pantau-bench-"))
    site = tmp / "site"
    avg = build_site(site, args.pages)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sources = tmp / "sources"
    sources.mkdir()
    (sources / "bench.yaml").write_text(
        f"id: bench\nname: Bench\nurl: {base}/\ndiscovery:\n  sitemaps: ['{base}/sitemap.xml']\n"
        "article_urls: '/berita/a[0-9]+/'\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    common = [
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "CONCURRENT_REQUESTS=32",
        "-s",
        "CONCURRENT_REQUESTS_PER_DOMAIN=32",
        "-s",
        "LOG_LEVEL=ERROR",
    ]
    print(f"site: {args.pages} article pages, {avg / 1024:.0f} KB on average")
    full_only = "ITEM_PIPELINES=" + json.dumps(
        {"pipelines.clean.CleanPipeline": 100, "pipelines.store.StorePipeline": 600}
    )
    variants = {
        "bare spider (follow links only)": [
            sys.executable,
            "-m",
            "scrapy",
            "runspider",
            "benchmarks/bare_spider.py",
            "-a",
            f"start={base}/indeks/0/",
            *common,
        ],
        "fetch + extract + store": [
            sys.executable,
            "-m",
            "pantau",
            "crawl",
            "--sources-dir",
            str(sources),
            "--set",
            full_only,
            *common,
        ],
        "full pipeline (language, tags, clusters, alerts)": [
            sys.executable,
            "-m",
            "pantau",
            "crawl",
            "--sources-dir",
            str(sources),
            *common,
        ],
    }
    results = {}
    for label, cmd in variants.items():
        samples = []
        for run in range(args.runs):
            store = tmp / f"store-{len(results)}-{run}.db"
            run_env = {**env, "PANTAU_STORE": str(store), "PANTAU_QUERIES": str(tmp / "none")}
            run_cmd = [c if c != "--set" else "-s" for c in cmd]
            samples.append(child_usage(run_cmd, run_env))
        wall = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples)
        rss = max(s[2] for s in samples)
        results[label] = cpu
        print(
            f"{label:50} {args.pages / wall:7.1f} pages/s  {cpu * 1000 / args.pages:6.2f} ms CPU"
            f" per article  peak {rss:6.0f} MB"
        )
    bare = results["bare spider (follow links only)"]
    for label, cpu in results.items():
        print(f"ratio to bare spider, {label}: {cpu / bare:.2f}")
    print("target: fetch + extract + store <= 6 ms CPU per article, peak memory < 300 MB")
    server.shutdown()
    server.server_close()


if __name__ == "__main__":
    main()
