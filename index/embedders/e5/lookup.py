"""Token ids of a short text (a query) without building the tokenizer's 250,000-piece model.

`tokenizers` takes 0.8 s to build the exported tokenizer's Unigram model (its trie of every piece),
half of a one-shot `tracuu search`. A query needs only the pieces that occur in it: the pieces that
are substrings of its normalised text, found by one vectorised binary search in the sorted vocabulary
kept here (`<export>/lookup/`, written once from tokenizer.json in about 1 s, memory-mapped, so it
loads in a millisecond). A Unigram model of those pieces (plus the lowest-scored piece, which sets the
unknown-character score, and <unk>) is built in microseconds and run with the same normaliser and
pre-tokeniser: about 0.3 ms a query more than the full tokenizer takes. The ids are the full
tokenizer's: the Viterbi lattice only ever holds pieces that are substrings of the text, and ties
resolve by position and length, not by vocabulary (tests/test_fast_embed.py compares them on the
corpus and on edge cases).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np

from index.embedders.e5 import tokenizer
from index.embedders.e5.cache import is_complete, write_once

LOOKUP_VERSION = 2


def _tokenizer_digest(folder: Path) -> str:
    """The sha256 the export records for its tokenizer.json: the lookup belongs to that file."""
    rec = json.loads((folder / "export.json").read_text(encoding="utf-8"))
    return rec["files"]["tokenizer.json"]


def write_lookup(tokenizer_json: Path, out: Path) -> dict:
    """The pieces in code-point order (a fixed-width numpy string array), their ids and scores, and the
    normaliser's charsmap; returns what the record adds (where <unk> and the lowest score sit)."""
    spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    vocab = spec["model"]["vocab"]
    if any("\0" in piece for piece, _ in vocab):
        raise ValueError("a piece holds a NUL character, which numpy's strings cannot keep")
    order = sorted(range(len(vocab)), key=lambda i: vocab[i][0])
    width = max(len(piece) for piece, _ in vocab)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "pieces.npy", np.array([vocab[i][0] for i in order], dtype=f"<U{width}"))
    np.save(out / "ids.npy", np.array(order, dtype=np.int32))
    np.save(out / "scores.npy", np.array([vocab[i][1] for i in order], dtype=np.float64))
    charsmap = next(n for n in spec["normalizer"]["normalizers"] if n["type"] == "Precompiled")
    (out / "charsmap.bin").write_bytes(base64.b64decode(charsmap["precompiled_charsmap"]))
    lowest = min(range(len(vocab)), key=lambda i: vocab[i][1])
    position = {token_id: at for at, token_id in enumerate(order)}
    return {"unk_at": position[spec["model"]["unk_id"]], "lowest_at": position[lowest]}


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
        from tokenizers import Tokenizer, models

        self._tokenizer, self._unigram = Tokenizer, models.Unigram
        rec = json.loads((folder / "lookup.json").read_text(encoding="utf-8"))
        # memory-mapped, as plain arrays (a numpy memmap's own indexing is slow)
        self._pieces = np.asarray(np.load(folder / "pieces.npy", mmap_mode="r"))
        self._ids = np.asarray(np.load(folder / "ids.npy", mmap_mode="r"))
        self._scores = np.asarray(np.load(folder / "scores.npy", mmap_mode="r"))
        self._width = self._pieces.dtype.itemsize // 4  # UTF-32: the longest piece, in characters
        self._always = [rec["unk_at"], rec["lowest_at"]]
        self._unk = int(self._ids[rec["unk_at"]])
        self._normalizer = tokenizer.normalizer((folder / "charsmap.bin").read_bytes())
        self._pre_tokenizer = tokenizer.pre_tokenizer()

    def _present(self, text: str) -> np.ndarray:
        """Positions (in the sorted vocabulary) of every piece that is a substring of `text`."""
        n = len(text)
        subs = np.array(
            [text[a:b] for a in range(n) for b in range(a + 1, min(a + self._width, n) + 1)] or [""],
            dtype=self._pieces.dtype,
        )
        at = np.minimum(np.searchsorted(self._pieces, subs), len(self._pieces) - 1)
        return np.unique(np.concatenate([self._always, at[self._pieces[at] == subs]]))

    def ids(self, text: str) -> list[int]:
        normalised = self._normalizer.normalize_str(text)
        words = "".join(w for w, _ in self._pre_tokenizer.pre_tokenize_str(normalised))
        present = self._present(words)
        ids = self._ids[present].tolist()
        vocab = list(zip(self._pieces[present].tolist(), self._scores[present].tolist(), strict=True))
        tok = self._tokenizer(self._unigram(vocab, unk_id=ids.index(self._unk), byte_fallback=False))
        tok.normalizer = self._normalizer
        tok.pre_tokenizer = self._pre_tokenizer
        return [ids[i] for i in tok.encode(text, add_special_tokens=False).ids]
