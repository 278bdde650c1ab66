"""Two `tracuu eval --per-query` runs side by side: how many questions each one ranks better.

    python -m eval.compare BASELINE.jsonl CANDIDATE.jsonl

On dev sets of 38-116 questions one question moves a metric by 0.01-0.03, so a difference in the
averages alone cannot tell a change of engine or fusion from noise. Paired per question: the mean
difference of each metric, how many questions got a better / worse / the same MRR@10, and the exact
two-sided sign-test p-value of better against worse (ties left out).
"""

from __future__ import annotations

import argparse
import json
import sys
from math import comb
from pathlib import Path

from tracuu.errors import UsageError


def read_run(path: Path) -> dict[tuple[str, str], dict[str, float]]:
    """(mode, query id) -> metrics, for the answered questions of a --per-query file."""
    if not path.is_file():
        raise UsageError(f"{path} does not exist; write it with: tracuu eval QUERIES --per-query {path}")
    out = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if row.get("gold"):
                out[(row["mode"], str(row["id"]))] = row["metrics"]
        except (json.JSONDecodeError, KeyError, TypeError) as e:
            raise UsageError(f"{path}:{n} is not a --per-query line of tracuu eval ({e})") from e
    return out


def sign_test(better: int, worse: int) -> float:
    """Exact two-sided p-value that better/worse splits this unevenly if each were a coin toss."""
    n = better + worse
    if n == 0:
        return 1.0
    tail = sum(comb(n, i) for i in range(min(better, worse) + 1)) / 2**n
    return min(1.0, 2 * tail)


def compare(base: dict, cand: dict, key: str = "mrr@10") -> dict[str, dict]:
    """Per mode: n, mean difference per metric (candidate - baseline), better/worse/same on `key`, p."""
    common = sorted(set(base) & set(cand))
    if not common:
        raise UsageError("the two runs share no (mode, query id): were they made on the same queries file?")
    out: dict[str, dict] = {}
    for mode in dict.fromkeys(m for m, _ in common):
        pairs = [(base[k], cand[k]) for k in common if k[0] == mode]
        metrics = list(pairs[0][0])
        diff = {m: sum(c[m] - b[m] for b, c in pairs) / len(pairs) for m in metrics}
        better = sum(c[key] > b[key] for b, c in pairs)
        worse = sum(c[key] < b[key] for b, c in pairs)
        out[mode] = {
            "n": len(pairs),
            "mean_diff": diff,
            "better": better,
            "worse": worse,
            "same": len(pairs) - better - worse,
            "p": sign_test(better, worse),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.compare", description=__doc__.splitlines()[0])
    p.add_argument("baseline", type=Path)
    p.add_argument("candidate", type=Path)
    a = p.parse_args(argv)
    try:
        result = compare(read_run(a.baseline), read_run(a.candidate))
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    metrics = list(next(iter(result.values()))["mean_diff"])
    print("mode    n  " + "  ".join(f"Δ{m:>9}" for m in metrics) + "  better worse same  p(sign)")
    for mode, r in result.items():
        diffs = "  ".join(f"{r['mean_diff'][m]:+10.3f}" for m in metrics)
        print(
            f"{mode:<6} {r['n']:>3}  {diffs}  {r['better']:>6} {r['worse']:>5} {r['same']:>4}  {r['p']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
