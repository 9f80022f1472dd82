"""`pantau tag`: tag JSON lines from stdin with language, keywords, topics, entities, regions.

Each input line is a JSON object with `title` and/or `body` (or `text`, taken as the body); a
`language` it already carries is passed to the detector as the declared one. Each object is
written back, in order, one per line, with `language`, `language_score`, `keywords`, `topics`,
`entities` and `regions` added. A bad line is reported on stderr with its number and skipped;
the exit code is then 1.

    echo '{"title": "Bawaslu temukan politik uang"}' | pantau tag
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from pantau.tagging import Lexicon, LexiconError, load_lexicon


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tag",
        help="tag JSON lines from stdin (title/body or text) with language and topics",
        description="Reads JSON objects, one per line, with title and/or body (or text); writes "
        "each back with language, language_score, keywords, topics, entities and regions.",
    )
    p.add_argument(
        "--lexicons", help="lexicon folder (default: $PANTAU_LEXICONS or the packaged one)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        lexicon = load_lexicon(args.lexicons)
    except LexiconError as exc:
        print(f"pantau tag: {exc}", file=sys.stderr)
        return 2
    return run_tag(sys.stdin, sys.stdout, sys.stderr, lexicon)


def _text_field(obj: dict[str, Any], name: str) -> str | None:
    value = obj.get(name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name!r} must be a string, got {type(value).__name__}")
    return value


def tag_object(obj: Any, lexicon: Lexicon) -> dict[str, Any]:
    """The object with the tagging fields added; ValueError says what is wrong with it."""
    from pantau.language import language_of_item

    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    title = _text_field(obj, "title")
    body = _text_field(obj, "body")
    text = _text_field(obj, "text")
    if body is None:
        body = text
    elif text is not None:
        raise ValueError("give 'body' or 'text', not both")
    if not (title or "").strip() and not (body or "").strip():
        raise ValueError("no text: needs a non-empty 'title', 'body' or 'text'")
    declared = _text_field(obj, "language")
    language, score = language_of_item(title, body, declared=declared)
    out = dict(obj)
    out["language"] = language
    out["language_score"] = score
    out.update(lexicon.tag(title, body, language))
    return out


def run_tag(stdin: TextIO, stdout: TextIO, stderr: TextIO, lexicon: Lexicon | None = None) -> int:
    """Tag every line of stdin to stdout; 0 when all lines were good, 1 when any was not."""
    if lexicon is None:
        lexicon = load_lexicon()
    failed = 0
    for number, line in enumerate(stdin, 1):
        if not line.strip():
            continue  # blank lines carry nothing to tag
        try:
            result = tag_object(json.loads(line), lexicon)
        except json.JSONDecodeError as exc:
            print(f"line {number}: not valid JSON: {exc}", file=stderr)
            failed += 1
            continue
        except ValueError as exc:
            print(f"line {number}: {exc}", file=stderr)
            failed += 1
            continue
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 1 if failed else 0
