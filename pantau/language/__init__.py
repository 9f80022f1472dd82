"""Language identification for pantau items.

Two stages: langdetect (seeded, with pantau-built profiles for Malay, Javanese, Sundanese and
regional languages of Indonesia) names the language; when it names one of Indonesia's family or
English, pantau's own naive Bayes models (trained on labelled sentences) and wordfreq's word
frequencies decide which, leaning towards Indonesian, with CLD3 (cld3-py, its model inside the
package) as a second opinion. Codes are ISO 639-1 where one exists (id, en, ms, jv, su), else
ISO 639-3 (ace, ban, bbc, bjn, bug, mad, min, nij); "und" when there is nothing to judge.

The models are data files in this package, built by `python -m pantau.language.build`; they
are loaded once per process on first use and shared by all threads.
"""

from __future__ import annotations

from pantau.language.detector import DEFAULT_SLICE, UNDETERMINED, bounded, shared

__all__ = ["DEFAULT_SLICE", "UNDETERMINED", "detect_language", "language_of_item"]


def detect_language(
    text: str, declared: str | None = None, *, limit: int = DEFAULT_SLICE
) -> tuple[str, float]:
    """(code, score in 0..1) for the first `limit` characters of the text.

    Text with fewer than ~20 letters, or judged with a score under 0.5 (0.75 when the guess is
    Malay and the declared language Indonesian, or the reverse), falls back to the `declared`
    language (the source's, "id", "id-ID" or "ind" alike) when one is given, keeping the low
    score; without one the best guess comes back with its low score. Same input, same output,
    always.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, not {type(text).__name__}")
    return shared().detect(bounded(text, limit), declared)


def language_of_item(
    title: str | None,
    body: str | None,
    declared: str | None = None,
    *,
    limit: int = DEFAULT_SLICE,
) -> tuple[str, float]:
    """(code, score) of an item from the first `limit` characters of its title and body."""
    text = "\n".join(part.strip() for part in (title, body) if part and part.strip())
    return detect_language(text, declared, limit=limit)
