"""Token ids of a short text (a query) without building the tokenizer's 250,000-piece model.

`tokenizers` takes 0.8 s to build the exported tokenizer's Unigram model (its trie of every piece),
half of a one-shot `tracuu search`. A query needs only the pieces that occur in it: the pieces that
are substrings of its normalised text, found by binary search in the sorted vocabulary kept here
(`<export>/lookup/`, written once from tokenizer.json, about 1 s). A Unigram model of those pieces (plus
the lowest-scored piece, which sets the unknown-character score, and <unk>) is built in microseconds
and run with the same normaliser and pre-tokeniser. The ids are the full tokenizer's: the Viterbi
lattice only ever holds pieces that are substrings of the text, and ties resolve by position and
length, not by vocabulary (tests/test_fast_embed.py compares them on the corpus and on edge cases).
"""

from __future__ import annotations

import base64
import bisect
import json
from pathlib import Path

import numpy as np

from index.embedders.e5 import tokenizer
from index.embedders.e5.cache import is_complete, write_once

LOOKUP_VERSION = 1


def _tokenizer_digest(folder: Path) -> str:
    """The sha256 the export records for its tokenizer.json: the lookup belongs to that file."""
    rec = json.loads((folder / "export.json").read_text(encoding="utf-8"))
    return rec["files"]["tokenizer.json"]


def write_lookup(tokenizer_json: Path, out: Path) -> dict:
    """The sorted pieces, their ids and scores, and the normaliser's charsmap; returns the record."""
    spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    vocab = spec["model"]["vocab"]
    if any("\n" in piece for piece, _ in vocab):
        raise ValueError("a piece holds a newline; the lookup keeps one piece a line")
    order = sorted(range(len(vocab)), key=lambda i: vocab[i][0])
    out.mkdir(parents=True, exist_ok=True)
    (out / "pieces.txt").write_text("\n".join(vocab[i][0] for i in order), encoding="utf-8")
    np.save(out / "ids.npy", np.array(order, dtype=np.int32))
    np.save(out / "scores.npy", np.array([vocab[i][1] for i in order], dtype=np.float64))
    charsmap = next(n for n in spec["normalizer"]["normalizers"] if n["type"] == "Precompiled")
    (out / "charsmap.bin").write_bytes(base64.b64decode(charsmap["precompiled_charsmap"]))
    lowest = min(range(len(vocab)), key=lambda i: vocab[i][1])
    return {"unk_id": spec["model"]["unk_id"], "lowest_id": lowest}


def ensure_lookup(folder: Path) -> Path:
    """`<export>/lookup/` for the export in `folder`, written on first use."""
    out = folder / "lookup"
    digest = _tokenizer_digest(folder)
    if is_complete(out, "lookup.json", False, lookup_version=LOOKUP_VERSION, tokenizer_sha256=digest):
        return out

    def write(tmp: Path) -> dict:
        ids = write_lookup(folder / "tokenizer.json", tmp)
        return {"lookup_version": LOOKUP_VERSION, "tokenizer_sha256": digest, **ids}

    return write_once(out, "lookup.json", write, f"writing the vocabulary lookup once into {out} (about 1 s)")


class Lookup:
    """`ids(text)`: what the exported tokenizer gives for `text` (no special tokens added)."""

    def __init__(self, folder: Path) -> None:
        rec = json.loads((folder / "lookup.json").read_text(encoding="utf-8"))
        self._pieces = (folder / "pieces.txt").read_text(encoding="utf-8").split("\n")
        self._ids = np.load(folder / "ids.npy")
        self._scores = np.load(folder / "scores.npy")
        self._longest = max(map(len, self._pieces))
        self._always = [self._index_of(rec["unk_id"]), self._index_of(rec["lowest_id"])]
        self._unk = rec["unk_id"]
        self._normalizer = tokenizer.normalizer((folder / "charsmap.bin").read_bytes())
        self._pre_tokenizer = tokenizer.pre_tokenizer()

    def _index_of(self, token_id: int) -> int:
        """Position of an id in the sorted vocabulary (two ids are looked up per load)."""
        return int(np.flatnonzero(self._ids == token_id)[0])

    def _present(self, text: str) -> list[int]:
        """Positions (in the sorted vocabulary) of every piece that is a substring of `text`."""
        found = set(self._always)
        pieces = self._pieces
        for start in range(len(text)):
            lo = 0
            for end in range(start + 1, min(start + self._longest, len(text)) + 1):
                sub = text[start:end]
                lo = bisect.bisect_left(pieces, sub, lo)  # longer substrings sort after shorter ones
                if lo == len(pieces) or not pieces[lo].startswith(sub):
                    break  # no piece begins with `sub`, so none begins with a longer one
                if pieces[lo] == sub:
                    found.add(lo)
        return sorted(found)

    def ids(self, text: str) -> list[int]:
        from tokenizers import Tokenizer, models

        normalised = self._normalizer.normalize_str(text)
        words = "".join(w for w, _ in self._pre_tokenizer.pre_tokenize_str(normalised))
        present = self._present(words)
        ids = [int(self._ids[p]) for p in present]
        vocab = [(self._pieces[p], float(self._scores[p])) for p in present]
        tok = Tokenizer(models.Unigram(vocab, unk_id=ids.index(self._unk), byte_fallback=False))
        tok.normalizer = self._normalizer
        tok.pre_tokenizer = self._pre_tokenizer
        return [ids[i] for i in tok.encode(text, add_special_tokens=False).ids]
