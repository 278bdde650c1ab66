"""Query words marked in a passage, found without regard to accents or case.

Matching runs on a folded copy of the text (accents stripped, lower case) that has exactly the
original's length, so a span found in the copy is the same span in the original. The original is
HTML-escaped piece by piece; only our own <mark> tags are ever raw HTML.
"""

from __future__ import annotations

import functools
import html
import re

# Function words that would light up every line if marked alone; they still count inside a phrase.
STOPWORDS = frozenset(
    "cua va cac la gi nhung cho voi trong nao ai khi phai lam duoc co ve the nay do den tu mot nhu "
    "thi ma o tai theo tren duoi sau truoc bao nhieu hay hoac de da se dang".split()
)
_SYLLABLE = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_MAX_GRAM = 6


_BARE: dict[int, str] = {}  # character → ingest.normalize.strip_accents of it, filled as characters are met


def _strip(text: str) -> str:
    """ingest.normalize.strip_accents(text), which maps each character on its own: here through a table
    built from it one distinct character at a time, so a passage costs one str.translate."""
    from ingest.normalize import strip_accents

    for ch in set(text).difference(map(chr, _BARE)):
        _BARE[ord(ch)] = strip_accents(ch)
    return text.translate(_BARE)


@functools.lru_cache(maxsize=4096)
def _keys(text: str) -> tuple[str, str]:
    """(lower-case key, the same without accents), both exactly `text`'s length, so offsets map back.

    Remembered per text: the same passages come back for many questions."""
    from ingest.normalize import fold as lower_key

    lowered = lower_key(text)
    return lowered, _strip(lowered)


def fold(text: str) -> str:
    return _keys(text)[1]


@functools.lru_cache(maxsize=8192)
def searchable(label: str) -> str:
    """An option label that Streamlit's list search also finds when typed without accents.

    Streamlit matches typed letters in order against the label and ignores accents nowhere, so a
    label with accents carries its accent-free spelling too: "Sở Y tế · so y te"."""
    bare = fold(label)
    return label if bare == label.lower() else f"{label} · {bare}"


def _query_grams(query: str) -> list[list[str]]:
    """Runs of the query's syllables (lower case, accents kept as typed), longest first."""
    words = _SYLLABLE.findall(_keys(query)[0])
    grams = []
    for n in range(min(_MAX_GRAM, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            gram = words[i : i + n]
            if n == 1 and _too_common(gram[0]):
                continue
            grams.append(gram)
    return grams


def _too_common(word: str) -> bool:
    """A lone word not worth marking: a function word, or a short one typed without accents ("an" would
    light up "ăn", "an", "án" alike)."""
    bare = fold(word)
    return bare in STOPWORDS or len(word) < 2 or (bare == word and len(word) < 4)


@functools.lru_cache(maxsize=1024)
def _plan(
    query: str,
) -> tuple[tuple[tuple[str, ...], tuple[str, ...], frozenset[str], tuple[bool, ...]], ...]:
    """Per query, once: each run of syllables to look for, its syllables without accents (as a tuple and
    as a set), and which were typed with accents (those must match them: "dục" is not "đức")."""
    plan = []
    for gram in _query_grams(query):
        bare = tuple(fold(w) for w in gram)
        accented = tuple(w != b for w, b in zip(gram, bare, strict=True))
        plan.append((tuple(gram), bare, frozenset(bare), accented))
    return tuple(plan)


@functools.lru_cache(maxsize=8192)
def _pattern(bare: tuple[str, ...]) -> re.Pattern:
    r"""A run's pattern over the accent-free text, compiled only once some passage holds all its syllables
    (a long question has dozens of runs that no passage holds). No (?<!\w) in front: a pattern that
    starts with a literal is searched for fast; `spans` checks the character before a match instead."""
    return re.compile(r"\W{1,3}".join(map(re.escape, bare)) + r"(?!\w)")


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    """The accent-free syllables of `text`: a run of the query none of whose syllables is here is not
    looked for (a long question has dozens of runs; a passage holds few of them)."""
    return frozenset(_SYLLABLE.findall(_keys(text)[1]))


def spans(text: str, query: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping [start, end) spans of `text` that match the query's words.

    Longer phrases win: "sở y tế" is marked as one span; once it is found, "sở" is not marked alone
    (as in "cơ sở"), and a lone "y" is never marked.
    """
    lowered, bare = _keys(text)
    taken: list[tuple[int, int]] = []
    covered = bytearray(len(text))  # 1 where a span is already marked
    in_phrases: set[str] = set()  # words already found inside a longer phrase are not marked alone
    present = _words(text)
    for gram, bare_gram, needs, accented in _plan(query):
        if (len(gram) == 1 and gram[0] in in_phrases) or not needs <= present:
            continue
        for m in _pattern(bare_gram).finditer(bare):
            start, end = m.span()
            if (start and _WORD_CHAR.match(bare, start - 1)) or covered.find(1, start, end) != -1:
                continue
            found = _SYLLABLE.findall(lowered[start:end])
            if len(found) != len(gram):
                continue
            if any(a and t != f for t, f, a in zip(gram, found, accented, strict=True)):
                continue
            taken.append((start, end))
            covered[start:end] = b"\x01" * (end - start)
            if len(gram) > 1:
                in_phrases.update(gram)
    return sorted(taken)


def mark(text: str, query: str, window: int | None = None) -> str:
    """Escaped HTML of `text` with query matches in <mark>; cut to about `window` characters around the
    first match when the text is longer (the reading view shows the whole thing)."""
    found = spans(text, query) if query.strip() else []
    lo, hi = 0, len(text)
    if window and len(text) > window:
        first = found[0][0] if found else 0
        lo = max(0, min(first - window // 4, len(text) - window))
        hi = lo + window
        # Cut at whitespace so no word is split.
        if lo > 0:
            lo = text.find(" ", lo) + 1 or lo
        if hi < len(text):
            hi = text.rfind(" ", lo, hi) if text.rfind(" ", lo, hi) > lo else hi
    out = ["…" if lo > 0 else ""]
    pos = lo
    for s, e in found:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:hi]))
    out.append("…" if hi < len(text) else "")
    return "".join(out)
