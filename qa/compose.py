"""An answer quoted word for word from the indexed documents, each point cited.

Three shapes: the tasks (or deadlines) of a body, grouped by document, newest first; the bodies given a
task ("cơ quan nào ..."); or the best sentences of the top passages for a topic. When the passages do not
hold the question's key words, the answer says nothing was found and offers the passages as related.
Before returning, every point is checked to be a substring of a document it cites.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest import blocks as B
from qa import derived, relevance
from qa.bodies import Body
from qa.items import DATE, DEADLINE, quoted_sentences
from qa.items import NOT_TASK as NOT_ANSWER
from qa.question import Question, parse
from qa.relevance import ASKING, norm
from qa.tasks import body_items, topic_terms, without_title
from qa.within import NOTHING_WITHIN, answer_within
from tracuu.types import Answer, Chunk, Citation, Hit, Point

ANSWERED = 0.5  # least share of the question's word weight one passage must hold to count as an answer
SENTENCE_MIN = 0.35  # least coverage of a sentence quoted for a topic question
TOP_HITS = 8
QUOTED = ("item", "paragraph", "row")  # blocks whose sentences a topic answer quotes (a heading is no answer)


@dataclass
class _Draft:
    doc: str
    start: int
    end: int
    text: str
    bodies: list[str] = field(default_factory=list)
    also: list[tuple[str, int, int]] = field(default_factory=list)  # near-duplicates in other documents


def ask(index, question: str, filters: dict | None = None, found=None) -> Answer:
    """The answer to `question` from `index` (an `index.Index`), made from the documents that pass
    `filters` only (the page's sidebar, the API's `filters`: {type, issuer, year, doc}; None: all).

    `found`: what the caller's own search gave, when it searched already (the page lists the passages
    too), so the question is not searched again: the (hits, scope) of `index.search_scoped(question, k,
    filters=filters)` in hybrid mode with k >= TOP_HITS."""
    from index import check_query

    q = parse(check_query(question))
    allowed = index.documents_matching(filters)  # None when nothing is filtered
    hits, scope = found if found is not None else index.search_scoped(q.text, k=TOP_HITS, filters=filters)
    hits = hits[:TOP_HITS]
    corpus = derived.corpus(index)
    if q.bodies:
        answer = _body_answer(index, q, hits, corpus, scope, allowed)
    else:
        answer = None
        if q.intent == "who":
            answer = _who_answer(index, q, hits, corpus)
        if answer is None:
            answer = _topic_answer(index, q, hits, corpus, scope=scope, allowed=allowed)
    answer = verified(index, answer)
    answer.searched = getattr(scope, "description", "") or ""
    answer.scope_notes = list(getattr(scope, "notes", ()) or ())
    # Every point already cites a document within the filters; answer_within keeps that a guarantee.
    return answer_within(answer, allowed)


def _said(scope) -> list[str]:
    return [p.said for p in getattr(scope, "parts", ())]


def _where(scope, allowed: set[str] | None = None) -> str:
    """ "trong Kế hoạch 215/KH-UBND" when the question set a scope, else the documents searched."""
    everything = "trong các văn bản đã lập chỉ mục" if allowed is None else "trong các văn bản đã lọc"
    return getattr(scope, "description", "") or everything


def _nothing(scope, allowed: set[str] | None) -> str:
    if allowed is not None and not getattr(scope, "description", ""):
        return NOTHING_WITHIN  # with the hint to widen the filters
    return f"Không tìm thấy nội dung trả lời câu hỏi này {_where(scope)}."


def _names(bodies: list[Body]) -> str:
    return ", ".join(b.name for b in bodies)


def _body_answer(index, q: Question, hits: list[Hit], corpus, scope, allowed: set[str] | None) -> Answer:
    names = _names(q.bodies)
    if not _answered(index, corpus, hits, topic_terms(corpus, q, _said(scope))):
        # "Giáo viên nữ được nghỉ thai sản bao nhiêu tháng?": the passages found hold the body, not the rest.
        return Answer(q.text, _nothing(scope, allowed), related=hits[:5])
    items, _ = body_items(index, q, hits, corpus, scope, allowed)
    if not items:
        deadline = q.intent == "deadline"
        answer = _topic_answer(index, q, hits, corpus, dated=deadline, scope=scope, allowed=allowed)
        what = "thời hạn nào giao cho" if deadline else "nhiệm vụ nào giao cho"
        if answer.points:
            answer.answer = f"Không thấy {what} {names} {_where(scope, allowed)}; các đoạn liên quan:"
        else:
            answer.answer = f"Không tìm thấy {what} {names} {_where(scope, allowed)}."
        return answer
    what = "Thời hạn" if q.intent == "deadline" else "Nhiệm vụ"
    drafts = [_Draft(it.doc, it.start, it.end, it.text, [a.name for a in it.actors]) for it in items]
    drafts = _merge_near_duplicates(drafts)
    ndocs = len({d.doc for d in drafts})
    where = getattr(scope, "description", "") or f"trong {ndocs} văn bản"
    return _assemble(index, q.text, f"{what} của {names} {where}:", drafts)


def _who_answer(index, q: Question, hits: list[Hit], corpus) -> Answer | None:
    # "Đơn vị nào chủ trì ...": the verb asked about is the answer's, not a question word.
    context = corpus.terms(q.text, drop=ASKING - {"chủ_trì"})
    if not context:
        return None
    in_hits = {(h.chunk.doc, h.chunk.start, h.chunk.end) for h in hits}
    scored = []
    for it in derived.items(index):
        if not any(d == it.doc and s < it.end and it.start < e for d, s, e in in_hits):
            continue
        cov = corpus.coverage(without_title(context, index.documents[it.doc]), it.text)
        if cov >= ANSWERED:
            scored.append((cov, it))
    if not scored:
        return None
    scored.sort(key=lambda x: (-x[0], x[1].doc, x[1].start))
    drafts = [_Draft(it.doc, it.start, it.end, it.text, [a.name for a in it.actors]) for _, it in scored[:5]]
    bodies = list(dict.fromkeys(n for d in drafts for n in d.bodies))
    return _assemble(index, q.text, f"Cơ quan được giao: {', '.join(bodies)}.", drafts)


def _topic_answer(
    index, q: Question, hits: list[Hit], corpus, dated: bool = False, scope=None, allowed=None
) -> Answer:
    want_date = dated or q.intent == "deadline"
    # "Hạn nộp ... là khi nào": the date is required of the sentences below, not of the words.
    terms = corpus.terms(q.text, drop=ASKING if want_date or q.intent == "who" else frozenset())
    nothing = _nothing(scope, allowed)
    if not hits or not terms:
        return Answer(q.text, nothing, related=hits[:5])
    hits = hits + _lexical_hits(index, corpus, terms, exclude=hits, allowed=allowed)
    cover = [_cover(index, corpus, terms, h) for h in hits]
    if max(cover) < ANSWERED:
        return Answer(q.text, nothing, related=hits[:5])
    scored: list[tuple[float, int, _Draft]] = []
    seen = set()
    for rank, (h, cov) in enumerate(zip(hits, cover, strict=True)):
        if cov < ANSWERED * 0.6:
            continue
        doc = index.documents[h.chunk.doc]
        for s, e in _chunk_sentences(doc.text, h.chunk):
            if (h.chunk.doc, s) in seen:
                continue
            seen.add((h.chunk.doc, s))
            k = relevance.key(doc.text[s:e])
            if want_date and not (DEADLINE.search(k) or DATE.search(k)):
                continue
            if NOT_ANSWER.match(k):
                continue  # the legal basis, the closing summary: they name the topic, they do not answer it
            sc = corpus.coverage(terms, doc.text[s:e])
            if sc >= SENTENCE_MIN:
                scored.append((sc - 0.02 * rank, s, _Draft(h.chunk.doc, s, e, doc.text[s:e])))
    if not scored:
        return Answer(q.text, nothing, related=hits[:5])
    scored.sort(key=lambda x: (-x[0], x[2].doc, x[1]))
    top = scored[0][0]
    drafts = [d for sc, _, d in scored if sc >= 0.6 * top][:5]
    drafts = _merge_near_duplicates(drafts)
    ndocs = len({d.doc for d in drafts})
    return _assemble(index, q.text, f"Trích từ {ndocs} văn bản:", drafts)


def _cover(index, corpus, terms, hit: Hit) -> float:
    """How much of the question a passage holds, read with its headings and its document's title (which
    says the place, the type and the number a passage does not repeat)."""
    doc = index.documents.get(hit.chunk.doc)
    title = doc.title if doc else ""
    return corpus.coverage(terms, f"{title} {hit.chunk.heading} {hit.chunk.text}")


def _answered(index, corpus, hits: list[Hit], terms) -> bool:
    """Whether one of the passages found holds most of the question's word weight."""
    return bool(hits) and (not terms or max(_cover(index, corpus, terms, h) for h in hits) >= ANSWERED)


def _lexical_hits(index, corpus, terms, exclude: list[Hit], n: int = 3, allowed=None) -> list[Hit]:
    """The chunks holding most of the question's words, when search ranked them below its top hits
    (accent-free or unusual wording): the answer may quote them too (those of `allowed` documents only,
    when the question is filtered)."""
    seen = {(h.chunk.doc, h.chunk.start) for h in exclude}
    scored = sorted(
        ((corpus.coverage(terms, t), i) for i, t in enumerate(corpus.raw)),
        key=lambda x: -x[0],
    )
    out = []
    for cov, i in scored:
        c = index.chunks[i]
        if cov < ANSWERED or len(out) >= n:
            break
        if (c.doc, c.start) not in seen and (allowed is None or c.doc in allowed):
            out.append(Hit(c, 0.0, len(exclude) + len(out) + 1))
    return out


def _chunk_sentences(text: str, chunk: Chunk) -> list[tuple[int, int]]:
    out = []
    for b in B.read(text):
        if b.kind in QUOTED and b.start < chunk.end and chunk.start < b.end:
            out.extend((max(s, chunk.start), min(e, chunk.end)) for s, e in quoted_sentences(text, b))
    return [(s, e) for s, e in out if s < e and len(text[s:e].split()) >= 4]


def _words(text: str) -> set[str]:
    return set(norm(text).split())


def _merge_near_duplicates(drafts: list[_Draft]) -> list[_Draft]:
    kept: list[_Draft] = []
    for d in drafts:
        w = _words(d.text)
        for k in kept:
            kw = _words(k.text)
            if (k.doc, k.start) == (d.doc, d.start) or len(w & kw) / max(1, len(w | kw)) >= 0.8:
                if k.doc != d.doc:
                    k.also.append((d.doc, d.start, d.end))
                break
        else:
            kept.append(d)
    return kept


def _overlapping(spans: dict[str, list[Chunk]], doc: str, start: int, end: int) -> list[Chunk]:
    return [c for c in spans.get(doc, []) if c.start < end and start < c.end]


def _assemble(index, question: str, sentence: str, drafts: list[_Draft]) -> Answer:
    spans = derived.spans(index)
    citations: list[Citation] = []
    number: dict[tuple, int] = {}
    points = []
    for d in drafts:
        ns = []
        for doc, s, e in [(d.doc, d.start, d.end), *d.also]:
            for c in _overlapping(spans, doc, s, e):
                ident = (c.doc, c.start, c.end)
                if ident not in number:
                    number[ident] = len(citations) + 1
                    citations.append(Citation(number[ident], c))
                if number[ident] not in ns:
                    ns.append(number[ident])
        points.append(Point(d.text, ns, ", ".join(d.bodies)))
    return Answer(question, sentence, points, citations)


def verified(index, answer: Answer) -> Answer:
    """`answer` with only the points that are verbatim in a document they cite, citations renumbered."""
    by_n = {c.n: c for c in answer.citations}
    good = []
    for p in answer.points:
        cited = [by_n[n] for n in p.citations if n in by_n]
        docs = [index.documents.get(c.chunk.doc) for c in cited]
        if p.text and any(d is not None and p.text in d.text for d in docs):
            good.append(p)
    used = sorted({n for p in good for n in p.citations if n in by_n})
    renumber = {old: new for new, old in enumerate(used, start=1)}
    citations = [Citation(renumber[n], by_n[n].chunk) for n in used]
    points = [Point(p.text, [renumber[n] for n in p.citations if n in renumber], p.body) for p in good]
    if answer.points and not points:
        return Answer(
            answer.question,
            "Không tìm thấy đoạn trích nào khớp nguyên văn với văn bản; xem các đoạn có thể liên quan.",
            related=answer.related,
        )
    return Answer(answer.question, answer.answer, points, citations, answer.related)
