"""Crawl cost per article: the full pantau crawl against a bare link-following spider.

Generates a loopback site of N realistic article pages (60-120 KB each, like a real portal:
navigation, scripts, related lists and a 500-900 word body), serves it from this process and
crawls it in a child process, whose CPU time and peak memory are read from rusage. Prints the
median over --runs of pages/s, CPU ms per article, peak RSS and the ratio to the bare spider.

The bare spider runs outside the project, on Scrapy's own defaults, so it pays for nothing of
pantau's (not even loading the language models). Every variant also crawls a small site of
--small pages; the difference between the two runs, divided by the difference in pages, is the
marginal cost of one more article once the process is up (start-up, which a long crawl pays
once, is printed apart).

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


def child_usage(cmd: list[str], env: dict, cwd: Path = ROOT) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one child process (its own rusage)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"{cmd[:4]} failed:\n{err.read().decode(errors='replace')[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def variants(base: str, sources: Path) -> dict[str, tuple[list[str], Path]]:
    """Each variant's command line and working folder, for the site served at `base`."""
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
    (sources / "bench.yaml").write_text(
        f"id: bench\nname: Bench\nurl: {base}/\ndiscovery:\n  sitemaps: ['{base}/sitemap.xml']\n"
        "article_urls: '/berita/a[0-9]+/'\n"
    )
    fetch_extract_store = "ITEM_PIPELINES=" + json.dumps(
        {"pipelines.clean.CleanPipeline": 100, "pipelines.store.StorePipeline": 600}
    )
    pantau = [sys.executable, "-m", "pantau", "crawl", "--sources-dir", str(sources)]
    bare = [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        str(ROOT / "benchmarks" / "bare_spider.py"),
        "-a",
        f"start={base}/indeks/0/",
    ]
    # Outside the project folder Scrapy finds no scrapy.cfg and runs on its defaults alone.
    return {
        "bare spider (follow links only)": ([*bare, *common], sources),
        "fetch + extract + store": ([*pantau, "-s", fetch_extract_store, *common], ROOT),
        "full pipeline (language, tags, clusters, alerts)": ([*pantau, *common], ROOT),
    }


def measure(
    cmd: list[str], cwd: Path, env: dict, tmp: Path, runs: int
) -> tuple[float, float, float]:
    """Median wall and CPU seconds, and the largest peak RSS, over `runs` fresh stores."""
    samples = []
    for _ in range(runs):
        store = Path(tempfile.mkdtemp(dir=tmp)) / "store.db"
        run_env = {**env, "PANTAU_STORE": str(store), "PANTAU_QUERIES": str(tmp / "none")}
        samples.append(child_usage(cmd, run_env, cwd))
    return (
        statistics.median(s[0] for s in samples),
        statistics.median(s[1] for s in samples),
        max(s[2] for s in samples),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--small", type=int, default=200, help="pages of the start-up site")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not 0 < args.small < args.pages:
        parser.error("--small must be between 0 and --pages")
    tmp = Path(tempfile.mkdtemp(prefix="pantau-bench-"))
    avg = build_site(tmp / "site", args.pages)
    build_site(tmp / "small-site", args.small)
    server, base = serve(tmp / "site")
    small_server, small_base = serve(tmp / "small-site")
    for folder in ("sources", "small-sources"):
        (tmp / folder).mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("SCRAPY_")}
    env["PYTHONHASHSEED"] = "0"
    print(f"site: {args.pages} article pages, {avg / 1024:.0f} KB on average")
    large = variants(base, tmp / "sources")
    small = variants(small_base, tmp / "small-sources")
    marginal = {}
    for label, (cmd, cwd) in large.items():
        wall, cpu, rss = measure(cmd, cwd, env, tmp, args.runs)
        _, small_cpu, _ = measure(*small[label], env, tmp, args.runs)
        per_article = (cpu - small_cpu) / (args.pages - args.small)
        startup = small_cpu - per_article * args.small
        marginal[label] = per_article
        print(
            f"{label:50} {args.pages / wall:7.1f} pages/s  {cpu * 1000 / args.pages:6.2f} ms CPU"
            f" per article overall, {per_article * 1000:6.2f} ms marginal"
            f" (start-up {startup:4.1f} s)  peak {rss:6.0f} MB"
        )
    bare = marginal["bare spider (follow links only)"]
    for label, per_article in marginal.items():
        print(f"ratio to bare spider (marginal), {label}: {per_article / bare:.2f}")
    print("target: fetch + extract + store <= 6 ms CPU per article, peak memory < 300 MB")
    for running in (server, small_server):
        running.shutdown()
        running.server_close()


if __name__ == "__main__":
    main()
