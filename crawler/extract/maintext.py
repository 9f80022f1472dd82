"""The generic main-text extractor: find the element that holds the article, read its paragraphs.

One pass over the page attributes every piece of text to the block element that shows it
(inline tags such as <b>, <a>, <span> pass their text up), counting link text apart. Blocks with
enough non-link text are paragraphs; each paragraph scores for its parent and, halved, for its
grandparent (text written straight into a <div>, as older portals do with <br><br>, counts as a
paragraph of that div). The best few candidates are discounted by their link density and by
class names that say "sidebar", "comments", "related"; the winner is rendered to paragraphs,
skipping boilerplate inside it (share bars, "Baca juga" boxes, captions, ads).

Rendering is shared with selector overrides, so a source's `body` selector gets the same
cleaning as the generic path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from .dates import find_date, parse_date
from .text import element_text, squash

# Removed from the whole tree before anything is scored: never article text.
JUNK_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "map",
    "button",
    "select",
    "textarea",
    "input",
    "option",
)

_INLINE = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i ins kbd mark q s samp small span "
    "strike strong sub sup time tt u var wbr label".split()
)
_PARAGRAPH_TAGS = frozenset("p pre blockquote li dd dt h2 h3 h4 h5 h6 td th".split())
_FORMATTING = frozenset("b strong i em u br sup sub small big abbr cite q s strike tt".split())
# Never body text, wherever they sit.
_SKIP_TAGS = frozenset("nav footer aside form figure figcaption header h1 head title".split())
# Class or id words that mark boilerplate inside an article container.
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:comments?|komentar|respond|reply|share\w*|sharing|social\w*|sosmed|"
    r"socmed|related\w*|terkait|recommend\w*|rekomendasi|populer|popular|terpopuler|"
    r"trending|baca|bacajuga|also|readmore|sidebar\w*|widget\w*|banner\w*|iklan|ads|ad|"
    r"advert\w*|adsense|sponsor\w*|promo\w*|breadcrumbs?|paginat\w*|pager|paging|navigation|"
    r"navbar|nav|menu\w*|footer|masthead|tags|tag|caption\w*|keterangan|credit|author\w*|"
    r"byline|penulis|reporter|editor|newsletter|subscri\w*|login|modal|popup|cookie|"
    r"toolbar|rating|outbrain|taboola|disqus|yarpp|jp|crp|rp4wp|date|time|meta|"
    r"video|gallery|thumbnail|infografis|topik|topic|lihat)(?:$|[\s_-])",
    re.I,
)
# Stronger evidence, used to discount whole candidates on the page.
_NOT_ARTICLE = re.compile(
    r"comment|komentar|sidebar|widget|related|terkait|populer|popular|trending|recommend|"
    r"footer|menu|navbar|share|social|iklan|banner|advert",
    re.I,
)
_ARTICLE_HINT = re.compile(
    r"article|artikel|content|konten|entry|story|berita|detail|isi|body|text|post|read|main",
    re.I,
)
_AUTHOR_HINT = re.compile(r"author|byline|penulis|reporter|editor|redaktur", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# Lines that outlets insert into the text and that are not part of it.
_RELATED_LINE = re.compile(
    r"^\W*(?:(?:baca|simak|lihat|tonton|saksikan|klik|cek|read)\s+"
    r"(?:juga|pula|selengkapnya|also|berita|artikel|video|info)\b|baca\s*:|"
    r"(?:berita|artikel)\s+(?:terkait|lainnya|menarik)\b|check\s+also\b|related\s+posts?\b|"
    r"you\s+may\s+also\s+like\b|ikuti\s+(?:berita|kami|update)|"
    r"dapatkan\s+(?:berita|update|informasi)\b)",
    re.I,
)
_LABEL_LINE = re.compile(
    r"^\W*(?:advertisement|iklan|ads|scroll to (?:continue|resume)(?: with)? content|"
    r"tags?|topik|topic|share|bagikan|komentar|comments?|loading\.*|sebelumnya|"
    r"selanjutnya|berikutnya|next|previous|halaman\s*\d+(?:\s*(?:dari|of)\s*\d+)?|"
    r"\d+\s*(?:/|dari|of)\s*\d+|hal(?:aman)?\.?\s*:?(?:\s*\d+)*|page\s*\d*|"
    r"(?:\d+\s+)+selanjutnya|tutup|close|print|cetak)\W*$",
    re.I,
)
_CREDIT_LINE = re.compile(r"^\W*(?:foto|fotografer|photo|video|grafis|sumber foto)\s*:", re.I)
_ROLE_LINE = re.compile(
    r"^\W*(?:reporter|repoter|redaktur|editor|penulis|pewarta|kontributor|penyunting|"
    r"rep|red|oleh|by)\s*:",
    re.I,
)
_DATELINE_END = re.compile(r"(?:-|--|–|—|:)\s*$")
_ANY_LINE = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (_RELATED_LINE, _LABEL_LINE, _CREDIT_LINE, _ROLE_LINE)),
    re.I,
)

MIN_PARAGRAPH = 25  # non-link characters for a block to count as a paragraph
MIN_BODY = 80  # characters below which a body is taken as absent


@dataclass
class Body:
    paragraphs: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    container: etree._Element | None = None

    @property
    def text(self) -> str | None:
        text = "\n\n".join(self.paragraphs)
        return text if len(text) >= MIN_BODY else None


def strip_junk(root: etree._Element) -> list[str]:
    """Remove never-text elements; return the figure captions (kept for photo pages)."""
    etree.strip_elements(root, *JUNK_TAGS, with_tail=False)
    return [text for text in (element_text(c) for c in root.iter("figcaption")) if text]


# Subtrees the scoring pass does not enter: menus, teaser lists and page furniture hold most of
# a portal's elements and never the article's paragraphs (an article's own bullet list is
# still rendered once its container is chosen). A page scored empty this way is scored again
# in full.
_SCORING_SKIP = frozenset({"ul", "ol", "nav", "footer", "aside", "header", "select", "menu"})


def _text_owners(body: etree._Element, skip: frozenset[str]) -> dict[etree._Element, list[int]]:
    """Block element -> [characters, link characters, commas] of the text it displays.

    The hot loop of extraction: one visit per element of the page.
    """
    inline = _INLINE
    owners: dict[etree._Element, list[int]] = {}

    def credit(owner: etree._Element, text: str, link: bool = False) -> None:
        n = len(text.strip())
        if not n:
            return
        tag = owner.tag
        while tag in inline:  # <b>, <a>, <span> pass their text up to the block showing it
            if tag == "a":
                link = True
            owner = owner.getparent()
            if owner is None:
                return
            tag = owner.tag
        counts = owners.get(owner)
        if counts is None:
            owners[owner] = [n, n if link else 0, text.count(",")]
        else:
            counts[0] += n
            counts[1] += n if link else 0
            counts[2] += text.count(",")

    walker = etree.iterwalk(body, events=("start",))
    for _, element in walker:
        tag = element.tag
        if tag in skip:
            walker.skip_subtree()
        elif tag == "a" and len(element):
            # A link wrapping a card (image, heading, summary) is link text as a whole, shown
            # by the block around it: read in one C-level pass, its elements not visited.
            walker.skip_subtree()
            text = "".join(element.itertext())
            if len(text) > 2:
                credit(element, text, link=True)
        else:
            text = element.text
            if text is not None and len(text) > 2:
                credit(element, text)
        text = element.tail
        if text is not None and len(text) > 2 and element is not body:
            credit(element.getparent(), text)
    return owners


def find_container(root: etree._Element) -> etree._Element | None:
    """The element most likely to hold the article text, or None on a page without text."""
    body = root.find("body")
    if body is None:
        body = root
    owners = _text_owners(body, _SCORING_SKIP)
    found, paragraph_chars = _best_candidate(owners)
    if found is None or paragraph_chars < _ENOUGH_TEXT:
        owners = _text_owners(body, frozenset())
        found, paragraph_chars = _best_candidate(owners)
    return found


_ENOUGH_TEXT = 300  # paragraph characters outside lists and page furniture


def _best_candidate(
    owners: dict[etree._Element, list[int]],
) -> tuple[etree._Element | None, int]:
    """The best-scoring container and the paragraph characters seen on the page."""
    scores: dict[etree._Element, float] = {}
    paragraph_chars = 0
    for block, (chars, link_chars, commas) in owners.items():
        if chars - link_chars < MIN_PARAGRAPH:
            continue
        paragraph_chars += chars - link_chars
        # Text written straight into a <div> is a paragraph whose parent is that div.
        parent = block.getparent() if block.tag in _PARAGRAPH_TAGS else block
        if parent is None:
            continue
        score = 1.0 + commas + min((chars - link_chars) / 100.0, 3.0)
        scores[parent] = scores.get(parent, 0.0) + score
        grandparent = parent.getparent()
        if grandparent is not None:
            scores[grandparent] = scores.get(grandparent, 0.0) + score / 2
    if not scores:
        return None, 0
    top = sorted(scores, key=scores.__getitem__, reverse=True)[:5]
    densities = _link_densities(top, owners)
    best, best_score = None, 0.0
    for candidate in top:
        score = scores[candidate] * (1.0 - densities[candidate])
        hint = f"{candidate.get('class') or ''} {candidate.get('id') or ''}"
        if candidate.tag in ("nav", "footer", "aside", "header", "form") or (
            _NOT_ARTICLE.search(hint) and not _ARTICLE_HINT.search(hint)
        ):
            score *= 0.3
        elif candidate.tag == "article" or _ARTICLE_HINT.search(hint):
            score *= 1.25
        if score > best_score:
            best, best_score = candidate, score
    return best, paragraph_chars


_DENSITY_DEPTH = 7  # levels above a text block whose link density it counts in


def _link_densities(
    candidates: list[etree._Element], owners: dict[etree._Element, list[int]]
) -> dict[etree._Element, float]:
    """Share of each candidate's text inside links (menus and teaser lists are mostly links).

    Walks up from the text blocks (a few dozen) rather than down into the candidates (their
    whole subtrees).
    """
    totals = {candidate: [0, 0] for candidate in candidates}
    for block, (chars, link_chars, _) in owners.items():
        node = block
        for _ in range(_DENSITY_DEPTH):
            counts = totals.get(node)
            if counts is not None:
                counts[0] += chars
                counts[1] += link_chars
            node = node.getparent()
            if node is None:
                break
    return {
        candidate: min(links / chars, 1.0) if chars else 1.0
        for candidate, (chars, links) in totals.items()
    }


def render(containers: list[etree._Element], *, title: str | None = None) -> Body:
    """Paragraphs of the given elements, boilerplate skipped and related-link lines dropped.

    An element inside another of the list is read once, as part of the outer one.
    """
    chosen = set(containers)
    outer = [c for c in containers if not any(a in chosen for a in c.iterancestors())]
    result = Body(container=outer[0] if outer else None)
    raw: list[tuple[str, int]] = []
    for container in outer:
        raw.extend(_walk(container, result.bylines))
    folded_title = (title or "").casefold()
    paragraphs: list[str] = []
    for text, link_chars in raw:
        if link_chars >= 0.8 * len(text):  # a bare link: a related article, a tag, a menu
            continue
        if _ANY_LINE.match(text):  # one test for the common case of a plain paragraph
            if _RELATED_LINE.match(text) or _LABEL_LINE.match(text):
                continue
            if _CREDIT_LINE.match(text) and len(text) < 150:  # a photo credit, not text
                continue
            if _ROLE_LINE.match(text) and len(text) < 150:
                result.bylines.append(text)
                continue
        if text.casefold() == folded_title:
            continue
        if len(text) < 60 and parse_date(text) is not None:
            continue
        if paragraphs and _DATELINE_END.search(paragraphs[-1]) and len(paragraphs[-1]) < 40:
            paragraphs[-1] = f"{paragraphs[-1]} {text}"  # "Jakarta -" + the first paragraph
            continue
        paragraphs.append(text)
    result.paragraphs = paragraphs
    return result


def _walk(container: etree._Element, bylines: list[str]) -> list[tuple[str, int]]:
    paragraphs: list[tuple[str, int]] = []
    pieces: list[str] = []
    link_chars = 0
    in_link = 0

    def flush() -> None:
        nonlocal link_chars
        if pieces:
            text = squash("".join(pieces))
            if text:
                paragraphs.append((text, link_chars))
            pieces.clear()
        link_chars = 0

    def add(text: str | None) -> None:
        nonlocal link_chars
        if text:
            pieces.append(text)
            if in_link:
                link_chars += len(text.strip())

    walker = etree.iterwalk(container, events=("start", "end"))
    for event, element in walker:
        tag = element.tag
        if event == "start":
            if element is not container and _is_boilerplate(element, tag, bylines):
                walker.skip_subtree()  # its "end" event is skipped too: handle the tail here
                if tag not in _INLINE:
                    flush()
                add(element.tail)
                continue
            if tag == "br" or tag not in _INLINE:
                flush()
            if tag == "a":
                in_link += 1
            add(element.text)
        else:
            if element is container:
                break
            if tag == "a":
                in_link -= 1
            if tag not in _INLINE:
                flush()
            add(element.tail)
    flush()
    return paragraphs


def _is_boilerplate(element: etree._Element, tag: str, bylines: list[str]) -> bool:
    if tag in _FORMATTING:  # <b>, <i>, <br> inside a sentence: never page furniture
        return False
    if tag in _SKIP_TAGS:
        return True
    style = element.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    hint = element.get("class")
    ident = element.get("id")
    if ident:
        hint = f"{hint} {ident}" if hint else ident
    if hint and _BOILERPLATE.search(hint):
        if _AUTHOR_HINT.search(hint):
            text = element_text(element)
            if 0 < len(text) < 150:
                bylines.append(text)
        return True
    return False


@dataclass
class Nearby:
    """Short texts printed after an anchor (in reading order) and before it (nearest first)."""

    after: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)

    def by_distance(self) -> list[str]:
        """Nearest first on both sides: the date line sits just above or just below the
        headline, while lists of other stories (with their own dates) follow further away."""
        near = _CLOSE
        return self.after[:near] + self.before[:near] + self.after[near:] + self.before[near:]


def nearby_texts(anchor: etree._Element | None) -> Nearby:
    """The texts printed around the anchor (headline or body): where outlets print the date
    line and the byline.

    Walked sibling by sibling with lxml's C-level itertext() and stopped early: an XPath
    following:: axis would visit the rest of the page, and a Python walk over elements costs a
    proxy object per element.
    """
    if anchor is None:
        return Nearby()
    return Nearby(_short(_following(anchor, _AFTER)), _short(_preceding(anchor, _BEFORE)))


def _short(texts: list[str]) -> list[str]:
    kept = []
    for text in texts:
        text = squash(text)
        if text and len(text) <= 160:
            kept.append(text)
    return kept


_AFTER, _BEFORE = 24, 12  # non-blank text nodes looked at after and before the anchor
_CLOSE = 8  # the texts that count as right beside it


def _following(anchor: etree._Element, limit: int) -> list[str]:
    return _first_texts(_after(anchor), limit)


def _preceding(anchor: etree._Element, limit: int) -> list[str]:
    return _first_texts(_before(anchor), limit)


def _first_texts(texts: Iterator[str | None], limit: int) -> list[str]:
    found = []
    for text in texts:
        if text and not text.isspace():
            found.append(text)
            if len(found) >= limit:
                break
    return found


def _after(node: etree._Element | None) -> Iterator[str | None]:
    """Texts after `node` in document order."""
    while node is not None:
        yield node.tail
        sibling = node.getnext()
        while sibling is not None:
            yield from sibling.itertext()
            yield sibling.tail
            sibling = sibling.getnext()
        node = node.getparent()


_LAST_TEXTS = etree.XPath(
    f"(descendant::text())[position() > last() - {_BEFORE}]", smart_strings=False
)


def _before(node: etree._Element) -> Iterator[str | None]:
    """Texts before `node`, nearest first."""
    while True:
        sibling = node.getprevious()
        while sibling is not None:
            yield sibling.tail
            if len(sibling):
                # The end of the sibling's text: libxml2 picks it, a mega-menu is not copied.
                yield from reversed(_LAST_TEXTS(sibling))
            else:
                yield sibling.text
            sibling = sibling.getprevious()
        parent = node.getparent()
        if parent is None:
            return
        yield parent.text
        node = parent


def printed_date(
    nearby: Nearby, *, now: datetime | None = None, default_tz: str = "+07:00"
) -> tuple[str | None, str | None]:
    """The nearest printed date: (ISO date, the text it came from).

    Only a date with a time of day counts (or a relative one, "2 jam yang lalu", when `now` is
    known): a bare date near the headline is as often an event in the text ("Rabu (18/1/2023)").
    """
    for text in nearby.by_distance():
        if len(text) < 5:
            continue
        if _CLOCK.search(text):
            found = find_date(text, now=now, default_tz=default_tz)
        elif now is not None and _RELATIVE.search(text):
            found = parse_date(text, now=now, default_tz=default_tz)
        else:
            continue
        if found is not None:
            return found, text
    return None, None


def printed_bylines(nearby: Nearby) -> list[str]:
    """Byline lines ("Penulis: X | Editor: Y", "Rep: X/ Red: Y", "Oleh X"), after the anchor
    first. A bare label ("Penulis:") takes the name that follows it in reading order, so only
    on the side after the anchor."""
    bylines = []
    after = nearby.after[:_BYLINE_WINDOW]
    for index, text in enumerate(after):
        if _ROLE_ONLY.match(text):
            if index + 1 < len(after) and _NAME.match(after[index + 1]):
                bylines.append(f"{text} {after[index + 1]}")
        elif _ROLE_LINE.match(text) or _BY_NAME.match(text):
            bylines.append(text)
    for text in nearby.before[:_BYLINE_WINDOW]:
        if _ROLE_LINE.match(text) or _BY_NAME.match(text):
            bylines.append(text)
    return bylines


_BYLINE_WINDOW = 24
_ROLE_ONLY = re.compile(
    r"^\W*(?:reporter|repoter|redaktur|editor|penulis|pewarta|kontributor|penyunting|rep|red|"
    r"oleh|by)\s*:?\s*$",
    re.I,
)
_NAME = re.compile(r"^[A-Z][^\W\d_][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,4}$")
_BY_NAME = re.compile(r"^(?:oleh|by)\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,4}$")
_CLOCK = re.compile(r"\d[:.]\d\d(?!\d)")
_RELATIVE = re.compile(r"\b(?:lalu|ago|kemarin|yesterday)\b", re.I)
