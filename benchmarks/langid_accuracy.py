"""Language identification accuracy: across corpora, and on the shipped models' held-out part.

    .venv/bin/python benchmarks/langid_accuracy.py [--corpus labelled.jsonl] [--baseline REV]

1. Across corpora, both directions: the models are built (by pantau.language.build, from the
   training part) on some corpora of the labelled file and measured on another one that they
   never saw, that none of the build's choices saw, and whose held-out part nobody looked at
   while developing (the development part of each test corpus is printed apart):
   - A: built on NusaX + langid.py, measured on NTREX (Indonesian, Malay, English news);
   - B: built on NTREX + langid.py, measured on NusaX (Indonesian, Javanese, Sundanese, English,
     and the regional languages, which no other corpus has: B cannot learn them).
   With --baseline REV (a git revision, e.g. main), pantau's language package as it was at REV
   is built and measured the same way in the same run, as the baseline; CLD3 alone (the second
   opinion) is measured on the same sentences.
2. The shipped models (built on the training part of every corpus) on the held-out part, against
   their first stage and stock langdetect; their mistakes; median milliseconds per sentence
   (a first pass, every word new to the caches, and a second pass, as in a long crawl).

Each build and measurement of part 1 runs in a child process, so the baseline's package and this
one's never meet in one interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter, defaultdict
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAIN = ("id", "en", "ms", "jv", "su")
TARGETS = {"id": 0.99, "en": 0.99, "ms": 0.90, "jv": 0.99, "su": 0.99}
DIRECTIONS = {
    "A": ({"nusax", "langid.py"}, "NTREX"),
    "B": ({"NTREX", "langid.py"}, "nusax"),
}


# --- the child process: build on some corpora, measure on another -------------------------------
# It uses only what every version of pantau.language has: corpus.load / is_held_out,
# build.build(corpus, profiles, family_file), LanguageDetector(LangdetectStage(dir), FamilyModel).


def _source(sample_id: str) -> str:
    return sample_id.split(":", 1)[0]


def worker(corpus_path: Path, direction: str) -> dict:
    from pantau.language import build, corpus
    from pantau.language.base import LangdetectStage
    from pantau.language.detector import LanguageDetector
    from pantau.language.family import FamilyModel

    train_sources, test_source = DIRECTIONS[direction]
    with tempfile.TemporaryDirectory() as folder:
        subset = Path(folder, "labelled.jsonl")
        with corpus_path.open(encoding="utf-8") as source, subset.open("w") as target:
            target.writelines(
                line
                for line in source
                if line.strip() and _source(json.loads(line)["id"]) in train_sources
            )
        started = time.perf_counter()
        build.build(subset, Path(folder, "profiles"), Path(folder, "family.json"))
        build_seconds = time.perf_counter() - started
        stored = json.loads(Path(folder, "family.json").read_text(encoding="utf-8"))
        detector = LanguageDetector(LangdetectStage(Path(folder, "profiles")), FamilyModel(stored))
    results: dict = {"build_seconds": round(build_seconds, 1), "parts": {}}
    times = []
    for sample in corpus.load(corpus_path):
        if _source(sample.id) != test_source:
            continue
        part = "held-out" if corpus.is_held_out(sample.id) else "development"
        start = time.perf_counter()
        said = detector.detect(sample.text)[0]
        times.append(time.perf_counter() - start)
        counts = results["parts"].setdefault(part, {}).setdefault(sample.code, [0, 0, {}])
        counts[0] += 1
        counts[1] += said == sample.code
        if said != sample.code:
            counts[2][said] = counts[2].get(said, 0) + 1
    results["median_ms"] = round(statistics.median(times) * 1000, 3)
    return results


def cld3_alone(corpus_path: Path, test_source: str) -> dict:
    """CLD3's own answers on the test corpus (it never saw the labelled file either)."""
    from pantau.language import corpus, second_opinion

    parts: dict = {}
    for sample in corpus.load(corpus_path):
        if _source(sample.id) != test_source:
            continue
        part = "held-out" if corpus.is_held_out(sample.id) else "development"
        counts = parts.setdefault(part, {}).setdefault(sample.code, [0, 0, {}])
        counts[0] += 1
        counts[1] += second_opinion.opinion(sample.text).code == sample.code
    return parts


def _run_worker(tree: Path, corpus_path: Path, direction: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree))
    command = [sys.executable, __file__, "--corpus", str(corpus_path), "--worker", direction]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"building and measuring {direction} in {tree} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _extract(revision: str, into: Path) -> Path:
    """pantau/ as it was at a git revision, unpacked into a folder."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", revision, "pantau"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def _share(counts: list | None) -> str:
    return f"{counts[1] / counts[0]:.3f}" if counts and counts[0] else "  -  "


def cross_source(corpus_path: Path, baseline: str | None, parts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base_tree = _extract(baseline, Path(folder)) if baseline else None
        for direction, (train_sources, test_source) in DIRECTIONS.items():
            ours = _run_worker(REPO, corpus_path, direction)
            theirs = _run_worker(base_tree, corpus_path, direction) if base_tree else None
            alone = cld3_alone(corpus_path, test_source)
            print(
                f"\n{direction}: built on {' + '.join(sorted(train_sources))}, measured on"
                f" {test_source} (build {ours['build_seconds']} s"
                + (f", baseline {theirs['build_seconds']} s" if theirs else "")
                + ")"
            )
            for part in parts:
                mine = ours["parts"].get(part, {})
                head = (
                    f"  {part} part{'' if part == 'held-out' else ' (looked at while developing)'}"
                )
                print(head)
                print(
                    f"    {'lang':6}{'n':>6}{'pantau':>9}{'baseline':>10}{'CLD3':>7}{'target':>8}"
                )
                codes = [c for c in MAIN if c in mine] + sorted(set(mine) - set(MAIN))
                for code in codes:
                    base = theirs["parts"].get(part, {}).get(code) if theirs else None
                    target = f"{TARGETS[code]:.2f}" if code in TARGETS else ""
                    print(
                        f"    {code:6}{mine[code][0]:>6}{_share(mine[code]):>9}{_share(base):>10}"
                        f"{_share(alone.get(part, {}).get(code)):>7}{target:>8}"
                    )
                wrong = {c: mine[c][2] for c in codes if c in MAIN and mine[c][2]}
                for code, said in wrong.items():
                    top = sorted(said.items(), key=lambda kv: -kv[1])[:5]
                    print(f"      {code} -> " + ", ".join(f"{s}: {n}" for s, n in top))
            print(
                f"  median ms per sentence: pantau {ours['median_ms']:.3f}"
                + (f", baseline {theirs['median_ms']:.3f}" if theirs else "")
            )


# --- part 2: the shipped models on the held-out part ---------------------------------------------


def _timed(function, texts: list[str]) -> tuple[list[str], float]:
    answers, times = [], []
    for text in texts:
        start = time.perf_counter()
        answers.append(function(text))
        times.append(time.perf_counter() - start)
    return answers, statistics.median(times) * 1000


def shipped(corpus_path: Path) -> int:
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    from pantau.language import corpus, detect_language, second_opinion
    from pantau.language.base import LangdetectStage

    samples = list(corpus.held_out(corpus_path))
    texts = [sample.text for sample in samples]
    detect_language("warm-up: load the models before timing")
    pantau, pantau_ms = _timed(lambda text: detect_language(text)[0], texts)
    again, pantau_warm_ms = _timed(lambda text: detect_language(text)[0], texts)
    if again != pantau:
        print("pantau gave different answers on the second pass", file=sys.stderr)
        return 1
    stage = LangdetectStage()

    def first_stage(text: str) -> str:
        evidence = stage.evidence(text)
        return evidence.best if evidence else "und"

    staged, stage_ms = _timed(first_stage, texts)
    _, cld3_ms = _timed(lambda text: second_opinion.opinion(text).code, texts)
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)

    def stock_langdetect(text: str) -> str:
        detector = factory.create()
        detector.append(text)
        try:
            return detector.detect()
        except LangDetectException:
            return "und"

    stock, stock_ms = _timed(stock_langdetect, texts)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    mistakes: dict[str, Counter[str]] = defaultdict(Counter)
    for sample, ours, first, theirs in zip(samples, pantau, staged, stock, strict=True):
        right[sample.code]["n"] += 1
        right[sample.code]["pantau"] += ours == sample.code
        right[sample.code]["stage 1"] += first == sample.code
        right[sample.code]["langdetect"] += theirs == sample.code
        if ours != sample.code:
            mistakes[sample.code][ours] += 1
    print(
        f"\nShipped models (built on the training part of every corpus), on the held-out part:"
        f" {len(samples)} sentences ({corpus.HELD_OUT_PERCENT}% of the corpus)"
    )
    print(f"  {'lang':6}{'n':>6}{'pantau':>9}{'stage 1':>9}{'langdetect':>12}")
    for code in list(MAIN) + sorted(set(right) - set(MAIN)):
        counts = right[code]
        n = counts["n"]
        print(
            f"  {code:6}{n:>6}{counts['pantau'] / n:>9.3f}{counts['stage 1'] / n:>9.3f}"
            f"{counts['langdetect'] / n:>12.3f}"
        )
    print("  pantau's mistakes on the main languages (true -> said: count):")
    for code in MAIN:
        listed = ", ".join(f"{said}: {count}" for said, count in mistakes[code].most_common(6))
        print(f"    {code} -> {listed or 'none'}")
    print("  median ms per sentence:")
    print(f"    pantau, first pass    {pantau_ms:.3f}")
    print(f"    pantau, second pass   {pantau_warm_ms:.3f}")
    print(f"    stage 1 alone         {stage_ms:.3f}")
    print(f"    CLD3 alone            {cld3_ms:.3f}")
    print(f"    stock langdetect      {stock_ms:.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--baseline", metavar="REV", help="git revision to measure as baseline")
    parser.add_argument(
        "--parts",
        choices=["both", "development"],
        default="both",
        help="'development': only the parts of the test corpora one may look at while developing",
    )
    parser.add_argument("--worker", choices=sorted(DIRECTIONS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.corpus is None:
        from pantau.language.corpus import DEFAULT_CORPUS

        args.corpus = DEFAULT_CORPUS
    if not args.corpus.is_file():
        print(f"labelled corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    if args.worker:
        print(json.dumps(worker(args.corpus.resolve(), args.worker)))
        return 0
    parts = ["development"] if args.parts == "development" else ["held-out", "development"]
    cross_source(args.corpus.resolve(), args.baseline, parts)
    if args.parts == "development":
        return 0
    return shipped(args.corpus)


if __name__ == "__main__":
    raise SystemExit(main())
