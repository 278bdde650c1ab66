"""eval/learn_fusion.py: candidate features, the listwise fit and the conversion to hybrid.py's weights,
on hand-made rankings whose values are worked out in the comments."""

from __future__ import annotations

import numpy as np
import pytest

from eval import learn_fusion as lf
from index import hybrid

F = lf.FEATURES.index


def test_features_of_hand_rankings():
    rankings = {
        "dense": (np.array([0.9, 0.8, 0.7]), np.array([4, 2, 7])),  # pool 3: 4 → 1, 2 → 0.5, 7 → 0
        "bm25": (np.array([10.0, 5.0]), np.array([2, 9])),  # 2 → 1, 9 → 0
    }
    priors = {"opening": np.eye(10)[9], "short": np.eye(10)[7]}
    ids, x = lf.features(rankings, priors, marked=False, pool=3)
    assert ids.tolist() == [2, 4, 7, 9]
    assert x[:, F("dense")].tolist() == pytest.approx([0.5, 1.0, 0.0, 0.0])
    assert x[:, F("bm25")].tolist() == [1.0, 0.0, 0.0, 0.0]
    assert x[:, F("passages")].tolist() == [0.0] * 4  # a ranking the folder lacks
    assert x[:, F("dense_unmarked")].tolist() == pytest.approx([0.5, 1.0, 0.0, 0.0])  # no diacritics: dense
    assert x[:, F("opening")].tolist() == [0, 0, 0, 1] and x[:, F("short")].tolist() == [0, 0, 1, 0]
    _, marked = lf.features(rankings, priors, marked=True, pool=3)
    assert marked[:, F("dense_unmarked")].tolist() == [0.0] * 4


def _question(qid: str, rows: list[list[float]], gold_row: int) -> lf.Question:
    x = np.zeros((len(rows), len(lf.FEATURES)))
    x[:, : len(rows[0])] = rows
    gold = [{0} if i == gold_row else set() for i in range(len(rows))]
    return lf.Question(qid, np.arange(len(rows)), x, gold, 1)


def test_the_fit_learns_the_feature_that_finds_the_gold():
    # In every question bm25 (column 1) puts the gold first while dense (column 0) puts it second.
    qs = [_question(f"q{n}", [[1.0, 0.2], [0.6, 1.0], [0.1, 0.1]], gold_row=1) for n in range(3)]
    w = lf.fit(qs, l2=1e-3, steps=300)
    assert w[F("bm25")] > 0 > w[F("dense")]
    assert lf.loss(qs, w) < lf.loss(qs, np.zeros(len(lf.FEATURES))) == pytest.approx(np.log(3))
    assert lf.figures(qs, w) == {"hit@1": 1.0, "mrr@10": 1.0}
    dense_only = np.eye(len(lf.FEATURES))[F("dense")]
    assert lf.figures(qs, dense_only) == {"hit@1": 0.0, "mrr@10": 0.5}  # the gold second: 1/2


def test_weights_in_hybrid_terms():
    w = np.zeros(len(lf.FEATURES))
    w[[F("dense"), F("bm25"), F("passages")]] = [2.0, 1.0, 1.0]  # sum 4
    w[F("dense_unmarked")] = -1.0  # dense 2 → 1 without diacritics: share 0.5
    w[F("opening")] = -0.4
    h = lf.as_hybrid(w)
    assert h["WEIGHTS"] == {"dense": 0.5, "bm25": 0.25, "passages": 0.25}
    assert h["PRIORS"]["opening"] == -0.1 and h["UNMARKED_DENSE_SHARE"] == 0.5


def test_the_weights_in_use_round_trip():
    h = lf.as_hybrid(lf.in_use())
    assert h["WEIGHTS"] == pytest.approx({r: hybrid.WEIGHTS.get(r, 0.0) for r in lf.RANKINGS}, abs=1e-4)
    assert h["UNMARKED_DENSE_SHARE"] == pytest.approx(hybrid.UNMARKED_DENSE_SHARE)
