"""The bench's answer part: `tracuu eval --answers` figures, and search figures on the directives set.

Sets: the bench's queries (eval/queries.jsonl) on the sample corpus index, and ../shared/bench/directives
with its queries split by id: odd ids (the questions rules and weights are chosen on) and even ids (held
out), reported apart. The directives index is kept in the bench cache (data/bench-index/directives)
and brought up to date like the others. Each set is measured in a fresh process (eval.bench.work.in_child).

    python -m eval.bench --skip ... (the part is named "answers")
"""

from __future__ import annotations

from pathlib import Path

from eval.bench.work import MODES, in_child

ROOT = Path(__file__).resolve().parents[2]
SEARCH = ("hit@1", "mrr@10", "recall@10")
ANSWER = ("first_right", "any_right", "not_found", "points", "points_no_gold_doc", "points_off_gold")


def split_ids(queries: list[dict], parity: str | None) -> list[dict]:
    """The queries whose numeric id part is odd or even ("v001" is odd); all of them for None."""
    if parity is None:
        return queries
    want = 1 if parity == "odd" else 0
    return [q for q in queries if int("".join(c for c in str(q["id"]) if c.isdigit()) or 0) % 2 == want]


def measure(index_dir: str, queries_file: str, parity: str | None) -> dict:
    """Search quality (every mode) and answer quality of one set, in this process."""
    import index
    from eval.answers import summary
    from eval.runner import read_queries, run, run_answers

    ix = index.load(Path(index_dir))
    queries = split_ids(read_queries(Path(queries_file)), parity)
    search = run(ix, queries, k=10, modes=MODES)
    answers = run_answers(ix, queries)
    return {"search": search.table(), "answers": summary(answers)}


def row(name: str, figures: dict) -> dict:
    a = figures["answers"]
    out: dict = {"set": name, "questions": a["questions"], "none": a["none"]}
    for mode in ("hybrid", "bm25"):
        for m in SEARCH:
            out[f"{mode} {m}"] = figures["search"][mode][m]
    out |= {m: a[m] for m in ANSWER}
    out["points_cut"] = a["points_cut"]
    out["none_not_found"] = a["none_not_found"]
    return out


def run(
    shared: Path, cache: Path, quick: bool = False, index_dir: Path | None = None, queries: Path | None = None
) -> list[dict]:
    from eval.bench import work as bench_work

    rows = []
    if index_dir is not None:
        qfile = str(queries or ROOT / "eval" / "queries.jsonl")
        rows.append(row("corpus", in_child(measure, str(index_dir), qfile, None)))
    folder = Path(shared) / "bench" / "directives"
    if quick or not (folder / "queries-dev.jsonl").is_file():
        why = "left out with --quick" if quick else f"{folder} is absent"
        return [*rows, {"set": f"directives: {why}"}]
    directives = Path(cache) / "directives"
    in_child(bench_work.build, [str(folder / "corpus")], str(directives), _model(index_dir))
    for parity in ("odd", "even"):
        figures = in_child(measure, str(directives), str(folder / "queries-dev.jsonl"), parity)
        rows.append(row(f"directives {parity}", figures))
    return rows


def _model(index_dir: Path | None) -> str:
    """The corpus index's model (the bench's --model), else the default."""
    from index.embedders import DEFAULT_MODEL

    if index_dir is not None:
        from index import store

        return store.read_manifest(Path(index_dir)).get("embedder", {}).get("name", DEFAULT_MODEL)
    return DEFAULT_MODEL
