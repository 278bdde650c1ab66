"""Embeddings, FAISS, BM25, hybrid search and the index folder.

build(paths, index_dir, model="onnx-int8", progress=None) -> BuildReport
load(index_dir, model=None) -> Index        Index.search(query, k, mode, filters) -> list[Hit]
get_embedder(name) -> Embedder              (index.embedders: the engines by name)

The names are loaded on first use (PEP 562), so importing one module of the package (`index.segmenter`,
`index.embedders` for `--help`) does not load the builder, FAISS or the model code.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "BuildReport": "index.build",
    "build": "index.build",
    "get_embedder": "index.embedders",
    "Index": "index.search",
    "check_query": "index.search",
    "load": "index.search",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
