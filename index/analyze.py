"""Text → BM25 tokens: pyvi word segmentation (`index.segmenter`), lower case, diacritics kept, plus
abbreviation keys.

Tokens are computed once per chunk at ingest and stored in the index (pyvi is the slow part of a
build), so a rebuild or a query never segments a stored chunk again.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from index import abbrev, segmenter

SEGMENTER = "pyvi"
# Keys get a prefix no real word has, so "th" (tiểu học) never collides with a token "th".
KEY_PREFIX = "§"
_WORD = re.compile(r"\w", re.UNICODE)
_VIET_MARKS = re.compile(r"[^\x00-\x7f]")


def segmenter_version() -> str:
    from importlib.metadata import version

    return version("pyvi")


@lru_cache(maxsize=1 << 16)  # a corpus repeats a few thousand words: fold each once
def _fold(word: str) -> str:
    # One spelling per syllable ("hoà"/"hòa") so old and new tone placement match; ingest owns the rule.
    try:
        from ingest.normalize import fold
    except ImportError:
        return word.lower()
    return fold(word)


def tokens(text: str) -> list[str]:
    """Segmented, folded (lower-case) word tokens of `text`, punctuation dropped, plus abbreviation keys."""
    text = unicodedata.normalize("NFC", text)
    # pyvi reads capitals as a cue for names, so it sees the text as written and folding comes after.
    segmented = segmenter.tokenize(text)
    words = [_fold(w) for w in segmented.split() if _WORD.search(w)]
    return words + [KEY_PREFIX + k for k in abbrev.keys(text)]


def bare(tokens_: list[str]) -> list[str]:
    """The accent-free field: the same tokens with diacritics removed."""
    return [abbrev.strip_accents(t) for t in tokens_]


def has_diacritics(text: str) -> bool:
    """True when the text carries Vietnamese marks (so the user typed with accents)."""
    return bool(_VIET_MARKS.search(unicodedata.normalize("NFC", text)))
