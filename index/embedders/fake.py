"""`fake`: a deterministic hashed bag of words; fast, no model, for plumbing tests only (not for quality)."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from index.embedders.vectors import no_rows, normalise


class Fake:
    name = "fake"
    dim = 64
    prefixes: dict[str, str] = {}
    segmented = False

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        if not v.any():
            v[0] = 1.0
        return v

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return no_rows(self.dim)
        return normalise(np.stack([self._one(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return normalise(self._one(text))
