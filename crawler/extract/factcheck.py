"""Fact-check verdicts: which claim a debunk is about, and what it concluded.

    factcheck_fields(html, fields, kind="factcheck") -> {"claim", "verdict", "verdict_label"}
    read_verdict(html, fields) -> dict  (also claim_author, claim_appearances, verdict_from)

Pure functions: the page and the fields `extract_article` already read go in, three fields come
out. The evidence is read in the order of how much the outlet itself committed to it:

1. ClaimReview JSON-LD (incl. @graph and lists): `claimReviewed`, `reviewRating.alternateName`
   (else `ratingValue` on the outlet's own scale), `itemReviewed` (a Claim) with its
   `appearance` / `firstAppearance` URLs and `author`;
2. the label the outlet puts in the title: "[SALAH] ...", "[HOAKS] ...", "[DISINFORMASI] ...",
   "Keliru: ...", "Cek Fakta: Tidak Benar ..." (Liputan6);
3. the "Kesimpulan" / "Hasil Cek Fakta" / "Hasil Periksa Fakta" section, whose first sentence
   names the verdict ("... merupakan hoaks", "Klaim itu menyesatkan").

`verdict` is one of VERDICTS; `verdict_label` is the label as the outlet printed it ("SALAH",
"Keliru", "Partly false"). A page with no verdict gives None for all three rather than a guess.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from lxml import etree

from .document import NotAPage, parse

VERDICTS = (
    "false",
    "misleading",
    "fabricated",
    "manipulated",
    "satire",
    "unproven",
    "true",
    "mixed",
)
FIELDS = ("claim", "verdict", "verdict_label")

# Label (folded: lower case, no accents, single spaces) -> verdict. The categories are the ones
# Indonesian fact-checkers print (Mafindo's First Draft categories, Tempo's and AFP's ratings,
# Komdigi's [HOAKS]/[DISINFORMASI]) and the English names ClaimReview ratings use.
_LABELS: dict[str, str] = {
    "salah": "false",
    "hoaks": "false",
    "hoax": "false",
    "hoaxs": "false",
    "keliru": "false",
    "tidak benar": "false",
    "fitnah": "false",
    "disinformasi": "false",
    "false": "false",
    "incorrect": "false",
    "misinformasi": "misleading",
    "menyesatkan": "misleading",
    "konten menyesatkan": "misleading",
    "konten yang menyesatkan": "misleading",
    "konteks keliru": "misleading",
    "konteks yang salah": "misleading",
    "koneksi yang salah": "misleading",
    "butuh konteks": "misleading",
    "perlu konteks": "misleading",
    "misleading": "misleading",
    "missing context": "misleading",
    "false context": "misleading",
    "penipuan": "fabricated",
    "konten palsu": "fabricated",
    "konten tiruan": "fabricated",
    "palsu": "fabricated",
    "fabricated": "fabricated",
    "fabricated content": "fabricated",
    "imposter content": "fabricated",
    "scam": "fabricated",
    "manipulasi": "manipulated",
    "dimanipulasi": "manipulated",
    "konten yang dimanipulasi": "manipulated",
    "konten dimanipulasi": "manipulated",
    "rekayasa": "manipulated",
    "foto diedit": "manipulated",
    "video diedit": "manipulated",
    "manipulated": "manipulated",
    "manipulated content": "manipulated",
    "altered": "manipulated",
    "altered photo": "manipulated",
    "altered video": "manipulated",
    "satire": "satire",
    "satir": "satire",
    "parodi": "satire",
    "satire atau parodi": "satire",
    "satire/parodi": "satire",
    "satire or parody": "satire",
    "belum terbukti": "unproven",
    "tidak terbukti": "unproven",
    "tidak ada bukti": "unproven",
    "unproven": "unproven",
    "unverified": "unproven",
    "no evidence": "unproven",
    "benar": "true",
    "fakta": "true",
    "true": "true",
    "correct": "true",
    "sebagian benar": "mixed",
    "sebagian salah": "mixed",
    "separuh benar": "mixed",
    "campuran": "mixed",
    "mixed": "mixed",
    "mixture": "mixed",
    "partly false": "mixed",
    "partly true": "mixed",
    "half true": "mixed",
}
# Longest first, so "sebagian benar" wins over "benar" and "konteks keliru" over "keliru".
_BY_LENGTH = sorted(_LABELS, key=len, reverse=True)

# "[SALAH] Foto ..." / "[HOAKS] ..." / "(HOAX) ..." at the start of a title.
_BRACKET = re.compile(r"^\s*[\[(]\s*([^\])]{2,40}?)\s*[\])]\s*[:\-–—]?\s*(.*)$", re.S)
# "Keliru: Foto ...", "Menyesatkan: ...", "Cek Fakta: Tidak Benar ..." (the label is the
# words before a colon, or the first words after "Cek Fakta:").
_COLON = re.compile(r"^\s*([^:]{2,30}?)\s*:\s*(.+)$", re.S)
_CHECK_PREFIX = re.compile(r"^\s*(?:cek fakta|periksa fakta|fact check)\s*:\s*", re.I)
# Section headings under which the outlets state their conclusion.
_CONCLUSION = re.compile(
    r"^\s*(kesimpulan|hasil cek fakta|hasil periksa fakta|hasil pemeriksaan fakta|"
    r"hasil penelusuran)\b\s*[:.\-–—]?\s*",
    re.I,
)
# Headings that introduce the claim being checked (Mafindo's "NARASI", cekfakta.com's "Klaim:").
_CLAIM_HEAD = re.compile(r"^\s*(narasi|klaim|claim|isi klaim)\b\s*[:.\-–—]?\s*", re.I)
_SECTION_HEAD = re.compile(
    r"^\s*(narasi|penjelasan|kesimpulan|rujukan|referensi|sumber|hasil cek fakta|"
    r"hasil periksa fakta|faktanya|fakta|klaim|rating|penulis|editor)\b\s*[:.]?\s*$",
    re.I,
)


def factcheck_fields(
    html: str | bytes, fields: Mapping[str, Any], kind: str = "factcheck"
) -> dict[str, Any]:
    """The claim/verdict/verdict_label of a page of a `kind: factcheck` source; {} otherwise.

    The spider calls this once per article whatever the source's kind, so the kind decides
    here: only fact-checkers' verdicts are trusted (a news page saying "hoaks" is reporting).
    """
    if kind != "factcheck":
        return {}
    found = read_verdict(html, fields)
    return {key: found.get(key) for key in FIELDS}


def read_verdict(html: str | bytes, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Every verdict fact the page gives: FIELDS plus claim_author, claim_appearances and
    verdict_from ("claimreview", "title" or "conclusion"); values are None when absent."""
    result: dict[str, Any] = {
        "claim": None,
        "verdict": None,
        "verdict_label": None,
        "claim_author": None,
        "claim_appearances": [],
        "verdict_from": None,
    }
    try:
        root = parse(html, [])
    except (NotAPage, ValueError):
        root = None
    title = _clean(fields.get("title")) or (_page_title(root) if root is not None else None)
    blocks = _blocks(root) if root is not None else _text_blocks(fields.get("body"))
    for review in _claim_reviews(root) if root is not None else ():
        _from_review(review, result)
        if result["verdict"]:
            break
    review_claim = result["claim"]
    label, rest = split_title_label(title)
    if label and not result["verdict"]:
        verdict = verdict_for(label)
        if verdict:
            result.update(verdict=verdict, verdict_label=label, verdict_from="title")
    if not result["verdict"]:
        conclusion = _conclusion(blocks)
        found = find_verdict(conclusion) if conclusion else None
        if found:
            result.update(verdict=found[0], verdict_label=found[1], verdict_from="conclusion")
    if not result["claim"]:
        # A debunk's headline states the claim once its label or "Cek Fakta:" is cut off.
        result["claim"] = _claim_from_blocks(blocks) or (
            rest if label else _clean(_CHECK_PREFIX.sub("", title or ""))
        )
    if not result["verdict"] and not review_claim:
        # A claim alone is not a finding: without a verdict the page says nothing checkable.
        result["claim"] = None
    return result


def verdict_for(label: str | None) -> str | None:
    """The verdict a printed label means ("SALAH" -> false, "Sebagian Benar" -> mixed)."""
    if not label:
        return None
    folded = _fold(label)
    if folded in _LABELS:
        return _LABELS[folded]
    for known in _BY_LENGTH:  # "Konten yang Dimanipulasi (Foto)" -> manipulated
        if re.search(rf"(?<![a-z]){re.escape(known)}(?![a-z])", folded):
            return _LABELS[known]
    return None


def split_title_label(title: str | None) -> tuple[str | None, str | None]:
    """("SALAH", "Foto ...") from "[SALAH] Foto ..."; (None, title) when there is no label."""
    if not title:
        return None, title
    match = _BRACKET.match(title)
    if match and verdict_for(match.group(1)):
        return match.group(1).strip(), _clean(match.group(2))
    stripped = _CHECK_PREFIX.sub("", title)
    match = _COLON.match(stripped)
    if match and verdict_for(match.group(1)) and _fold(match.group(1)) in _LABELS:
        return match.group(1).strip(), _clean(match.group(2))
    if stripped != title:  # "Cek Fakta: Tidak Benar Video ..." -> the label leads the rest
        folded = _fold(stripped)
        for known in _BY_LENGTH:
            if folded.startswith(known + " ") or folded.startswith(known + ","):
                printed = stripped.strip()[: len(known)]
                return printed, _clean(stripped.strip()[len(known) :].lstrip(" ,:"))
    return None, title


def find_verdict(text: str | None) -> tuple[str, str] | None:
    """The verdict a conclusion states, as (verdict, the words as printed).

    The label after "merupakan", "adalah", "termasuk (kategori)", "dikategorikan sebagai"
    counts first; then the first negative label; "benar" only when nothing else is said, since
    conclusions quote the claim ("klaim bahwa X benar adalah keliru").
    """
    if not text:
        return None
    collapsed = _collapse(text)
    folded = _fold(collapsed)
    if len(folded) != len(collapsed):  # a character that folds to two: no span mapping
        collapsed = folded
    marked = _MARKED.search(folded)
    if marked:
        start = marked.start("label")
        known = marked.group("label")
        return _LABELS[known], collapsed[start : start + len(known)]
    for allowed in (_NEGATIVE, _POSITIVE):
        best: tuple[int, str] | None = None
        for known in allowed:
            match = re.search(rf"(?<![a-z]){re.escape(known)}(?![a-z])", folded)
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), known)
        if best is not None:
            start, known = best
            return _LABELS[known], collapsed[start : start + len(known)]
    return None


# Labels a conclusion's prose may use ("fakta", "palsu" and "true" are too common as words).
_PROSE = [k for k in _BY_LENGTH if k not in ("fakta", "palsu", "true", "false", "correct")]
_POSITIVE = [k for k in _PROSE if _LABELS[k] == "true"]
_NEGATIVE = [k for k in _PROSE if _LABELS[k] != "true"]
_MARKED = re.compile(
    r"(?:merupakan|adalah|termasuk(?: dalam)?(?: kategori)?|masuk(?: dalam)?(?: kategori)?|"
    r"dikategorikan(?: sebagai)?|tergolong|berkategori)\s+(?:informasi\s+|konten\s+)?"
    r"(?P<label>" + "|".join(re.escape(k) for k in _PROSE) + r")(?![a-z])"
)


# -- ClaimReview ------------------------------------------------------------------------------
def _claim_reviews(root: etree._Element) -> Iterator[dict[str, Any]]:
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text.strip().rstrip(";"))
        except ValueError:
            continue  # broken JSON-LD: the title and the conclusion are still read
        yield from _typed(data, "ClaimReview", 0)


def _typed(data: Any, kind: str, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, list):
        for entry in data:
            yield from _typed(entry, kind, depth + 1)
    elif isinstance(data, dict):
        types = data.get("@type")
        types = types if isinstance(types, list) else [types]
        if kind in types:
            yield data
        for key in ("@graph", "mainEntity", "hasPart", "review"):
            if key in data:
                yield from _typed(data[key], kind, depth + 1)


def _from_review(review: dict[str, Any], result: dict[str, Any]) -> None:
    claim = review.get("claimReviewed")
    if isinstance(claim, str) and claim.strip():
        result["claim"] = _clean(claim)
    reviewed = review.get("itemReviewed")
    if isinstance(reviewed, list):
        reviewed = next((r for r in reviewed if isinstance(r, dict)), None)
    if isinstance(reviewed, dict):
        result["claim_author"] = _first_name(reviewed.get("author"))
        result["claim_appearances"] = _urls(reviewed.get("appearance")) + _urls(
            reviewed.get("firstAppearance")
        )
        if not result["claim"]:
            result["claim"] = _clean(reviewed.get("name") or reviewed.get("text"))
    rating = review.get("reviewRating")
    if isinstance(rating, list):
        rating = next((r for r in rating if isinstance(r, dict)), None)
    if not isinstance(rating, dict):
        return
    label = _clean(rating.get("alternateName") or rating.get("name"))
    verdict = verdict_for(label)
    if not verdict:
        verdict = _scale_verdict(rating)
        label = label or (str(rating.get("ratingValue")) if verdict else None)
    if verdict:
        result.update(verdict=verdict, verdict_label=label, verdict_from="claimreview")


def _scale_verdict(rating: dict[str, Any]) -> str | None:
    """A rating on the outlet's scale without a name: the worst end is false, the best true."""
    try:
        value = float(rating["ratingValue"])
        worst = float(rating.get("worstRating", 1))
        best = float(rating.get("bestRating", 5))
    except (KeyError, TypeError, ValueError):
        return None
    if best == worst:
        return None
    if value == worst:
        return "false"
    if value == best:
        return "true"
    return "mixed"


def _first_name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _clean(value) if isinstance(value, str) else None


def _urls(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    out = []
    for entry in values:
        if isinstance(entry, dict):
            entry = entry.get("url") or entry.get("@id")
        if isinstance(entry, str) and entry.startswith(("http://", "https://")):
            out.append(entry)
    return out


# -- page text --------------------------------------------------------------------------------
_BLOCK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "strong", "b", "div")
_SKIP = ("script", "style", "noscript", "nav", "footer", "header", "aside", "form")


def _blocks(root: etree._Element) -> list[str]:
    """The page's text blocks in reading order (headings, paragraphs, list items)."""
    body = root.find(".//body")
    scope = body if body is not None else root
    out: list[str] = []
    for element in scope.iter(*_BLOCK_TAGS):
        if any(a.tag in _SKIP for a in element.iterancestors()):
            continue
        if element.tag == "div" and any(
            c.tag in _BLOCK_TAGS for c in element.iterchildren() if isinstance(c.tag, str)
        ):
            continue  # a wrapper: its blocks are read one by one
        if element.tag in ("strong", "b") and element.getparent() is not None:
            parent = element.getparent()
            if parent.tag in ("p", "li", "h1", "h2", "h3", "h4"):
                continue  # bold inside a paragraph belongs to that paragraph
        text = _collapse(" ".join(element.itertext()))
        if text and (not out or out[-1] != text):
            out.append(text)
    return out


def _text_blocks(body: Any) -> list[str]:
    return [p.strip() for p in str(body or "").split("\n\n") if p.strip()]


def _conclusion(blocks: list[str]) -> str | None:
    for i, block in enumerate(blocks):
        match = _CONCLUSION.match(block)
        if not match:
            continue
        rest = block[match.end() :].strip()
        if rest:
            return rest
        # A heading alone: the conclusion is what follows it.
        following = [b for b in blocks[i + 1 : i + 3] if not _SECTION_HEAD.match(b)]
        if following:
            return following[0]
    return None


def _claim_from_blocks(blocks: list[str]) -> str | None:
    for i, block in enumerate(blocks):
        match = _CLAIM_HEAD.match(block)
        if not match:
            continue
        rest = block[match.end() :].strip()
        if not rest and i + 1 < len(blocks) and not _SECTION_HEAD.match(blocks[i + 1]):
            rest = blocks[i + 1]
        rest = re.split(r"\s+Rating\s*:", rest, maxsplit=1)[0].strip()
        if len(rest) >= 10:
            return rest.strip("“”\"' ")
    return None


def _page_title(root: etree._Element) -> str | None:
    for path in (".//h1", ".//title"):
        element = root.find(path)
        if element is not None:
            text = _collapse(" ".join(element.itertext()))
            if text:
                return text
    return None


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = _collapse(value)
    return text or None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", _collapse(text).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
