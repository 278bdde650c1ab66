"""Learn hybrid search's fusion weights (index/hybrid.py) from labelled questions, and compare them with
the weights in use.

    python -m eval.learn_fusion --train DIR,QUERIES[,odd|even] ... --check DIR,QUERIES[,odd|even] ...

For every question its candidates are the chunks any ranking puts in its top POOL (within the question's
scope, as search does), each described by the features hybrid search sums: every ranking's normalised
score (hybrid.normalise), that of dense again when the question has no diacritics (so the model can
weigh dense less then, as UNMARKED_DENSE_SHARE does) and the per-chunk priors (hybrid.PRIORS). A linear
scorer over them is fitted by a listwise loss (ListNet with the gold chunks as targets: minus the log of
the softmax mass the scorer gives the candidates that overlap a gold span), L2-regularised, by plain
gradient descent: 6 weights, a few hundred questions, numpy only. The weights print in hybrid.py's terms,
with Hit@1 and MRR@10 of both weight sets on every --train and --check set.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index import hybrid

RANKINGS = ("dense", "bm25", "passages")
FEATURES = (*RANKINGS, "dense_unmarked", *hybrid.PRIORS)


@dataclass
class Question:
    id: str
    ids: np.ndarray  # candidate chunk ids
    features: np.ndarray  # one row per candidate, columns FEATURES
    gold: list  # per candidate: indices of the gold spans it overlaps (eval.metrics.Matches)
    n_gold: int


def features(
    rankings: dict, priors: dict, marked: bool, pool: int = hybrid.POOL
) -> tuple[np.ndarray, np.ndarray]:
    """(candidate ids, feature matrix) for one question's rankings, candidates in id order."""
    ids = np.array(sorted({i for _, found in rankings.values() for i in found.tolist()}), dtype=np.int64)
    where = {int(i): n for n, i in enumerate(ids)}
    x = np.zeros((len(ids), len(FEATURES)))
    for col, name in enumerate(RANKINGS):
        if name in rankings:
            scores, found = rankings[name]
            for i, z in zip(found.tolist(), hybrid.normalise(scores, pool).tolist(), strict=True):
                x[where[i], col] = z
    if not marked:
        x[:, FEATURES.index("dense_unmarked")] = x[:, FEATURES.index("dense")]
    for name in hybrid.PRIORS:
        x[:, FEATURES.index(name)] = priors[name][ids]
    return ids, x


def fit(questions: list[Question], l2: float = 1e-2, steps: int = 1500, rate: float = 0.5) -> np.ndarray:
    """Weights over FEATURES minimising the mean listwise loss (module docstring) plus l2/2 |w|²."""
    w = np.zeros(len(FEATURES))
    usable = [(q.features, np.array([bool(g) for g in q.gold])) for q in questions if any(q.gold)]
    for _ in range(steps):
        grad = l2 * w
        for x, pos in usable:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            mass = p[pos].sum()
            # d/dw of -log(sum of p over gold) = E_p[x] - E_{p | gold}[x]
            grad += (p @ x - (p[pos] @ x[pos]) / mass) / len(usable)
        w -= rate * grad
    return w


def loss(questions: list[Question], w: np.ndarray) -> float:
    """The mean listwise loss of `w` (without the L2 term)."""
    out = []
    for q in questions:
        pos = np.array([bool(g) for g in q.gold])
        if pos.any():
            s = q.features @ w
            p = np.exp(s - s.max())
            out.append(-np.log(p[pos].sum() / p.sum()))
    return float(np.mean(out)) if out else 0.0


def as_hybrid(w: np.ndarray) -> dict:
    """Weights over FEATURES in hybrid.py's terms: WEIGHTS summing to 1, PRIORS, UNMARKED_DENSE_SHARE."""
    named = dict(zip(FEATURES, w.tolist(), strict=True))
    total = sum(named[r] for r in RANKINGS) or 1.0
    return {
        "WEIGHTS": {r: round(named[r] / total, 4) for r in RANKINGS},
        "PRIORS": {p: round(named[p] / total, 4) for p in hybrid.PRIORS},
        "UNMARKED_DENSE_SHARE": round((named["dense"] + named["dense_unmarked"]) / named["dense"], 3)
        if named["dense"]
        else 1.0,
    }


def in_use() -> np.ndarray:
    """The weights hybrid.py ships, over FEATURES."""
    w = hybrid.WEIGHTS | hybrid.PRIORS
    out = np.array([w.get(f, 0.0) for f in FEATURES])
    out[FEATURES.index("dense_unmarked")] = (hybrid.UNMARKED_DENSE_SHARE - 1) * hybrid.WEIGHTS["dense"]
    return out


def grid():
    """(cell, weights) over hand values: the dense share of the rankings (BM25 split 1:7 as in use), the
    dense share kept for a question without diacritics, and the two priors."""
    import itertools

    for dense, unmarked, opening, short in itertools.product(
        (0.45, 0.55, 0.65), (0.25, 0.5, 0.75, 1.0), (0.0, -0.1, -0.15, -0.2, -0.3), (0.0, -0.03, -0.06)
    ):
        lex = 1 - dense
        w = dict(dense=dense, bm25=lex / 8, passages=lex * 7 / 8, opening=opening, short=short)
        w["dense_unmarked"] = (unmarked - 1) * dense
        yield (dense, unmarked, opening, short), np.array([w[f] for f in FEATURES])


def figures(questions: list[Question], w: np.ndarray, k: int = 10) -> dict[str, float]:
    """Mean Hit@1 and MRR@k of the ranking `w` gives (eval.metrics, gold counted once)."""
    from eval import metrics

    matches, n_gold = {}, {}
    for q in questions:
        order = np.lexsort((q.ids, -(q.features @ w)))[:k]
        matches[q.id] = [q.gold[i] for i in order]
        n_gold[q.id] = q.n_gold
    m = metrics.mean(metrics.score(matches, n_gold, k), k)
    return {"hit@1": m["hit@1"], f"mrr@{k}": m[f"mrr@{k}"]}


def questions_of(spec: str) -> list[Question]:
    """The questions of "DIR,QUERIES[,odd|even]" with their candidates and gold matches."""
    import index
    from eval import metrics
    from eval.bench.answers import split_ids
    from eval.runner import read_queries
    from eval.spans import Span, locate_all
    from index.lexical import Query

    folder, queries, *parity = spec.split(",")
    ix = index.load(Path(folder))
    rows = split_ids(read_queries(Path(queries)), parity[0] if parity else None)
    gold = locate_all(rows, {d: doc.text for d, doc in ix.documents.items()})
    out = []
    for row in rows:
        qid = str(row["id"])
        if not gold[qid]:
            continue
        allowed = ix.mask(ix.scope(row["query"]).filters)  # the scope search would apply
        lq = Query.of(row["query"])
        ids, x = features(ix.rankings(row["query"], hybrid.POOL, allowed, lq), ix.priors(), lq.marked)
        spans = [Span(ix.chunks[i].doc, ix.chunks[i].start, ix.chunks[i].end) for i in ids]
        out.append(Question(qid, ids, x, metrics.match(spans, gold[qid]), len(gold[qid])))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.learn_fusion", description=__doc__.splitlines()[0])
    p.add_argument("--train", action="append", required=True, help="DIR,QUERIES[,odd|even] (repeatable)")
    p.add_argument("--check", action="append", default=[], help="DIR,QUERIES[,odd|even]: report only")
    p.add_argument("--l2", type=float, default=1e-2)
    p.add_argument("--grid", action="store_true", help="also scan hand weights around those in use")
    a = p.parse_args(argv)
    sets = {spec: questions_of(spec) for spec in [*a.train, *a.check]}
    train = [q for spec in a.train for q in sets[spec]]
    if a.grid:
        for cell, w in grid():
            print("grid", cell, {spec: figures(qs, w) for spec, qs in sets.items()})
    learned = fit(train, l2=a.l2)
    print("learned:", as_hybrid(learned))
    for spec, qs in sets.items():
        role = "train" if spec in a.train else "check"
        cells = [f"{f['hit@1']:.3f}/{f['mrr@10']:.3f}" for f in (figures(qs, in_use()), figures(qs, learned))]
        print(f"{role} {spec}: Hit@1/MRR@10 in use {cells[0]}, learned {cells[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
