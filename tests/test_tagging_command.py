"""`pantau tag`: JSON lines in, the same objects with language and tags out."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from pantau.commands.tag import run_tag

REPO = Path(__file__).resolve().parents[1]


def run(lines: list[str]) -> tuple[int, list[dict], str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_tag(io.StringIO("".join(line + "\n" for line in lines)), stdout, stderr)
    return code, [json.loads(line) for line in stdout.getvalue().splitlines()], stderr.getvalue()


def test_tags_each_line_in_order() -> None:
    code, out, err = run(
        [
            json.dumps({"id": 1, "title": "Bawaslu temukan serangan fajar di Bandung"}),
            json.dumps({"id": 2, "text": "Police arrested a man for hate speech in Jakarta."}),
            json.dumps({"id": 3, "title": "Kominfo", "body": "Kominfo memblokir situs judi."}),
        ]
    )
    assert (code, err) == (0, "")
    assert [o["id"] for o in out] == [1, 2, 3]
    first, second, third = out
    assert first["language"] == "id"
    assert 0.0 <= first["language_score"] <= 1.0
    assert first["topics"] == ["pemilu", "politik-uang"]  # Bawaslu is an election body
    assert first["entities"]["institutions"] == ["Bawaslu"]
    assert first["regions"] == ["Bandung", "Jawa Barat"]
    assert second["language"] == "en"
    assert second["topics"] == ["ujaran-kebencian"]
    assert second["text"] == "Police arrested a man for hate speech in Jakarta."  # kept
    assert third["topics"] == ["pemblokiran"]
    for obj in out:
        assert {"keywords", "topics", "entities", "regions", "language", "language_score"} <= set(
            obj
        )


def test_bad_lines_are_reported_and_skipped() -> None:
    code, out, err = run(
        [
            "{not json",
            json.dumps(["a", "list"]),
            json.dumps({"title": 5}),
            json.dumps({"url": "https://x.id"}),
            "",
            json.dumps({"body": "Hoaks beredar di grup WhatsApp warga."}),
        ]
    )
    assert code == 1
    assert [o["topics"] for o in out] == [["hoaks"]]
    messages = err.splitlines()
    assert [m.split(":")[0] for m in messages] == ["line 1", "line 2", "line 3", "line 4"]
    assert "not valid JSON" in messages[0]
    assert "expected a JSON object" in messages[1]
    assert "'title' must be a string" in messages[2]
    assert "no text" in messages[3]


def test_the_command_runs() -> None:
    line = json.dumps({"title": "Kericuhan saat rekapitulasi suara di Papua"}) + "\n"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "pantau", "tag"],
        input=line,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["topics"] == ["konflik", "pemilu"]
    assert result["regions"] == ["Papua"]
