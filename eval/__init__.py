"""Retrieval evaluation (`tracuu eval`) and the benchmark (`python -m eval.bench`).

evaluate(index, queries_path, k=10, modes=("bm25", "dense", "hybrid")) -> {"mode": {"metric": value}}
"""

from __future__ import annotations

from eval.runner import MODES, evaluate, read_queries, run

__all__ = ["MODES", "evaluate", "read_queries", "run"]
