"""How much of a question a passage covers: the question's content words, weighted by how rare they are.

Words are pyvi compounds where the question has diacritics ("học_phí", "đại_học"), so "học phí" is one
word the corpus may lack, not two common syllables. Accent-free questions are joined into the longest
syllable runs the corpus contains ("cong an huyen" → "cong an", "huyen"). A word the corpus never uses
gets the highest weight: a question whose key words are nowhere in the hits is not answered by them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache

from qa.bodies import key

# Question words, function words and the words every directive uses: they carry no topic.
STOPWORDS = frozenset(
    """
    la gi nao ai sao bao nhieu bao gio khi co khong cua cac nhung ve cho the nhu trong va voi thi o tai den tu
    duoc phai lam can hay hoac moi mot nay do de da se dang vi neu gom ra theo tren duoi sau truoc bang
    cung con chi rat nhat hon nhieu it vao len xuong qua lai nua roi ma nen vay the_nao ra_sao bao_nhieu
    nhu_the_nao nhung_gi viec cac_viec
    """.split()
)
# Words that say what is asked (tasks, deadlines, who), not what about: dropped from a body question's
# topic so "nhiệm vụ của Sở Y tế" has none and lists every task.
ASKING = frozenset(
    """
    nhiem_vu trach_nhiem phai lam_gi lam gi viec cong_viec duoc giao chiu thuc_hien co_quan don_vi
    khi_nao thoi_han han ngay nao thoi_gian han_chot nop hoi chu_tri can nhung
    """.split()
)
_SYLL = re.compile(r"[^\W_]+(?:[/.-][^\W_]+)*")


def norm(text: str) -> str:
    """Space-padded key of a text, words only, so " cong an " finds the words, not "cong ant"."""
    return " " + " ".join(_SYLL.findall(key(text))) + " "


@cache
def _tokenizer():
    from pyvi import ViTokenizer  # heavy: loads a CRF model

    return ViTokenizer


def _words(question: str) -> list[list[str]]:
    """The question's words, each a list of syllables of its key."""
    has_marks = key(question) != question.lower()
    if has_marks:
        tokens = _tokenizer().tokenize(question).split()
        words = [key(t).replace("_", " ").split() for t in tokens]
    else:
        words = [[s] for s in key(question).split()]
    out = []
    for w in words:
        w = [s for s in (_SYLL.findall(" ".join(w))) if s]
        if w:
            out.append(w)
    return out


@dataclass
class Corpus:
    """Word weights over one index's chunks."""

    texts: list[str]  # norm() of each chunk
    _df: dict[str, int] = field(default_factory=dict)

    def df(self, term: str) -> int:
        if term not in self._df:
            needle = f" {term} "
            self._df[term] = sum(needle in t for t in self.texts)
        return self._df[term]

    def idf(self, term: str) -> float:
        n = len(self.texts)
        return math.log((n + 1) / (self.df(term) + 0.5))

    def terms(self, question: str, drop: frozenset[str] = frozenset()) -> list[str]:
        """Content terms of `question` (keys, space-joined syllables), joined into runs the corpus has."""
        words = _words(question)
        out: list[str] = []
        i = 0
        while i < len(words):
            w = words[i]
            if len(w) == 1:
                # Accent-free input or a one-syllable word: take the longest run of the following
                # one-syllable words that the corpus contains as a phrase.
                j = i + 1
                while j < len(words) and len(words[j]) == 1 and j - i < 4:
                    if not self.df(" ".join(s[0] for s in words[i : j + 1])):
                        break
                    j += 1
                syl = [s[0] for s in words[i:j]]
                i = j
            else:
                syl = w
                i += 1
            term = " ".join(syl)
            if term.replace(" ", "_") in STOPWORDS or term.replace(" ", "_") in drop:
                continue
            if len(syl) == 1 and (syl[0] in STOPWORDS or syl[0] in drop):
                continue
            if len(syl) >= 3 and not self.df(term):
                # An unknown long compound ("đảm_bảo_an_ninh"): weigh its two-syllable parts instead.
                out.extend(" ".join(syl[k : k + 2]) for k in range(0, len(syl), 2))
            else:
                out.append(term)
        return [t for t in out if t.replace(" ", "_") not in drop]

    def coverage(self, terms: list[str], text_norm: str) -> float:
        """Share of the terms' weight found in a norm()-ed text (0 when there are no terms)."""
        total = sum(self.idf(t) for t in terms)
        if not total:
            return 0.0
        return sum(self.idf(t) for t in terms if f" {t} " in text_norm) / total


_CORPORA: dict[tuple, Corpus] = {}


def corpus_of(index) -> Corpus:
    """Word weights for an index, computed once per loaded index."""
    ident = (id(index), len(index.chunks), str(index.manifest.get("created", "")))
    if ident not in _CORPORA:
        if len(_CORPORA) > 8:
            _CORPORA.clear()
        _CORPORA[ident] = Corpus([norm(f"{c.heading} {c.text}") for c in index.chunks])
    return _CORPORA[ident]
