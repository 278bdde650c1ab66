"""What every embedder returns: float32 rows of unit length."""

from __future__ import annotations

import numpy as np


def normalise(v) -> np.ndarray:
    """`v` as float32, each row divided by its L2 norm."""
    v = np.asarray(v, dtype=np.float32)
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.maximum(norms, 1e-12)


def no_rows(dim: int) -> np.ndarray:
    """The answer to embedding no texts."""
    return np.zeros((0, dim), dtype=np.float32)
