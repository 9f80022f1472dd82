"""``pantau alerts list | test | run`` through the parser and handlers the CLI registers."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
from test_alerts_fakes import Receiver, loopback_only  # noqa: F401

from pantau.commands.alerts import register
from pantau.store import SqliteStore

MONEY = """\
id: politik-uang
name: Politik uang
query: '"politik uang" OR "serangan fajar"'
severity: high
notify: [webhook]
"""
SPIKE = """\
id: lonjakan-kpu
name: Lonjakan berita KPU
query: KPU
notify: [webhook]
spike: {count: 2, window: 1d}
"""
DOCS = [
    ("Warga laporkan politik uang ke Bawaslu", "2024-02-10T09:00:00+07:00", "kabar"),
    ("Waspada serangan fajar jelang pencoblosan", "2024-02-13T20:00:00+07:00", "warta"),
    ("KPU umumkan jadwal rekapitulasi", "2024-02-14T08:00:00+07:00", "kabar"),
    ("KPU tambah petugas di TPS rawan politik uang", "2024-02-14T12:00:00+07:00", "warta"),
    ("Harga beras stabil", "2024-02-14T13:00:00+07:00", "kabar"),
]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, Path]:
    store = SqliteStore(tmp_path / "pantau.db")
    for n, (title, published, source) in enumerate(DOCS):
        url = f"https://{source}.example/{n}"
        store.upsert(
            {
                "id": f"doc{n}",
                "url": url,
                "canonical_url": url,
                "source": source,
                "title": title,
                "body": "",
                "published_at": published,
            }
        )
    store.close()
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "politik-uang.yaml").write_text(MONEY, encoding="utf-8")
    return {"store": tmp_path / "pantau.db", "queries": queries}


def run_cli(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="pantau")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["alerts", *argv])
    code = args.func(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def paths(env: dict[str, Path]) -> list[str]:
    return ["--store", str(env["store"]), "--queries", str(env["queries"])]


def test_run_records_and_delivers_then_list_shows_it(
    env: dict[str, Path], capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Receiver() as hook:
        monkeypatch.setenv("PANTAU_WEBHOOK_URL", hook.url)
        code, out, _ = run_cli(capsys, "run", *paths(env))
        assert code == 0
        assert "politik-uang: 3 new alert(s)" in out
        assert "delivered webhook digest for politik-uang (3 alert(s))" in out
        assert [a["title"] for a in hook.bodies[0]["alerts"]] == [
            DOCS[0][0],
            DOCS[1][0],
            DOCS[3][0],
        ]
        # a second run finds nothing new and sends nothing
        code, out, _ = run_cli(capsys, "run", *paths(env))
        assert (code, len(hook.requests)) == (0, 1)
        assert "politik-uang: 0 new alert(s)" in out

    code, out, _ = run_cli(capsys, "list", "--json", *paths(env))
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(records) == 3
    for record in records:
        assert {"rule", "url", "title", "source", "matched_at", "delivered"} <= set(record)
        assert (record["rule"], record["delivered"]) == ("politik-uang", True)
        assert record["deliveries"] == {"webhook": "delivered"}
    assert {r["url"] for r in records} == {
        "https://kabar.example/0",
        "https://warta.example/1",
        "https://warta.example/3",
    }

    code, out, _ = run_cli(capsys, "list", *paths(env))
    assert out.splitlines()[-1] == "3 alert(s)"
    assert "politik-uang  [high]  delivered  warta  Waspada serangan fajar" in out
    assert run_cli(capsys, "list", "--rule", "other", *paths(env))[1] == "0 alert(s)\n"
    assert run_cli(capsys, "list", "--since", "2999-01-01", *paths(env))[1] == "0 alert(s)\n"


def test_a_new_rule_alerts_on_what_the_store_holds(
    env: dict[str, Path], capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Receiver() as hook:
        monkeypatch.setenv("PANTAU_WEBHOOK_URL", hook.url)
        run_cli(capsys, "run", *paths(env))
        (env["queries"] / "lonjakan.yaml").write_text(SPIKE, encoding="utf-8")
        code, out, _ = run_cli(capsys, "run", "--rule", "lonjakan-kpu", *paths(env))
        assert code == 0 and "lonjakan-kpu: 2 new alert(s)" in out
        assert "politik-uang" not in out
        [spike] = hook.bodies[1]["alerts"]
        assert spike["id"] == "lonjakan-kpu:spike:2024-02-14T00:00:00+07:00"
        assert spike["match_count"] == 2
    code, out, _ = run_cli(capsys, "list", "--json", "--rule", "lonjakan-kpu", *paths(env))
    kinds = sorted((r["kind"], r["delivered"]) for r in map(json.loads, out.splitlines()))
    assert kinds == [("match", None), ("match", None), ("spike", True)]


def test_run_reports_failures_and_bad_files_in_its_exit_code(
    env: dict[str, Path], capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    (env["queries"] / "rusak.yaml").write_text("id: rusak\nname: R\n", encoding="utf-8")
    with Receiver(statuses=[503]) as hook:
        monkeypatch.setenv("PANTAU_WEBHOOK_URL", hook.url)
        monkeypatch.setenv("PANTAU_ALERT_RETRIES", "0")
        code, out, err = run_cli(capsys, "run", *paths(env))
    assert code == 1
    assert "rusak.yaml: missing required key(s) query" in err
    assert "FAILED webhook for politik-uang (3 alert(s)), kept for later: HTTP 503" in out
    code, out, _ = run_cli(capsys, "list", "--json", *paths(env))
    assert {json.loads(line)["delivered"] for line in out.splitlines()} == {False}


def test_test_shows_matches_without_recording(
    env: dict[str, Path], capsys: pytest.CaptureFixture
) -> None:
    code, out, _ = run_cli(capsys, "test", str(env["queries"] / "politik-uang.yaml"), *paths(env))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "rule politik-uang: 3 matching document(s) in the store"
    titles = [line[2:] for line in lines if line.startswith("- ")]
    assert titles == [DOCS[3][0], DOCS[1][0], DOCS[0][0]]  # newest first
    assert "  matched: serangan fajar" in lines
    # by id, as JSON, limited
    code, out, _ = run_cli(capsys, "test", "politik-uang", "--json", "--limit", "1", *paths(env))
    [record] = [json.loads(line) for line in out.splitlines()]
    assert record["url"] == "https://warta.example/3" and record["matched_terms"] == [
        "politik uang"
    ]
    # nothing was recorded
    assert run_cli(capsys, "list", *paths(env))[1] == "0 alert(s)\n"


def test_test_reports_spike_windows(
    env: dict[str, Path], capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    rule_file = tmp_path / "lonjakan.yaml"
    rule_file.write_text(SPIKE, encoding="utf-8")
    code, out, _ = run_cli(capsys, "test", str(rule_file), *paths(env))
    assert code == 0
    assert "spike 2 per 1d: would fire in 1 window(s)" in out
    assert "  2024-02-14T00:00:00+07:00 .. 2024-02-15T00:00:00+07:00: 2 matches" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["test", "missing.yaml"], "missing.yaml: no such rule file, nor a valid rule"),
        (["list", "--since", "kemarin"], "cannot read --since 'kemarin'"),
        (["run", "--rule", "nope"], "no valid rule with id 'nope'"),
    ],
)
def test_usage_errors_are_named(
    env: dict[str, Path], capsys: pytest.CaptureFixture, argv: list[str], message: str
) -> None:
    code, _, err = run_cli(capsys, *argv, *paths(env))
    assert code == 2 and message in err


def test_invalid_rule_file_and_missing_store(
    env: dict[str, Path], capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname: X\nquery: '(a AND'\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "test", str(bad), *paths(env))
    assert code == 2 and f"{bad}: query: cannot parse" in err
    code, _, err = run_cli(capsys, "list", "--store", str(tmp_path / "none.db"))
    assert code == 2 and "no store at" in err
    assert not (tmp_path / "none.db").exists()


def test_register_adds_the_subcommands() -> None:
    parser = argparse.ArgumentParser(prog="pantau")
    register(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit):
        parser.parse_args(["alerts"])  # a subcommand is required
    args: Any = parser.parse_args(["alerts", "list", "--json"])
    assert (args.command, args.alerts_command, args.json, args.store) == (
        "alerts",
        "list",
        True,
        None,
    )
