"""`pantau es ...` from the command line against the loopback cluster."""

from __future__ import annotations

from pathlib import Path

import pytest
from es_fake import FakeCluster, cluster_fixture, es_env, make_item  # noqa: F401

from pantau.cli import main
from pantau.es.config import es_config_from
from pantau.es.indexer import Indexer


@pytest.fixture
def env(cluster: FakeCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = es_env(cluster.url, tmp_path)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    for key in ("PANTAU_ES_PREFIX", "PANTAU_QUERIES", "ELASTICSEARCH_API_KEY"):
        monkeypatch.delenv(key, raising=False)
    return values


def test_setup_twice(env: dict, cluster: FakeCluster, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["es", "setup"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert (
        "created   index pantau-articles-v1: aliases pantau-articles, pantau-articles-write" in out
    )
    assert any(line.startswith("created   saved query ") for line in out)  # the starter rules
    assert main(["es", "setup"]) == 0
    again = capsys.readouterr().out.splitlines()
    assert again[-1].startswith(f"{len(again) - 1} unchanged")
    assert all(line.startswith("unchanged") for line in again[:-1])


def test_status_replay_and_migrate(
    env: dict, cluster: FakeCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["es", "setup", "--no-queries"]) == 0
    cluster.stop()
    spooling = Indexer(None, es_config_from(env))
    for n in range(3):
        spooling.add(make_item(n))
    spooling.seal()
    assert main(["es", "status"]) == 1
    out = capsys.readouterr().out
    assert "cannot reach" in out and "3 document(s) waiting" in out
    assert main(["es", "replay", "--timeout", "5"]) == 1
    assert "stopped early: cannot reach" in capsys.readouterr().err

    cluster.start()
    assert main(["es", "replay"]) == 0
    out = capsys.readouterr().out
    assert "sent 3, accepted 3" in out and "left in spool 0" in out
    assert main(["es", "status"]) == 0
    out = capsys.readouterr().out
    assert "3 document(s), templates current" in out and "0 document(s) waiting" in out
    assert main(["es", "migrate"]) == 0
    assert "already built from the current templates" in capsys.readouterr().out
    assert main(["es", "migrate", "--force", "--keep-old"]) == 0
    out = capsys.readouterr().out
    assert "pantau-articles-v1 -> pantau-articles-v2 (3 copied)" in out
    assert "kept (--keep-old)" in out


@pytest.mark.parametrize(
    "variables, message",
    [
        ({}, "ELASTICSEARCH_URL is not set"),
        ({"ELASTICSEARCH_URL": "https://elastic:s3cret@"}, "ELASTICSEARCH_URL"),
        ({"ELASTICSEARCH_URL": "http://127.0.0.1:9", "PANTAU_ES_BATCH_SIZE": "0"}, "BATCH_SIZE"),
    ],
)
def test_configuration_mistakes_exit_2(
    variables: dict[str, str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for key in ("ELASTICSEARCH_URL", "PANTAU_ES_BATCH_SIZE"):
        monkeypatch.delenv(key, raising=False)
    for key, value in variables.items():
        monkeypatch.setenv(key, value)
    assert main(["es", "setup"]) == 2
    err = capsys.readouterr().err
    assert message in err and "s3cret" not in err


def test_an_unreachable_cluster_exits_1(
    env: dict, cluster: FakeCluster, capsys: pytest.CaptureFixture[str]
) -> None:
    cluster.stop()
    assert main(["es", "setup"]) == 1
    assert "cannot reach http://127.0.0.1:" in capsys.readouterr().err
