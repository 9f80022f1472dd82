"""Saved-query alerts during real crawls of the fixture sites, delivered to a loopback webhook."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from crawl_helpers import ROOT, crawl
from test_alerts_fakes import Receiver, closed_port_url

from pantau.alerts.rules import load_rules
from pantau.fixture_site import FixtureSites
from pantau.store import SqliteStore

STARTER = ROOT / "index_config" / "queries"


@pytest.fixture(scope="module")
def sites():
    with FixtureSites() as live:
        yield live


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """The starter queries, delivering to the webhook and the log only."""
    folder = tmp_path_factory.mktemp("alerts")
    queries = folder / "queries"
    queries.mkdir()
    for path in STARTER.glob("*.yaml"):
        rule = yaml.safe_load(path.read_text())
        rule["notify"] = ["webhook", "log"]
        (queries / path.name).write_text(yaml.safe_dump(rule, allow_unicode=True))
    return folder


def crawl_with_hook(sites, workdir, hook_url: str, name: str):
    env = {
        "PANTAU_QUERIES": str(workdir / "queries"),
        "PANTAU_WEBHOOK_URL": hook_url,
        "PANTAU_ALERT_RETRIES": "1",
        "PANTAU_ALERT_BACKOFF": "0.05",
    }
    run = crawl(sites, workdir, env=env, name=name)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def alerted(receiver: Receiver) -> set[tuple[str, str]]:
    """(rule id, item URL) pairs the receiver was sent."""
    pairs = set()
    for body in receiver.bodies:
        for alert in body["alerts"]:
            if alert["kind"] == "match":
                pairs.add((body["rule_id"], alert["url"]))
    return pairs


def test_alerts_arrive_once_and_agree_with_search(sites, workdir):
    with Receiver() as hook:
        crawl_with_hook(sites, workdir, hook.url + "/hook", "first")
        first = alerted(hook)
        assert first, "the fixture sites carry vote buying, hoax and clash stories"
        assert all("text" in body for body in hook.bodies)  # Slack-style summary line
        assert len(hook.bodies) == len({b["rule_id"] for b in hook.bodies})  # a digest per rule

        # Ingest-time matching and store search mean the same thing on this corpus.
        store = SqliteStore(workdir / "pantau.db")
        rules, errors = load_rules(workdir / "queries")
        assert errors == []
        for rule in rules:
            if rule.spike:
                continue
            hits = store.search(rule.query, limit=1000)
            langs = set(rule.filters.get("language") or [])
            expected = {h["url"] for h in hits if not langs or h["language"] in langs}
            assert {url for rid, url in first if rid == rule.id} == expected, rule.id
        store.close()

        crawl_with_hook(sites, workdir, hook.url + "/hook", "repeat")
        assert alerted(hook) == first and len(hook.bodies) == len(
            {b["rule_id"] for b in hook.bodies}
        )

        matched = next(url for rid, url in first if rid == "politik-uang" and "/berita/" in url)
        key = matched.rstrip("/").split("/berita/")[1].split("/")[0]
        sites.update_article(
            "portal",
            key,
            body="Bawaslu kembali menemukan politik uang.\n\n"
            "Serangan fajar diawasi hingga hari pencoblosan.",
        )
        before = len(hook.bodies)
        run = crawl_with_hook(sites, workdir, hook.url + "/hook", "updated")
        assert any(key in i["url"] for i in run.items), "the update was crawled"
        assert len(hook.bodies) == before, "an updated article must not alert again"


def test_receiver_down_gets_the_alert_on_the_next_run(sites, workdir):
    new = sites.add_article(
        "portal",
        "Tim Sukses Caleg Tertangkap Bagikan Amplop di Kediri",
        "Bawaslu Kediri menangkap tim sukses yang diduga melakukan politik uang.\n\n"
        "Amplop berisi uang dibagikan kepada pemilih menjelang pemungutan suara di TPS.",
    )
    crawl_with_hook(sites, workdir, closed_port_url(), "down")
    listing = subprocess.run(
        [
            sys.executable,
            "-m",
            "pantau",
            "alerts",
            "list",
            "--json",
            "--rule",
            "politik-uang",
            "--store",
            str(workdir / "pantau.db"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    pending = [r for r in rows if r["url"].rstrip("/") == new["url"].rstrip("/")]
    assert pending and pending[0]["delivered"] is False

    with Receiver() as hook:
        crawl_with_hook(sites, workdir, hook.url + "/hook", "back")
        assert any(
            rid == "politik-uang" and url.rstrip("/") == new["url"].rstrip("/")
            for rid, url in alerted(hook)
        )
        crawl_with_hook(sites, workdir, hook.url + "/hook", "after")
        sent = [
            a.get("url") for b in hook.bodies if b["rule_id"] == "politik-uang" for a in b["alerts"]
        ]
        assert sum((u or "").rstrip("/") == new["url"].rstrip("/") for u in sent) == 1
