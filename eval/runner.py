"""Run a labelled queries file against an index, in each search mode, and score it.

Queries with `relevant: []` ask something the corpus does not answer: they are searched (their top
scores, next to the answered queries', show whether a score threshold could tell them apart) but left
out of the averages.
"""

from __future__ import annotations

import statistics
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from eval import metrics
from eval.spans import Span, locate_all
from tracuu.errors import UsageError
from tracuu.files import read_json_lines

MODES = ("bm25", "dense", "hybrid")


@dataclass
class ModeResult:
    mode: str
    metrics: dict[str, float]  # averaged over answered queries
    per_query: dict[str, dict[str, float]]  # answered queries only
    matches: dict[str, metrics.Matches]
    top_scores: dict[str, float]  # score of the first hit, every query (0.0 when no hit)
    seconds: dict[str, float]  # search time per query, embedding included
    hits: dict[str, list] = field(repr=False, default_factory=dict)


@dataclass
class Result:
    k: int
    queries: list[dict]
    gold: dict[str, list[Span]]
    modes: dict[str, ModeResult]

    @property
    def answered(self) -> list[str]:
        return [str(q["id"]) for q in self.queries if self.gold[str(q["id"])]]

    @property
    def no_answer(self) -> list[str]:
        return [str(q["id"]) for q in self.queries if not self.gold[str(q["id"])]]

    def table(self) -> dict[str, dict[str, float]]:
        """The contract's JSON: {"mode": {"metric": value}}."""
        return {m: dict(r.metrics) for m, r in self.modes.items()}

    def top_score_medians(self, mode: str) -> tuple[float | None, float | None]:
        """Median top-1 score of answered and of no-answer queries."""
        r = self.modes[mode]
        ans = [r.top_scores[q] for q in self.answered]
        none = [r.top_scores[q] for q in self.no_answer]
        return (statistics.median(ans) if ans else None, statistics.median(none) if none else None)

    def per_query_rows(self):
        """JSON-able rows, one per (mode, query), in file order: stable for diffing two runs."""
        for mode, r in self.modes.items():
            for q in self.queries:
                qid = str(q["id"])
                yield {
                    "id": qid,
                    "mode": mode,
                    "query": q["query"],
                    "kind": q.get("kind"),
                    "gold": len(self.gold[qid]),
                    "metrics": r.per_query.get(qid),
                    "first_relevant": _first_relevant(r.matches[qid]),
                    "top_score": round(r.top_scores[qid], 6),
                    "hits": [_hit_row(h, m) for h, m in zip(r.hits[qid], r.matches[qid], strict=True)],
                }


def _hit_row(hit, gold_ids: set[int]) -> dict:
    c = hit.chunk
    return {
        "rank": hit.rank,
        "doc": c.doc,
        "section": c.section,
        "start": c.start,
        "end": c.end,
        "score": round(hit.score, 6),
        "gold": sorted(gold_ids),
    }


def _first_relevant(matches: metrics.Matches) -> int | None:
    return next((rank for rank, m in enumerate(matches, 1) if m), None)


def read_queries(path: Path) -> list[dict]:
    """The queries file, checked line by line (UsageError naming the line or the query)."""
    path = Path(path)
    rows: list[dict] = []
    seen: set[str] = set()
    for n, row in read_json_lines(path, "{id, query, relevant}"):
        if not isinstance(row, dict) or "id" not in row or not isinstance(row.get("query"), str):
            raise UsageError(f'{path}:{n} needs an "id" and a "query" string')
        if not isinstance(row.get("relevant", []), list):
            raise UsageError(f'{path}:{n} (query {row["id"]}): "relevant" must be a list of {{doc, quote}}')
        qid = str(row["id"])
        if qid in seen:
            raise UsageError(f"{path}:{n}: query id {qid} appears twice; ids must be unique")
        seen.add(qid)
        row["query"] = unicodedata.normalize("NFC", row["query"])
        rows.append(row)
    if not rows:
        raise UsageError(f"{path} holds no queries")
    return rows


def run(index, queries: list[dict], k: int = 10, modes=MODES, progress=None, scope: bool = True) -> Result:
    """Search every query in every mode and score the answered ones; progress(mode, done, total).

    scope=False searches every document whatever the query names (index/scope.py), to measure the scope.
    """
    if k < 1:
        raise UsageError(f"-k must be at least 1 (got {k})")
    # All quotes are located before any search, so a bad queries file fails at once.
    gold = locate_all(queries, {d: doc.text for d, doc in index.documents.items()})
    n_gold = {qid: len(spans) for qid, spans in gold.items()}
    result = Result(k, queries, gold, {})
    for mode in modes:
        # Each mode's timings include embedding the query, as a visitor's first search of it would.
        index.forget_queries()
        hits, matches, tops, secs = {}, {}, {}, {}
        for n, q in enumerate(queries):
            if progress:
                progress(mode, n, len(queries))
            qid = str(q["id"])
            t0 = time.perf_counter()
            try:
                # Only an Index reads a query's scope; other searchers (eval/naive.py) take no such option.
                found = index.search(q["query"], k=k, mode=mode, **({} if scope else {"scope": False}))
            except UsageError as e:
                raise UsageError(f"query {qid}: {e}") from e
            secs[qid] = time.perf_counter() - t0
            hits[qid] = found
            spans = [Span(h.chunk.doc, h.chunk.start, h.chunk.end) for h in found]
            matches[qid] = metrics.match(spans, gold[qid])
            tops[qid] = float(found[0].score) if found else 0.0
        per_query = metrics.score({q: m for q, m in matches.items() if n_gold[q]}, n_gold, k)
        avg = metrics.mean(per_query, k)
        result.modes[mode] = ModeResult(mode, avg, per_query, matches, tops, secs, hits)
    return result


def evaluate(index, queries_path: Path, k: int = 10, modes=MODES) -> dict[str, dict[str, float]]:
    """{"mode": {"metric": value}} averaged over the file's answered queries."""
    return run(index, read_queries(queries_path), k, modes).table()


def run_answers(index, queries: list[dict], progress=None) -> list:
    """`qa.ask` on every query and each answer scored against its gold quotes (eval.answers), in order.

    Quotes are located before the first question is asked, so a bad queries file fails at once.
    """
    from eval.answers import score_answer
    from qa.output import answer_lines

    texts = {d: doc.text for d, doc in index.documents.items()}
    gold = locate_all(queries, texts)
    results = []
    for n, (q, answer) in enumerate(zip(queries, answer_lines(index, queries), strict=True)):
        if progress:
            progress("answers", n, len(queries))
        qid = str(q["id"])
        result = score_answer(qid, str(q.get("kind") or ""), gold[qid], answer, texts)
        results.append(result)
    return results
