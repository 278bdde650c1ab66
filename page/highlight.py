"""Query words marked in a passage, found without regard to accents or case.

Matching runs on a folded copy of the text (accents stripped, lower case) that has exactly the
original's length, so a span found in the copy is the same span in the original. The original is
HTML-escaped piece by piece; only our own <mark> tags are ever raw HTML.
"""

from __future__ import annotations

import html
import re

# Function words that would light up every line if marked alone; they still count inside a phrase.
STOPWORDS = frozenset(
    "cua va cac la gi nhung cho voi trong nao ai khi phai lam duoc co ve the nay do den tu mot nhu "
    "thi ma o tai theo tren duoi sau truoc bao nhieu hay hoac de da se dang".split()
)
_SYLLABLE = re.compile(r"\w+")
_MAX_GRAM = 6


def _keys(text: str) -> tuple[str, str]:
    """(lower-case key, the same without accents), both exactly `text`'s length, so offsets map back."""
    from ingest.normalize import fold as lower_key
    from ingest.normalize import strip_accents

    lowered = lower_key(text)
    return lowered, strip_accents(lowered)


def fold(text: str) -> str:
    return _keys(text)[1]


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


def _same(typed: str, found: str) -> bool:
    # A syllable typed with accents must match them ("dục" is not "đức"); typed bare, it matches any.
    return typed == found if typed != fold(typed) else True


def spans(text: str, query: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping [start, end) spans of `text` that match the query's words.

    Longer phrases win: "sở y tế" is marked as one span; once it is found, "sở" is not marked alone
    (as in "cơ sở"), and a lone "y" is never marked.
    """
    lowered, bare = _keys(text)
    taken: list[tuple[int, int]] = []
    in_phrases: set[str] = set()  # words already found inside a longer phrase are not marked alone
    for gram in _query_grams(query):
        if len(gram) == 1 and gram[0] in in_phrases:
            continue
        pattern = r"(?<!\w)" + r"\W{1,3}".join(re.escape(fold(w)) for w in gram) + r"(?!\w)"
        for m in re.finditer(pattern, bare):
            found = _SYLLABLE.findall(lowered[m.start() : m.end()])
            if len(found) != len(gram) or not all(map(_same, gram, found)):
                continue
            if not any(m.start() < e and s < m.end() for s, e in taken):
                taken.append((m.start(), m.end()))
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
