"""What `tracuu eval` prints: the metrics table (search) or the answers table (`--answers`), and the
per-query JSON Lines file it writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

from eval import tables
from eval.metrics import metric_names
from eval.runner import Result
from tracuu.errors import UsageError

LABELS = {"hit": "Hit", "recall": "Recall", "mrr": "MRR", "ndcg": "nDCG"}


def label(metric: str) -> str:
    name, _, cut = metric.partition("@")
    return f"{LABELS.get(name, name)}@{cut}"


def render(result: Result) -> str:
    names = metric_names(result.k)
    rows = [[mode, *(r.metrics[m] for m in names)] for mode, r in result.modes.items()]
    answered, none = len(result.answered), len(result.no_answer)
    lines = [
        f"{len(result.queries)} queries: {answered} scored"
        + (f", {none} with no answer in the corpus (left out of the averages)" if none else ""),
        "",
        tables.text(["mode", *map(label, names)], rows),
    ]
    if none:
        lines += ["", "median top-1 score, answered / no-answer queries:"]
        for mode in result.modes:
            a, n = result.top_score_medians(mode)
            lines.append(f"  {mode:<7} {tables.cell(a)} / {tables.cell(n)}")
    kinds_of = {str(q["id"]): str(q.get("kind") or "") for q in result.queries}
    kinds = sorted({k for k in kinds_of.values() if k})
    if kinds:
        mrr = f"mrr@{result.k}"
        rows = []
        for kind in kinds:
            ids = [q for q in result.answered if kinds_of[q] == kind]
            if ids:
                rows.append([kind, len(ids), *(_mean(r.per_query, ids, mrr) for r in result.modes.values())])
        lines += ["", f"{label(mrr)} by kind of question:", tables.text(["kind", "n", *result.modes], rows)]
    return "\n".join(lines)


def _mean(per_query: dict, ids: list[str], metric: str) -> float:
    return sum(per_query[q][metric] for q in ids) / len(ids)


def write_per_query(result: Result, path: Path) -> None:
    write_rows(result.per_query_rows(), path)


def write_rows(rows, path: Path) -> None:
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise UsageError(f"cannot write {path}: folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)


ANSWER_COLUMNS = {
    "questions": "n",
    "first_right": "first right",
    "any_right": "any right",
    "not_found": "not found",
    "points": "points",
    "points_no_gold_doc": "no gold doc",
    "points_off_gold": "off gold",
    "points_cut": "cut",
}


def render_answers(table: dict) -> str:
    """The `--answers` table: all questions with gold, then one row per kind; then the no-answer line."""
    rows = [["all", *(table["answers"][m] for m in ANSWER_COLUMNS)]]
    rows += [[k, *(v[m] for m in ANSWER_COLUMNS)] for k, v in table["by_kind"].items() if v["questions"]]
    a = table["answers"]
    lines = [
        f"{a['questions']} questions with gold quotes, {a['none']} with no answer in the corpus; "
        "shares of questions (first/any right, not found) and of points (no gold doc, off gold); "
        "cut is a count of points",
        "",
        tables.text(["kind", *ANSWER_COLUMNS.values()], rows),
    ]
    if a["none"]:
        lines += ["", f'no-answer questions answered "not found": {tables.cell(a["none_not_found"])}']
    return "\n".join(lines)


def answers_table(results) -> dict:
    """`--answers --json`: {"answers": {metric: value}, "by_kind": {kind: {metric: value}}}."""
    from eval.answers import by_kind, summary

    return {"answers": summary(results), "by_kind": by_kind(results)}
