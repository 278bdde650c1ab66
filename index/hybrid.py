"""Fusing the dense and BM25 rankings into one.

Reciprocal rank fusion (score = Σ w / (K + rank)) over each side's top POOL candidates. RRF needs no
score calibration between cosine and BM25, which differ per corpus and per query.
"""

from __future__ import annotations

import numpy as np

POOL = 100
RRF_K = 60
DENSE_WEIGHT = 1.0
BM25_WEIGHT = 1.0


def rrf(
    dense_ids: np.ndarray,
    bm25_ids: np.ndarray,
    k: int,
    rrf_k: float = RRF_K,
    dense_weight: float = DENSE_WEIGHT,
    bm25_weight: float = BM25_WEIGHT,
) -> list[tuple[int, float]]:
    """(id, fused score) best first; ties keep the dense order."""
    scores: dict[int, float] = {}
    for weight, ids in ((dense_weight, dense_ids), (bm25_weight, bm25_ids)):
        for rank, i in enumerate(ids.tolist(), start=1):
            scores[i] = scores.get(i, 0.0) + weight / (rrf_k + rank)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    return ranked[:k]
