"""Word forms of a lexicon root, generated ahead of time.

Matching runs the other way round from a stemmer: instead of stripping affixes off every word of
every article (slow, and it over-strips: *pemilu* would lose its *pe-*), each lexicon root is
expanded once, when the lexicon loads, into the affixed forms Indonesian builds from it
(*blokir* -> *memblokir*, *diblokir*, *pemblokiran*, ...). Tagging is then one dictionary look-up
per word. Forms that are no real word cost nothing: no article contains them.
"""

from __future__ import annotations

from functools import lru_cache

VOWELS = frozenset("aeiou")

# Suffixes and their combinations: -kan, -i, -an; the possessive/definite -nya after any of them;
# colloquial -in (Jakarta speech on social media: "blokirin", "diviralin").
SUFFIXES = ("", "kan", "i", "an", "in", "nya", "kannya", "inya", "annya", "innya")

# Prefixes that attach without sound change. ke- also gives the confix ke-...-an with the -an
# suffix (kerusuhan, kericuhan); per- gives per-...-an. The bound forms pasca-, pra-, anti- and
# non- are written together with the word (pascapilkada, antihoaks).
PLAIN_PREFIXES = ("", "di", "ke", "per", "memper", "diper", "pasca", "pra", "anti", "non")


def _syllables(word: str) -> int:
    """Vowel groups: enough to tell one-syllable roots (bom, cek) from the rest."""
    count = 0
    previous_vowel = False
    for ch in word:
        is_vowel = ch in VOWELS
        if is_vowel and not previous_vowel:
            count += 1
        previous_vowel = is_vowel
    return count


def _nasal_stems(root: str) -> set[str]:
    """The root as it stands after the nasal of meN-/peN- (without the me/pe part).

    meN- assimilates to the first sound of the root: b/f/v take m (memblokir), p takes m and
    the p drops (memukul), t takes n and drops (menipu), d/c/j/z take n (mendukung), s takes ny
    and drops (menyerang), vowels, g, h and k take ng and k drops (mengancam, mengirim), and
    l/m/n/r/w/y take nothing (merusak). Loanwords starting with a consonant cluster keep their
    first letter (memproduksi, mentransfer, mengkritik) and many writers keep it elsewhere too
    (mempengaruhi), so both forms are produced for p/t/k/s.
    """
    first = root[0]
    second = root[1] if len(root) > 1 else ""
    cluster = second != "" and second not in VOWELS
    stems: set[str] = set()
    if first in "bfv":
        stems.add("m" + root)
    elif first == "p":
        stems.add("m" + root)
        if not cluster:
            stems.add("m" + root[1:])
    elif first == "t":
        stems.add("n" + root)
        if not cluster:
            stems.add("n" + root[1:])
    elif first in "dcjz":
        stems.add("n" + root)
    elif first == "s":
        stems.add("n" + root)  # mensponsori, and the common nonstandard "mensosialisasikan"
        if not cluster:
            stems.add("ny" + root[1:])
    elif first == "k":
        stems.add("ngk" + root[1:] if cluster else "ng" + root[1:])
        stems.add("ng" + root)
    elif first in VOWELS or first in "gh":
        stems.add("ng" + root)
    else:  # l, m, n, r, w, y
        stems.add(root)
    if _syllables(root) <= 1:
        stems.add("nge" + root)  # mengebom, pengecekan
    return stems


def _colloquial_stems(root: str) -> set[str]:
    """Spoken Jakarta forms: the bare nasal without me- (nyerang, ngancam, mukul, nyoblos)."""
    first = root[0]
    stems = {"nge" + root}
    if _syllables(root) <= 1:
        return stems  # ngecek, ngebom: short roots keep the full nge-
    if first == "p":
        stems.add("m" + root[1:])
    elif first == "t":
        stems.add("n" + root[1:])
    elif first in "sc":
        stems.add("ny" + root[1:])
    elif first == "k":
        stems.add("ng" + root[1:])
    elif first in VOWELS:
        stems.add("ng" + root)
    return stems


# The first word of a phrase takes the verb and noun affixes only ("membagikan amplop",
# "pembelian suara"); the rest of the set would only multiply the look-up table.
HEAD_PREFIXES = ("", "di", "ke")
HEAD_SUFFIXES = ("", "kan", "i", "an")


@lru_cache(maxsize=4096)
def inflections(root: str, *, phrase_head: bool = False) -> frozenset[str]:
    """Every affixed form of an Indonesian root, the root included, all lower case.

    Covers me-/di-/ter-/ber-/pe-/ke-/per- prefixes with nasal assimilation, pasca-/pra-/anti-/
    non-, the suffixes -kan/-i/-an/-nya (and colloquial -in), and their combinations such as
    ke-...-an, peN-...-an and per-...-an. With `phrase_head`, the smaller set a phrase's first
    word takes.
    """
    root = root.lower()
    if not root.isalpha():
        return frozenset({root})
    stems: set[str] = set()
    for prefix in HEAD_PREFIXES if phrase_head else PLAIN_PREFIXES:
        stems.add(prefix + root)
    # ter-/ber- lose their r before a root starting with r (terekam, berencana).
    for prefix in ("ter", "ber"):
        stems.add(prefix + root)
        if root[0] == "r":
            stems.add(prefix[:-1] + root)
    for nasal in _nasal_stems(root):
        stems.add("me" + nasal)
        stems.add("pe" + nasal)
    if not phrase_head:
        stems |= _colloquial_stems(root)
    suffixes = HEAD_SUFFIXES if phrase_head else SUFFIXES
    return frozenset(stem + suffix for stem in stems for suffix in suffixes)


def _english_stems(word: str) -> set[str]:
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "er", word + "ers"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing", word + "r", word + "rs"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in VOWELS:
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    # Short consonant-vowel-consonant words double the last letter: rig -> rigged, ban -> banned.
    if (
        len(word) >= 3
        and word[-1] not in VOWELS
        and word[-1] not in "wxy"
        and word[-2] in VOWELS
        and word[-3] not in VOWELS
    ):
        doubled = word + word[-1]
        forms |= {doubled + "ed", doubled + "ing", doubled + "er", doubled + "ers"}
    return forms


@lru_cache(maxsize=4096)
def inflections_en(word: str) -> frozenset[str]:
    """Regular English forms of a word (plural, -ed, -ing, -er), the word included."""
    word = word.lower()
    if not word.isalpha():
        return frozenset({word})
    return frozenset(_english_stems(word))
