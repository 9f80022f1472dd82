"""`pantau sources check` against outlets on loopback: one per way an outlet goes wrong."""

from __future__ import annotations

import json

import pytest
from loopback_outlets import ROBOTS_OPEN, article, feed, outlets, write_source

from pantau.cli import main
from pantau.fixture_site.responses import html_page, plain, rss_document, xml_document

DATES = [
    "Sat, 10 Feb 2024 09:00:00 +0700",
    "Fri, 09 Feb 2024 09:00:00 +0700",
    "Thu, 08 Feb 2024 09:00:00 +0700",
]
PATHS = ["/berita/1/satu", "/berita/2/dua", "/berita/3/tiga"]


def healthy(outlet, date: str | None = "2024-02-10T09:00:00+07:00") -> None:
    outlet.serve(
        {
            "/robots.txt": plain(ROBOTS_OPEN),
            "/rss": rss_document(feed(outlet.url, PATHS, DATES)),
            **{p: html_page(article(f"Judul {p}", date)) for p in PATHS},
        }
    )


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    names = ("healthy", "moved", "forbidden", "blank", "robots", "partial", "nodate")
    with outlets(*names) as made:
        healthy(made["healthy"])
        # the feed moved: 404 where it was, nothing else to find articles by
        made["moved"].serve({"/robots.txt": plain(ROBOTS_OPEN)})
        # a firewall in front of everything
        made["forbidden"].serve({}, default=html_page("<h1>Forbidden</h1>", status=403))
        # routes fine, but the article pages stopped carrying their text
        healthy(made["blank"])
        made["blank"].serve(
            {p: html_page("<html><body><div id=app></div></body></html>") for p in PATHS}
        )
        # robots.txt now shuts crawlers out
        healthy(made["robots"])
        made["robots"].serve({"/robots.txt": plain("User-agent: *\nDisallow: /\n")})
        # the feed is gone, but the sitemap still lists articles
        healthy(made["partial"])
        made["partial"].routes.pop("/rss")
        sitemap = "".join(f"<url><loc>{made['partial'].url}{p}</loc></url>" for p in PATHS)
        made["partial"].serve(
            {
                "/sitemap.xml": xml_document(
                    '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                    f'sitemap/0.9">{sitemap}</urlset>'
                )
            }
        )
        # pages read, but no publication date any more
        healthy(made["nodate"], date=None)
        for name, outlet in made.items():
            if name == "partial":
                discovery = (
                    f"{{feeds: ['{outlet.url}/rss'], sitemaps: ['{outlet.url}/sitemap.xml']}}"
                )
            else:
                discovery = f"{{feeds: ['{outlet.url}/rss']}}"
            write_source(folder, name, outlet.url, discovery)
        yield folder, made


def check(capsys, folder, *ids: str) -> tuple[int, dict[str, dict]]:
    code = main(["sources", "check", *ids, "--sources-dir", str(folder), "--json", "--delay", "0"])
    lines = capsys.readouterr().out.splitlines()
    reports = {r["id"]: r for r in map(json.loads, lines)}
    return code, reports


def test_each_outlet_gets_its_verdict_and_broken_ones_fail_the_run(
    sites, capsys, monkeypatch, tmp_path
):
    folder, made = sites
    store = tmp_path / "never.db"
    monkeypatch.setenv("PANTAU_STORE", str(store))
    code, reports = check(capsys, folder)
    verdicts = {k: r["verdict"] for k, r in reports.items()}
    assert verdicts == {
        "healthy": "ok",
        "moved": "broken",
        "forbidden": "broken",
        "blank": "broken",
        "robots": "broken",
        "partial": "degraded",
        "nodate": "degraded",
    }
    assert code == 1
    assert not store.exists()  # the check never writes

    ok = reports["healthy"]
    (route,) = ok["routes"]
    assert (route["robots"], route["status"], route["items"]) == ("allowed", 200, 3)
    assert route["newest"] == "2024-02-10T09:00:00+07:00"
    assert [p["url"].rsplit("/", 2)[-2] for p in ok["pages"]] == ["1", "2", "3"]  # newest first
    assert all(p["title"] and p["body"] and p["date"] for p in ok["pages"])

    assert reports["moved"]["routes"][0]["status"] == 404
    assert reports["forbidden"]["routes"][0]["status"] == 403
    assert reports["blank"]["routes"][0]["items"] == 3
    assert not any(p["body"] for p in reports["blank"]["pages"])
    assert reports["robots"]["routes"][0]["robots"] == "disallowed"
    assert made["robots"].requests == ["/robots.txt"]  # asked robots.txt once, fetched nothing
    partial = {r["kind"]: r for r in reports["partial"]["routes"]}
    assert partial["feed"]["status"] == 404 and partial["sitemap"]["items"] == 3
    assert all(p["title"] and p["body"] and not p["date"] for p in reports["nodate"]["pages"])


def test_only_ok_and_degraded_sources_exit_zero(sites, capsys):
    folder, _ = sites
    code, reports = check(capsys, folder, "healthy", "partial")
    assert code == 0 and set(reports) == {"healthy", "partial"}


def test_table_output_names_every_route_and_verdict(sites, capsys):
    folder, made = sites
    code = main(
        ["sources", "check", "moved", "healthy", "--sources-dir", str(folder), "--delay", "0"]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert f"{made['moved'].url}/rss  ! HTTP 404" in out
    assert "=> ok" in out and "=> broken" in out
    assert out.rstrip().endswith("1 ok, 0 degraded, 1 broken")


def test_a_source_out_of_time_is_reported_not_waited_for(sites, capsys):
    folder, _ = sites
    code = main(
        ["sources", "check", "healthy", "--sources-dir", str(folder), "--json", "--timeout", "0"]
    )
    (report,) = map(json.loads, capsys.readouterr().out.splitlines())
    assert code == 1 and report["verdict"] == "broken"
    assert "time limit" in report["routes"][0]["error"]


def test_unknown_ids_and_bad_files_exit_two(sites, capsys, tmp_path):
    folder, _ = sites
    assert main(["sources", "check", "nope", "--sources-dir", str(folder)]) == 2
    (tmp_path / "bad.yaml").write_text(
        "id: x\nname: X\nurl: https://x.id/\nplatform: wordpress\nregion: Jawa Timr\n"
    )
    assert main(["sources", "check", "--sources-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unknown source id" in err and "did you mean 'Jawa Timur'?" in err
