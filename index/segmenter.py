"""pyvi's Vietnamese word segmentation without scikit-learn: `tokenize(text)` == `pyvi.ViTokenizer.tokenize`.

pyvi's ViTokenizer unpickles a sklearn-crfsuite `CRF` when imported, which imports scikit-learn, SciPy
and pandas: 1.5 s of an idle one-shot `tracuu search` (5.7 s on a loaded machine), for a model that is
a plain crfsuite file. Its bytes sit in that pickle (sklearn-crfsuite's `FileResource` keeps them under
`__FILE_RESOURCE_DATA__`); here a restricted unpickler, which builds none of the pickled classes, takes
them out and python-crfsuite tags with them directly. The features, the syllable pattern and the rule
that joins syllables are pyvi 0.1.1's (`ViTokenizer.word2features`, `sylabelize`, `tokenize`), so the
words are pyvi's exactly: tests/test_segmenter.py compares them on every corpus in ../shared.
"""

from __future__ import annotations

import codecs
import importlib.util
import pickle
import re
import string
import threading
import unicodedata
from functools import cache
from pathlib import Path

from tracuu.errors import MissingDependency, TracuuError

MODEL = "models/pyvi3.pkl"  # what pyvi loads on Python 3
WORDS = "models/words.txt"
# pyvi's sylabelize: abbreviations, specials (a newline is a syllable of its own), web, email, numbers
# with separators, single punctuation marks, words; the first alternative that matches wins.
_SYLLABLE = re.compile(
    "("
    + "|".join(
        [
            *(r"[A-ZĐ]+\.", r"Tp\.", r"Mr\.", r"Mrs\.", r"Ms\.", r"Dr\.", r"ThS\."),
            *("==>", "->", r"\.\.\.", ">>", "\n"),
            r"\w+://[^\s]+",
            r"([a-zA-Z0-9_.+-]+@([a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+)",
            r"\d+([\.,_]\d+)+",
            r"[^\w\s]",
            r"\w+",
        ]
    )
    + ")"
)
_lock = threading.Lock()  # a crfsuite tagger holds the sequence it is tagging: one caller at a time


class _Unpickled:
    """Stands for every class the pickle names; keeps what it was given and runs no code of theirs."""

    def __init__(self, *args) -> None:
        self.args = args
        self.state = None

    def __setstate__(self, state) -> None:
        self.state = state


class _ModelUnpickler(pickle.Unpickler):
    # everything pyvi's pickle refers to; anything else means a different file, refused rather than run
    _STUBS = ("sklearn_crfsuite.", "pycrfsuite.", "numpy")

    def find_class(self, module: str, name: str):
        if (module, name) == ("_codecs", "encode"):  # how protocol 2 writes bytes
            return codecs.encode
        if module.startswith(self._STUBS):
            return _Unpickled
        raise pickle.UnpicklingError(f"unexpected {module}.{name}")


def pyvi_folder() -> Path:
    """pyvi's installed package folder, found without importing it."""
    spec = importlib.util.find_spec("pyvi")
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependency("pyvi is not installed (its word model is used): pip install pyvi")
    return Path(next(iter(spec.submodule_search_locations)))


def crf_model_bytes(path: Path) -> bytes:
    """The crfsuite model inside pyvi's pickled sklearn-crfsuite CRF."""
    with open(path, "rb") as f:
        crf = _ModelUnpickler(f).load()
    try:
        data = crf.state["modelfile"].state["__FILE_RESOURCE_DATA__"]
    except (AttributeError, KeyError, TypeError) as e:
        raise TracuuError(
            f"{path} does not hold a crfsuite model where pyvi 0.1.1 keeps it; reinstall pyvi"
        ) from e
    if not data.startswith(b"lCRF"):
        raise TracuuError(f"{path} holds no crfsuite model (bad magic); reinstall pyvi")
    return data


@cache
def _model():
    """(tagger, known two-syllable words, known three-syllable words, model bytes), loaded once per process.

    The bytes are kept: `open_inmemory` reads the model where it lies, it does not copy it.
    """
    try:
        import pycrfsuite
    except ImportError as e:
        raise MissingDependency("word segmentation needs python-crfsuite: pip install python-crfsuite") from e
    folder = pyvi_folder()
    tagger = pycrfsuite.Tagger()
    data = crf_model_bytes(folder / MODEL)
    tagger.open_inmemory(data)
    bi, tri = set(), set()
    # as pyvi reads it: split on "\n" only (codecs.open does no newline translation), by word count
    for line in (folder / WORDS).read_bytes().decode("utf-8").split("\n"):
        n = len(line.split(" "))
        if n == 2:
            bi.add(line)
        elif n == 3:
            tri.add(line)
    return tagger, frozenset(bi), frozenset(tri), data


def syllables(text: str) -> list[str]:
    """pyvi's syllables of `text` (after NFC)."""
    return [m.group(0) for m in _SYLLABLE.finditer(unicodedata.normalize("NFC", text))]


def features(syl: list[str], bi: frozenset[str], tri: frozenset[str]) -> list[dict]:
    """pyvi's `word2features` of every syllable: the same keys and values, so crfsuite sees the same items."""
    lower = [s.lower() for s in syl]
    title = [s.istitle() for s in syl]
    upper = [s.isupper() for s in syl]
    n = len(syl)
    out = []
    for i, word in enumerate(syl):
        f = {
            "bias": 1.0,
            "word.lower()": lower[i],
            "word.isupper()": upper[i],
            "word.istitle()": title[i],
            "word.isdigit()": word.isdigit(),
        }
        if i > 0:
            f["-1:word.lower()"] = lower[i - 1]
            f["-1:word.istitle()"] = title[i - 1]
            f["-1:word.isupper()"] = upper[i - 1]
            f["-1:word.bi_gram()"] = f"{syl[i - 1]} {word}".lower() in bi
            if i > 1:
                f["-2:word.tri_gram()"] = f"{syl[i - 2]} {syl[i - 1]} {word}".lower() in tri
        if i < n - 1:
            f["+1:word.lower()"] = lower[i + 1]
            f["+1:word.istitle()"] = title[i + 1]
            f["+1:word.isupper()"] = upper[i + 1]
            f["+1:word.bi_gram()"] = f"{word} {syl[i + 1]}".lower() in bi
            if i < n - 2:
                f["+2:word.tri_gram()"] = f"{word} {syl[i + 1]} {syl[i + 2]}".lower() in tri
        out.append(f)
    return out


def _joins(prev: str, cur: str) -> bool:
    """pyvi's veto on an I_W label: never across punctuation or digits, nor from lower case into a capital."""
    return (
        cur not in string.punctuation  # a substring test, as pyvi writes it
        and prev not in string.punctuation
        and not cur[0].isdigit()
        and not prev[0].isdigit()
        and not (cur[0].istitle() and not prev[0].istitle())
    )


def tokenize(text: str) -> str:
    """Syllables joined into words by "_", words separated by one space: pyvi's `ViTokenizer.tokenize`."""
    syl = syllables(text)
    if not syl:
        return text  # pyvi gives back its input as it came, not normalised
    tagger, bi, tri, _ = _model()
    items = features(syl, bi, tri)
    with _lock:
        labels = tagger.tag(items)
    out = [syl[0]]
    for i in range(1, len(syl)):
        out.append("_" if labels[i] == "I_W" and _joins(syl[i - 1], syl[i]) else " ")
        out.append(syl[i])
    return "".join(out)
