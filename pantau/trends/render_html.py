"""The report as one self-contained HTML page: inline SVG charts and linked tables.

Nothing is fetched: no scripts, fonts, style sheets or images from anywhere, and a
Content-Security-Policy says so to the browser, so the page opens offline and can be forwarded
as a single file. Every piece of text from the store is escaped; only http(s) URLs become links.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

# Series colours (volume lines, legend) and the two bar colours of the terms chart.
PALETTE = (
    "#1f6feb",
    "#d9480f",
    "#2b8a3e",
    "#ae3ec9",
    "#e67700",
    "#0b7285",
    "#c2255c",
    "#5c940d",
)
WINDOW_BAR = "#e8590c"
BASELINE_BAR = "#adb5bd"
MAX_SERIES = len(PALETTE)
MAX_TERM_BARS = 15

_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #212529;
       margin: 24px auto; max-width: 1160px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: #495057; margin: 2px 0; } .note { color: #a61e4d; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; border: 1px solid #dee2e6; border-radius: 6px; padding: 8px; background: #fff; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg text { font: 11px system-ui, sans-serif; fill: #495057; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e9ecef;
         vertical-align: top; }
th { background: #f1f3f5; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.related { color: #868e96; font-size: 12px; } .empty { color: #868e96; font-style: italic; }
a { color: #1864ab; } ul.ex { margin: 0; padding-left: 16px; }
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(url: str | None, text: str | None) -> str:
    label = _e(text or url or "(no title)")
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{label}</a>'
    return label


def _when(iso: str | None) -> str:
    return (iso or "")[:16].replace("T", " ")


def _tick_label(iso: str, interval: str) -> str:
    moment = datetime.fromisoformat(iso)
    return moment.strftime("%d %b %H:%M" if interval == "hour" else "%d %b")


def _axis_step(peak: float, ticks: int = 4) -> int:
    """A whole, round step (1, 2, 5, 10, 20, 50...) so that ``ticks`` steps reach ``peak``."""
    step = 1
    while step * ticks < peak:
        for factor in (2, 2.5, 2):  # 1 -> 2 -> 5 -> 10 -> 20 -> 50 ...
            step = int(step * factor)
            if step * ticks >= peak:
                break
    return step


def volume_chart(volume: dict[str, Any], width: int = 1120, height: int = 300) -> str:
    """Lines of articles per bucket, one per topic (the busiest ``MAX_SERIES`` topics)."""
    series = list(volume["series"].items())[:MAX_SERIES]
    if not series or not series[0][1]:
        return '<p class="empty">No articles in the window.</p>'
    left, right, top, bottom = 44, 16, 12, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    labels = [iso for iso, _ in series[0][1]]
    peak = 4 * _axis_step(max(n for _, points in series for _, n in points))
    step_x = plot_w / max(1, len(labels) - 1)

    def x(i: int) -> float:
        return left + (i * step_x if len(labels) > 1 else plot_w / 2)

    def y(n: float) -> float:
        return top + plot_h - n / peak * plot_h

    parts = [f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    for k in range(5):  # grid and y labels
        value = peak * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#e9ecef"/>'
            f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:.0f}</text>'
        )
    every = max(1, len(labels) // 8)
    for i in range(0, len(labels), every):
        parts.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{_e(_tick_label(labels[i], volume['interval']))}</text>"
        )
    for index, (topic, points) in enumerate(series):
        colour = PALETTE[index]
        coords = " ".join(f"{x(i):.1f},{y(n):.1f}" for i, (_, n) in enumerate(points))
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="3" '
            f'stroke-linejoin="round" points="{coords}"><title>{_e(topic)}</title></polyline>'
        )
        for i, (iso, n) in enumerate(points):
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(n):.1f}" r="3.5" fill="{colour}">'
                f"<title>{_e(topic)} {_e(_when(iso))}: {n}</title></circle>"
            )
    legend_x = left
    for index, (topic, points) in enumerate(series):
        total = sum(n for _, n in points)
        label = f"{topic} ({total})"
        parts.append(
            f'<rect x="{legend_x}" y="{height - 22}" width="12" height="12" '
            f'fill="{PALETTE[index]}"/><text x="{legend_x + 16}" y="{height - 12}">'
            f"{_e(label)}</text>"
        )
        legend_x += 28 + 7 * len(label)
    parts.append("</svg>")
    return "".join(parts)


def terms_chart(terms: list[dict[str, Any]], width: int = 1120) -> str:
    """Share of stories holding each top term: the window (colour) against the baseline (grey)."""
    shown = terms[:MAX_TERM_BARS]
    if not shown:
        return '<p class="empty">No term grew enough to be listed.</p>'
    label_w, value_w, row_h = 240, 250, 30
    bar_w = width - label_w - value_w
    height = row_h * len(shown) + 30
    peak = max(max(t["share_window"], t["share_baseline"]) for t in shown) or 1
    parts = [f'<svg role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    for row, term in enumerate(shown):
        top = 6 + row * row_h
        window_len = max(2.0, term["share_window"] / peak * bar_w)
        baseline_len = term["share_baseline"] / peak * bar_w
        parts.append(
            f'<text x="{label_w - 8}" y="{top + 14}" text-anchor="end">{_e(term["term"])}</text>'
            f'<rect x="{label_w}" y="{top}" width="{window_len:.1f}" height="13" '
            f'fill="{WINDOW_BAR}"><title>window: {term["docs_window"]} stories</title></rect>'
            f'<rect x="{label_w}" y="{top + 14}" width="{baseline_len:.1f}" height="7" '
            f'fill="{BASELINE_BAR}"><title>baseline: {term["docs_baseline"]} stories</title></rect>'
            f'<text x="{label_w + bar_w + 8}" y="{top + 14}">score {term["score"]:.4g} · '
            f"{term['docs_window']} vs {term['docs_baseline']} stories · "
            f"{term['outlets']} outlets</text>"
        )
    legend_y = height - 10
    parts.append(
        f'<rect x="{label_w}" y="{legend_y - 9}" width="12" height="10" fill="{WINDOW_BAR}"/>'
        f'<text x="{label_w + 16}" y="{legend_y}">share of window stories</text>'
        f'<rect x="{label_w + 180}" y="{legend_y - 9}" width="12" height="10" '
        f'fill="{BASELINE_BAR}"/><text x="{label_w + 196}" y="{legend_y}">'
        "share of baseline stories</text></svg>"
    )
    return "".join(parts)


def _terms_table(terms: list[dict[str, Any]]) -> str:
    if not terms:
        return '<p class="empty">No term reached the minimum counts and grew.</p>'
    rows = []
    for rank, term in enumerate(terms, 1):
        related = (
            f'<div class="related">with: {_e(", ".join(term["related"]))}</div>'
            if term.get("related")
            else ""
        )
        examples = "".join(
            f"<li>{_e(ex['source'])}: {_link(ex['url'], ex['title'])}</li>"
            for ex in term["examples"]
        )
        rows.append(
            f'<tr><td class="n">{rank}</td><td>{_e(term["term"])}{related}</td>'
            f'<td class="n">{term["score"]:.4g}</td><td class="n">{term["docs_window"]}</td>'
            f'<td class="n">{term["docs_baseline"]}</td><td class="n">{term["outlets"]}</td>'
            f'<td><ul class="ex">{examples}</ul></td></tr>'
        )
    return (
        '<table><tr><th class="n">#</th><th>term</th><th class="n">score</th>'
        '<th class="n">window stories</th><th class="n">baseline stories</th>'
        '<th class="n">outlets</th><th>examples</th></tr>' + "".join(rows) + "</table>"
    )


def _clusters_table(clusters: list[dict[str, Any]]) -> str:
    if not clusters:
        return '<p class="empty">No story reached new outlets in the window.</p>'
    rows = [
        f"<tr><td>{_link(c.get('url'), c.get('title'))}</td><td>{_e(c['first_source'])}</td>"
        f'<td>{_e(_when(c["first_seen"]))}</td><td class="n">{c["new_outlets"]}</td>'
        f'<td class="n">{c["outlets"]}</td><td>{_e(", ".join(c.get("new_sources", [])))}</td>'
        "</tr>"
        for c in clusters
    ]
    return (
        "<table><tr><th>story (first article)</th><th>first outlet</th><th>first seen</th>"
        '<th class="n">new outlets</th><th class="n">outlets</th><th>new in the window</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _volume_table(volume: dict[str, Any]) -> str:
    if not volume["series"]:
        return ""
    rows = []
    for topic, points in volume["series"].items():
        peak_at, peak = max(points, key=lambda p: p[1])
        rows.append(
            f'<tr><td>{_e(topic)}</td><td class="n">{sum(n for _, n in points)}</td>'
            f"<td>{peak} at {_e(_when(peak_at))}</td></tr>"
        )
    return (
        '<table><tr><th>topic</th><th class="n">articles</th><th>busiest '
        f"{_e(volume['interval'])}</th></tr>" + "".join(rows) + "</table>"
    )


def render_html(report: dict[str, Any]) -> str:
    """The whole page as one string."""
    win = report["window"]
    filters = ", ".join(f"{name} {win[name]}" for name in ("topic", "source") if win.get(name))
    notes = "".join(f'<p class="note">{_e(note)}</p>' for note in report.get("notes", []))
    title = f"Emerging narratives, {_when(win['start'])} to {_when(win['end'])}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{_CSS}</style></head><body>
<h1>{_e(title)} ({_e(win["timezone"])})</h1>
<p class="meta">The last {_e(win["window"])} against the {_e(win["baseline"])} before it
({_e(_when(win["baseline_start"]))} to {_e(_when(win["baseline_end"]))}).
{_e(win["documents"])} articles ({_e(win["stories"])} stories) in the window,
{_e(win["baseline_stories"])} stories in the baseline.</p>
<p class="meta">Back end {_e(win["backend"])}; score {_e(win["score"])}; terms need at least
{_e(win["min_docs"])} stories from {_e(win["min_outlets"])} outlets.
{_e("Only " + filters + ".") if filters else ""}</p>{notes}
<div class="charts">
<figure><figcaption>Articles per topic, per {_e(report["volume"]["interval"])}</figcaption>
{volume_chart(report["volume"])}</figure>
<figure><figcaption>Emerging terms</figcaption>{terms_chart(report["terms"])}</figure>
</div>
<h2>Emerging terms</h2>{_terms_table(report["terms"])}
<h2>Growing stories</h2>{_clusters_table(report["clusters"])}
<h2>Volume per topic</h2>{_volume_table(report["volume"])}
<p class="meta">Made by pantau trends.</p>
</body></html>
"""
