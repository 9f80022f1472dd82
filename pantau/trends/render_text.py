"""The report as plain-text tables for the terminal."""

from __future__ import annotations

from typing import Any

_SPARKS = " ▁▂▃▄▅▆▇█"
TITLE_WIDTH = 60


def _short(text: str | None, width: int = TITLE_WIDTH) -> str:
    text = " ".join((text or "(no title)").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _when(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ")


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        parts = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  " + "  ".join(parts).rstrip()

    return [line(headers)] + [line(row) for row in rows]


SPARK_WIDTH = 72


def sparkline(counts: list[int], width: int = SPARK_WIDTH) -> str:
    """One character per bucket, scaled to the largest count (blank for zero).

    Long series (a 90-day window by hour) are summed into at most ``width`` columns so the
    line fits a terminal.
    """
    if len(counts) > width:
        step = -(-len(counts) // width)
        counts = [sum(counts[i : i + step]) for i in range(0, len(counts), step)]
    peak = max(counts, default=0)
    if peak == 0:
        return " " * len(counts)
    return "".join(_SPARKS[0 if n == 0 else max(1, round(n / peak * 8))] for n in counts)


def format_report(report: dict[str, Any]) -> str:
    """Readable tables: emerging terms, growing stories, volume per topic."""
    win = report["window"]
    out = [
        f"Emerging narratives {_when(win['start'])} to {_when(win['end'])} ({win['timezone']}): "
        f"the last {win['window']} against the {win['baseline']} before",
        f"{win['documents']} articles ({win['stories']} stories) in the window, "
        f"{win['baseline_stories']} stories in the baseline; {win['backend']}, score "
        f"{win['score']}, at least {win['min_docs']} stories from {win['min_outlets']} outlets",
    ]
    filters = [f"{name} {win[name]}" for name in ("topic", "source") if win.get(name)]
    if filters:
        out.append("Only " + ", ".join(filters))
    out += ["", "Emerging terms"]
    if report["terms"]:
        rows = []
        for rank, term in enumerate(report["terms"], 1):
            example = term["examples"][0] if term["examples"] else {}
            rows.append(
                [
                    str(rank),
                    term["term"],
                    f"{term['score']:.4g}",
                    str(term["docs_window"]),
                    str(term["docs_baseline"]),
                    str(term["outlets"]),
                    f"{example.get('source', '')}: {_short(example.get('title'), 50)}",
                ]
            )
        headers = ["#", "term", "score", "window", "baseline", "outlets", "first example"]
        out += _table(headers, rows, right={0, 2, 3, 4, 5})
    else:
        out.append("  (none reached the minimum counts and grew)")
    out += ["", "Growing stories (outlets new in the window)"]
    if report["clusters"]:
        rows = [
            [
                str(story["new_outlets"]),
                str(story["outlets"]),
                story["first_source"] or "",
                _when(story["first_seen"]),
                _short(story.get("title")),
            ]
            for story in report["clusters"]
        ]
        headers = ["new", "outlets", "first outlet", "first seen", "title"]
        out += _table(headers, rows, right={0, 1})
    else:
        out.append("  (no story reached new outlets)")
    volume = report["volume"]
    out += ["", f"Volume per topic, per {volume['interval']}"]
    if volume["series"]:
        rows = []
        for topic, points in volume["series"].items():
            counts = [n for _, n in points]
            peak_at, peak = max(points, key=lambda p: p[1])
            rows.append(
                [topic, str(sum(counts)), sparkline(counts), f"peak {peak} at {_when(peak_at)}"]
            )
        out += _table(["topic", "articles", "over time", ""], rows, right={1})
    else:
        out.append("  (no articles in the window)")
    for note in report.get("notes", []):
        out.append(f"Note: {note}")
    return "\n".join(out) + "\n"
