"""Embeddings, FAISS, BM25, hybrid search and the index folder.

build(paths, index_dir, model="onnx-int8", progress=None) -> BuildReport
load(index_dir, model=None) -> Index        Index.search(query, k, mode, filters) -> list[Hit]
get_embedder(name) -> Embedder              (index.embedders: the engines by name)
"""

from __future__ import annotations

from index.build import BuildReport, build
from index.embedders import get_embedder
from index.search import Index, check_query, load

__all__ = ["BuildReport", "Index", "build", "check_query", "get_embedder", "load"]
