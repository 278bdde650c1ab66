"""How good cited answers are, against the gold quotes of a queries file (`tracuu eval --answers`).

Input per question: its gold spans (eval/spans.py) and its answer as `tracuu ask --json` prints it.
Each point is placed in the canonical text of a document it cites (points are verbatim; the cited
passage's offsets say where to look first). Then, for a question with gold quotes:

- first_right / any_right: the first point / some point is right, i.e. overlaps a gold span of the
  same document by at least half the shorter of the two (eval.spans.overlaps, as in search);
- not_found: the answer has no points (it says nothing was found);
- per point: no_gold_doc (every document it cites holds no gold passage of the question), off_gold (it
  overlaps no gold span: an upper bound on wrong points, since gold often marks one of several right
  passages), cut (it does not start or end at a sentence or item boundary, eval/boundary.py).

For a question with `relevant: []` only not_found counts: the right answer is "nothing found".
Averages: question shares over the questions that have gold (or, for none_not_found, that have none);
point shares over all points of the questions with gold; points_cut is a count, over every point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from eval.boundary import ends_at_boundary, starts_at_boundary
from eval.spans import Span, overlaps

QUESTION_METRICS = ("first_right", "any_right", "not_found")
POINT_METRICS = ("points_no_gold_doc", "points_off_gold")
METRICS = ("questions", *QUESTION_METRICS, "points", *POINT_METRICS, "points_cut", "none", "none_not_found")


@dataclass(frozen=True)
class PointResult:
    text: str
    span: Span | None  # None when the point is not verbatim in any document it cites
    docs: tuple[str, ...]  # the documents it cites
    right: bool
    no_gold_doc: bool
    off_gold: bool
    cut: tuple[str, ...]  # "start" and/or "end" when the point is cut there


@dataclass
class QuestionResult:
    id: str
    kind: str
    gold: list[Span]
    points: list[PointResult] = field(default_factory=list)
    answer: dict = field(default_factory=dict, repr=False)  # the `ask --json` object, for --per-query

    @property
    def not_found(self) -> bool:
        return not self.points

    @property
    def first_right(self) -> bool:
        return bool(self.points) and self.points[0].right

    @property
    def any_right(self) -> bool:
        return any(p.right for p in self.points)

    def row(self) -> dict:
        """The JSON-able per-query row (`--per-query`)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "question": self.answer.get("question"),
            "answer": self.answer.get("answer"),
            "gold": len(self.gold),
            "not_found": self.not_found,
            "first_right": self.first_right if self.gold else None,
            "any_right": self.any_right if self.gold else None,
            "points": [
                {
                    "text": p.text,
                    "doc": p.span.doc if p.span else None,
                    "start": p.span.start if p.span else None,
                    "end": p.span.end if p.span else None,
                    "right": p.right,
                    "no_gold_doc": p.no_gold_doc,
                    "off_gold": p.off_gold,
                    "cut": list(p.cut),
                }
                for p in self.points
            ],
        }


def point_span(texts: Mapping[str, str], answer: dict, point: dict) -> Span | None:
    """Where `point` is in a document it cites, looked for from its citation's passage first."""
    cited = {c["n"]: c for c in answer.get("citations", [])}
    needle = point.get("text", "")
    if not needle:
        return None
    for n in point.get("citations", []):
        c = cited.get(n)
        text = texts.get(c["doc"]) if c else None
        if text is None:
            continue
        i = text.find(needle, max(0, int(c.get("start", 0)) - len(needle)))
        if i < 0 or i > int(c.get("end", len(text))):
            i = text.find(needle)
        if i >= 0:
            return Span(c["doc"], i, i + len(needle))
    return None


def cuts(text: str, span: Span) -> tuple[str, ...]:
    """("start", "end"), the ends of `span` in `text` that are not at a boundary."""
    out = []
    if not starts_at_boundary(text, span.start):
        out.append("start")
    if not ends_at_boundary(text, span.end):
        out.append("end")
    return tuple(out)


def score_answer(qid: str, kind: str, gold: Sequence[Span], answer: dict, texts: Mapping[str, str]):
    """One question's QuestionResult from its gold spans and its `ask --json` answer."""
    gold_docs = {g.doc for g in gold}
    cited = {c["n"]: c["doc"] for c in answer.get("citations", [])}
    result = QuestionResult(qid, kind, list(gold), answer=answer)
    for p in answer.get("points", []):
        span = point_span(texts, answer, p)
        docs = tuple(dict.fromkeys(cited[n] for n in p.get("citations", []) if n in cited))
        right = span is not None and any(overlaps(span, g) for g in gold)
        result.points.append(
            PointResult(
                text=p.get("text", ""),
                span=span,
                docs=docs,
                right=right,
                no_gold_doc=bool(gold) and not gold_docs.intersection(docs),
                off_gold=bool(gold) and not right,
                cut=cuts(texts[span.doc], span) if span else (),
            )
        )
    return result


def summary(results: Iterable[QuestionResult]) -> dict[str, float | int | None]:
    """The metrics of METRICS over `results` (None where there is nothing to average)."""
    results = list(results)
    scored = [r for r in results if r.gold]
    none = [r for r in results if not r.gold]
    points = [p for r in scored for p in r.points]
    out: dict[str, float | int | None] = {"questions": len(scored)}
    for name in QUESTION_METRICS:
        out[name] = _share(getattr(r, name) for r in scored)
    out["points"] = len(points)
    out["points_no_gold_doc"] = _share(p.no_gold_doc for p in points)
    out["points_off_gold"] = _share(p.off_gold for p in points)
    out["points_cut"] = sum(bool(p.cut) for r in results for p in r.points)
    out["none"] = len(none)
    out["none_not_found"] = _share(r.not_found for r in none)
    return out


def by_kind(results: Iterable[QuestionResult]) -> dict[str, dict]:
    """summary() per `kind` (questions without a kind are left out), kinds in name order."""
    groups: dict[str, list[QuestionResult]] = {}
    for r in results:
        if r.kind:
            groups.setdefault(r.kind, []).append(r)
    return {kind: summary(groups[kind]) for kind in sorted(groups)}


def _share(flags: Iterable[bool]) -> float | None:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else None
