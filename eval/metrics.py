"""Retrieval metrics over span-overlap relevance, with ir-measures (trec_eval) doing the arithmetic.

ir-measures scores ranked document ids against qrels, while our relevance is "this hit overlaps that gold
span". So each query's ranked hits are first mapped to gold-span ids, then handed to ir-measures:

- A hit is relevant when it overlaps (eval.spans.overlaps) a gold span nobody above it has hit yet.
  Each gold span counts at most once, at its first hit; a later hit on the same span is a miss, so
  ten chunks cut from one gold article cannot score ten times. Gain is binary: a hit covering two new
  gold spans still earns 1 in nDCG (it takes one rank). This run gives Hit@1, MRR@k and nDCG@k.
- Recall@c is the share of gold spans overlapped by any of the top c hits, per DESIGN ("share of gold
  spans hit"), so a hit covering two gold spans credits both. It is fed to ir-measures as its own run
  of the gold spans covered in the top c, scored as recall over the whole (already cut) run.

ranx was tried first: its numba typed dicts recompile in every process (20+ s per `tracuu eval`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from eval.spans import Span, overlaps

Matches = list[set[int]]  # per ranked hit: indices of the gold spans it overlaps
# Coverage runs are already cut at c hits; the measure itself must not cut again (it needs some cutoff).
ALL = "R@1000000"


def recall_cutoffs(k: int = 10) -> list[int]:
    return ([5] if k > 5 else []) + [k]


def metric_names(k: int = 10) -> list[str]:
    return ["hit@1"] + [f"recall@{c}" for c in recall_cutoffs(k)] + [f"mrr@{k}", f"ndcg@{k}"]


def match(hits: Sequence[Span], gold: Sequence[Span]) -> Matches:
    return [{g for g, span in enumerate(gold) if overlaps(hit, span)} for hit in hits]


def _first_hit_run(matches: Matches, k: int) -> dict[str, float]:
    run: dict[str, float] = {}
    seen: set[int] = set()
    for rank, hit in enumerate(matches[:k], 1):
        new = sorted(hit - seen)
        seen |= hit
        # Strictly decreasing scores: trec_eval then ranks exactly in our order, with no ties to break.
        run[f"g{new[0]}" if new else f"miss{rank}"] = float(k - rank + 1)
    return run or {"miss0": 1.0}


def _coverage_run(matches: Matches, cutoff: int) -> dict[str, float]:
    covered = set().union(*matches[:cutoff]) if matches else set()
    return {f"g{g}": 1.0 for g in sorted(covered)} or {"miss0": 1.0}


def _measure(qrels: dict, run: dict, measures: dict[str, str]) -> dict[str, dict[str, float]]:
    """{our name: {qid: value}} for ir-measures names like "nDCG@10"; a query absent from the output is 0."""
    import ir_measures

    parsed = {name: ir_measures.parse_measure(m) for name, m in measures.items()}
    by_measure = {m: name for name, m in parsed.items()}
    out: dict[str, dict[str, float]] = {name: dict.fromkeys(qrels, 0.0) for name in measures}
    for row in ir_measures.iter_calc(list(parsed.values()), qrels, run):
        out[by_measure[row.measure]][row.query_id] = float(row.value)
    return out


def score(matches: dict[str, Matches], n_gold: dict[str, int], k: int = 10) -> dict[str, dict[str, float]]:
    """Per query id: {metric: value}. Queries with no gold span must be left out by the caller."""
    qids = [q for q in matches if n_gold.get(q, 0) > 0]
    if not qids:
        return {}
    qrels = {q: {f"g{g}": 1 for g in range(n_gold[q])} for q in qids}
    out: dict[str, dict[str, float]] = {q: {} for q in qids}
    ranked = _measure(
        qrels,
        {q: _first_hit_run(matches[q], k) for q in qids},
        {"hit@1": "Success@1", f"mrr@{k}": f"RR@{k}", f"ndcg@{k}": f"nDCG@{k}"},
    )
    for c in recall_cutoffs(k):
        rec = _measure(qrels, {q: _coverage_run(matches[q], c) for q in qids}, {"r": ALL})["r"]
        for q in qids:
            out[q][f"recall@{c}"] = rec[q]
    for name, values in ranked.items():
        for q in qids:
            out[q][name] = values[q]
    return {q: {m: out[q][m] for m in metric_names(k)} for q in qids}


def mean(per_query: dict[str, dict[str, float]], k: int = 10) -> dict[str, float]:
    names = metric_names(k)
    if not per_query:
        return {m: 0.0 for m in names}
    return {m: sum(v[m] for v in per_query.values()) / len(per_query) for m in names}


def recall_curve(matches: dict[str, Matches], n_gold: dict[str, int], ks: Iterable[int]) -> dict[int, float]:
    """Mean Recall@c for each c in `ks` (for the bench chart)."""
    qids = [q for q in matches if n_gold.get(q, 0) > 0]
    if not qids:
        return {c: 0.0 for c in ks}
    qrels = {q: {f"g{g}": 1 for g in range(n_gold[q])} for q in qids}
    curve = {}
    for c in ks:
        rec = _measure(qrels, {q: _coverage_run(matches[q], c) for q in qids}, {"r": ALL})["r"]
        curve[c] = sum(rec.values()) / len(qids)
    return curve
