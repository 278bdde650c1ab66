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
from functools import cache, lru_cache

from index import segmenter
from ingest.normalize import fold
from qa.bodies import key

# Question words and function words: they carry no topic. Written with diacritics: without them
# "thị" (chỉ thị) and "thì" are one word.
STOPWORDS = frozenset(
    """
    là gì nào ai sao bao_nhiêu bao_giờ khi có không của các những về cho thế như trong và với thì ở tại
    đến từ được phải làm cần hay hoặc mỗi một này đó để đã sẽ đang vì nếu gồm ra theo trên dưới sau
    trước bằng cũng còn chỉ rất nhất hơn nhiều ít vào lên xuống qua lại nữa rồi mà nên vậy thế_nào
    ra_sao như_thế_nào những_gì việc các_việc đối_với liên_quan nhưng
    """.split()
)
# "không" closing a yes/no question ("... có được ... không?") asks; inside it, it says what is asked about.
NEGATION = frozenset({"không"})
# Words that say what is asked (tasks, deadlines, who), not what about: dropped from a body question's
# topic so "nhiệm vụ của Sở Y tế" has none and lists every task.
ASKING = frozenset(
    """
    nhiệm_vụ trách_nhiệm phải làm_gì làm gì việc công_việc được giao chịu thực_hiện cơ_quan đơn_vị
    khi_nào thời_hạn hạn ngày nào thời_gian hạn_chót nộp hỏi chủ_trì cần những yêu_cầu đề_nghị phân_công
    """.split()
)


def _is(word: str, words: frozenset[str], bare: bool) -> bool:
    if bare:
        return key(word) in _bare(words)
    return fold(word) in words


@cache
def _bare(words: frozenset[str]) -> frozenset[str]:
    return frozenset(key(w) for w in words)


_SYLL = re.compile(r"[^\W_]+")
_ACRONYM = re.compile(r"(?<![\w])[A-ZĐ][A-ZĐ&]{1,7}(?![\w])")
_LINKS = " (?:va |cac |cua )?"  # "Phòng Giáo dục và Đào tạo" is PGDĐT: these words have no letter in it


@lru_cache(maxsize=1024)
def initials_pattern(term: str) -> re.Pattern:
    """A pattern over `norm(text, bare=True)` for the words whose initials spell `term` ("khgd")."""
    letters = "".join(c for c in key(term) if c.isalnum())
    # Spelt out from some letter on, the rest as written: "phong giao duc va dao tao", "phong gddt".
    spelt = [_LINKS.join([*(rf"{c}[^ ]*" for c in letters[:k]), *([letters[k:]] if k < len(letters) else [])])
             for k in range(len(letters), -1, -1)]  # fmt: skip
    return re.compile(" (?:" + "|".join(f"(?:{x})" for x in spelt) + ") ")


@lru_cache(maxsize=4096)
def norm(text: str, bare: bool = True) -> str:
    """Space-padded words of a text, lower case, so " công an " finds the words, not "công ant".

    `bare` drops diacritics too: for accent-free questions only, since without marks unrelated words
    meet ("căn cứ Chỉ thị" holds "cu chi").
    """
    return " " + " ".join(_SYLL.findall(key(text) if bare else fold(text))) + " "


@dataclass(frozen=True)
class Terms:
    words: tuple[str, ...]  # space-joined syllables, in the form `bare` says
    bare: bool
    # Words typed as an abbreviation the corpus never writes ("BCĐ", "CDNN", "PGDĐT"): found in a passage
    # as written or spelt out by the initials of its words ("Ban Chỉ đạo", "Phòng GDĐT").
    initials: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.words)


def has_marks(text: str) -> bool:
    return key(text) != fold(text)


def _words(question: str) -> list[list[str]]:
    """The question's words, each a list of syllables (folded, or bare when it has no diacritics)."""
    if has_marks(question):
        words = [_SYLL.findall(fold(t)) for t in segmenter.tokenize(question).split()]
    else:
        words = [[s] for s in _SYLL.findall(key(question))]
    return [w for w in words if w]


@dataclass
class Corpus:
    """Word weights over one index's chunks."""

    raw: list[str]  # heading and text of each chunk
    _texts: dict[bool, list[str]] = field(default_factory=dict)
    _df: dict[tuple, int] = field(default_factory=dict)  # (term, bare) or (term, "initials")

    def texts(self, bare: bool) -> list[str]:
        if bare not in self._texts:
            self._texts[bare] = [norm(t, bare) for t in self.raw]
        return self._texts[bare]

    def df(self, term: str, bare: bool) -> int:
        if (term, bare) not in self._df:
            needle = f" {term} "
            self._df[term, bare] = sum(needle in t for t in self.texts(bare))
        return self._df[term, bare]

    def idf(self, term: str, bare: bool) -> float:
        n = len(self.raw)
        return math.log((n + 1) / (self.df(term, bare) + 0.5))

    def initials_df(self, term: str) -> int:
        """Chunks holding `term` spelt out by its initials, or as written."""
        if (term, "initials") not in self._df:
            pattern = initials_pattern(term)
            self._df[term, "initials"] = sum(1 for t in self.texts(True) if pattern.search(t))
        return self._df[term, "initials"]

    def _weight(self, term: str, terms: Terms) -> float:
        if term in terms.initials:
            return math.log((len(self.raw) + 1) / (self.initials_df(term) + 0.5))
        return self.idf(term, terms.bare)

    def terms(self, question: str, drop: frozenset[str] = frozenset()) -> Terms:
        """Content terms of `question` (keys, space-joined syllables), joined into runs the corpus has."""
        bare = not has_marks(question)
        words = _words(self._expand(question, bare))
        out: list[str] = []
        i = 0
        while i < len(words):
            w = words[i]
            if len(w) == 1:
                # Accent-free input or a one-syllable word: take the longest run of the following
                # one-syllable words that the corpus contains as a phrase.
                j = i + 1
                while j < len(words) and len(words[j]) == 1 and j - i < 4:
                    if not self.df(" ".join(s[0] for s in words[i : j + 1]), bare):
                        break
                    j += 1
                syl = [s[0] for s in words[i:j]]
                i = j
                while len(syl) > 1 and _is(syl[-1], STOPWORDS, bare):
                    syl = syl[:-1]  # a run is not "2023 2024 của"
                while len(syl) > 1 and _is(syl[0], STOPWORDS, bare) and not _is(syl[0], NEGATION, bare):
                    syl = syl[1:]
            else:
                syl = w
                i += 1
                if i == len(words) and len(syl) > 1 and _is(syl[-1], NEGATION, bare):
                    syl = syl[:-1]  # pyvi's "ăn_không" closing "... tiền ăn không?": the question's "không"
            term = " ".join(syl)
            flat = term.replace(" ", "_")
            if _is(flat, NEGATION, bare) and i < len(words):
                out.append(term)  # "không đủ điều kiện", "không ăn trưa": inside the question, topic
                continue
            if _is(flat, STOPWORDS, bare) or _is(flat, drop, bare):
                continue
            if len(syl) >= 3 and not self.df(term, bare):
                # An unknown long compound ("đảm_bảo_an_ninh"): weigh its two-syllable parts instead.
                out.extend(" ".join(syl[k : k + 2]) for k in range(0, len(syl), 2))
            else:
                out.append(term)
        words = tuple(t for t in out if not _is(t.replace(" ", "_"), drop, bare))
        typed = {key(a) for a in _ACRONYM.findall(question)}
        # Only an abbreviation the corpus never writes as typed: one it does write ("THPT") is matched as
        # written, or a question about anything "THPT" finds every "trung học phổ thông" (eval/queries:
        # a no-answer question was then answered).
        unwritten = [t for t in words if " " not in t and key(t) in typed and not self.df(t, bare)]
        initials = frozenset(t for t in unwritten if self.initials_df(t))
        return Terms(words, bare, initials)

    def _expand(self, question: str, bare: bool) -> str:
        # "CNTT" → "công nghệ thông tin" when the documents never write "CNTT" but may spell it out.
        from index.abbrev import long_form

        def swap(m: re.Match) -> str:
            word = m.group()
            if self.df(" ".join(_SYLL.findall(key(word) if bare else fold(word))), bare):
                return word
            return long_form(word) or word

        return re.sub(r"\b[A-ZĐ][A-ZĐ&\-]{2,}\b", swap, question)

    def coverage(self, terms: Terms, text: str) -> float:
        """Share of the terms' weight found in `text` (0 when there are no terms)."""
        weights = [self._weight(t, terms) for t in terms.words]
        if not sum(weights):
            return 0.0
        padded = norm(text, terms.bare)
        bare = norm(text, True) if terms.initials else ""
        found = (
            w
            for t, w in zip(terms.words, weights, strict=True)
            if (initials_pattern(t).search(bare) if t in terms.initials else f" {t} " in padded)
        )
        return sum(found) / sum(weights)
