"""The HTTP API (`tracuu serve`) as a real uvicorn server on a loopback port, over the sample corpus
indexed with the real default model; every endpoint over HTTP, its JSON against DESIGN's contracts
(equal to the CLI's), its errors as 4xx JSON, schemathesis against its OpenAPI schema, and a new
index picked up while requests keep being answered.

One server for the module. It serves a copy of the session's corpus index; the last test rebuilds
that copy with one more document, so it stays last.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from types import SimpleNamespace
from urllib.parse import quote

import pytest
import schemathesis
from conftest import CORPUS, ROOT
from hypothesis import HealthCheck, Phase, given, settings
from index_helpers import EXTRA, cli_json, corpus_index
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

import index
from api.client import Client
from api.live import LiveIndex
from eval.bench import api_server as server
from eval.runner import read_queries
from index.search import FILTER_FIELDS, check_query
from tracuu.cli import main
from tracuu.errors import ApiError, UsageError

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

QUESTION = "nhiệm vụ của Sở Y tế"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    work = tmp_path_factory.mktemp("api")
    index_dir = work / "index"
    shutil.copytree(corpus_index(), index_dir)
    port = server.free_port()
    url = f"http://127.0.0.1:{port}"
    proc = server.start(index_dir, port, work / "server.log", {**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        server.wait_ready(proc, url)
        yield SimpleNamespace(url=url, index_dir=index_dir, log=work / "server.log", client=Client(url))
    finally:
        server.stop(proc)


def _raw(served, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """(status, JSON) of one request sent as given (no client-side checks)."""
    host, port = served.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.getheader("content-type"), json.loads(r.read() or b"null")
    finally:
        conn.close()


def test_health_names_the_model_and_counts(served):
    ix = index.load(served.index_dir)
    h = served.client.health()
    assert h["status"] == "ok" and h["model"] == "onnx-int8" == h["embedder"]["name"]
    assert (h["documents"], h["chunks"]) == (len(ix.documents), len(ix.chunks))
    assert h["created"] == ix.manifest["created"] and h["index"] == str(served.index_dir)
    assert h["reloads"] == 0 and h["reload_error"] == ""


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_search_is_the_cli_json(served, capsys, mode):
    got = served.client.search("giáo dục thể chất", k=5, mode=mode)
    want = cli_json(capsys, "search", "giáo dục thể chất", "--index", str(served.index_dir), "-k", "5",
                     "--mode", mode, "--json")  # fmt: skip
    assert [{**h, "score": None} for h in got["hits"]] == [{**h, "score": None} for h in want["hits"]]
    assert [h["score"] for h in got["hits"]] == pytest.approx([h["score"] for h in want["hits"]], abs=1e-5)
    assert got["query"] == want["query"] and len(got["hits"]) == 5


def test_search_filters_are_the_sidebars(served):
    docs = served.client.documents()
    chi_thi = {d["doc"] for d in docs if d["filters"]["type"] == "Chỉ thị"}
    assert chi_thi
    hits = served.client.search("nhiệm vụ năm học", k=20, filters={"type": ["Chỉ thị"]})["hits"]
    assert hits and {h["doc"] for h in hits} <= chi_thi
    year = docs[0]["filters"]["year"]
    hits = served.client.search("nhiệm vụ năm học", filters={"year": [year], "doc": [docs[0]["doc"]]})["hits"]
    assert hits and {h["doc"] for h in hits} == {docs[0]["doc"]}
    assert served.client.search("nhiệm vụ năm học", filters={"type": ["Không có loại này"]})["hits"] == []


def test_ask_is_the_cli_json(served, capsys):
    got = served.client.ask(QUESTION)
    want = cli_json(capsys, "ask", QUESTION, "--index", str(served.index_dir), "--json")
    assert got == want
    assert got["points"] and all(p["citations"] for p in got["points"])
    texts = {d: served.client.document(d)["text"] for d in {c["doc"] for c in got["citations"]}}
    for c in got["citations"]:
        assert texts[c["doc"]][c["start"] : c["end"]] == c["text"]


def test_ask_says_what_a_scoped_question_searched(served):
    got = served.client.ask("nhiệm vụ của Công an huyện ở Củ Chi")
    assert got["scope"]["searched"].startswith("trong Kế hoạch") and "Củ Chi" in got["scope"]["searched"]
    assert "scope" not in served.client.ask("nhiệm vụ của Sở Y tế")  # no scope: DESIGN's shape


def test_ask_within_filters_cites_only_those_documents(served):
    question = "nhiệm vụ của Phòng Giáo dục và Đào tạo"
    whole = served.client.ask(question)
    cited = sorted({c["doc"] for c in whole["citations"]})
    assert len(cited) == 2 and "trong 2 văn bản" in whole["answer"]
    one = served.client.ask(question, filters={"doc": [cited[0]]})
    assert one["points"] and {c["doc"] for c in one["citations"]} == {cited[0]}
    assert "trong 1 văn bản" in one["answer"]  # the sentence counts what is left, not what was found
    used = {n for p in one["points"] for n in p["citations"]}
    assert used == {c["n"] for c in one["citations"]}
    none = served.client.ask(question, filters={"type": ["Không có loại này"]})
    assert none["points"] == [] and none["citations"] == [] and "Không tìm thấy" in none["answer"]


def test_documents_and_one_document(served):
    ix = index.load(served.index_dir)
    docs = served.client.documents()
    assert [d["doc"] for d in docs] == sorted(ix.documents)
    for d in docs:
        assert d["title"] == ix.documents[d["doc"]].title and d["chunks"] > 0
        assert set(d["filters"]) == {"type", "issuer", "year"}
    d = served.client.document(docs[-1]["doc"])
    assert d["text"] == ix.documents[d["doc"]].text and d["meta"] == docs[-1]["meta"]
    chunks = sorted((c for c in ix.chunks if c.doc == d["doc"]), key=lambda c: c.start)
    assert [(o["section"], o["heading"], o["start"], o["end"]) for o in d["outline"]] == [
        (c.section, c.heading, c.start, c.end) for c in chunks
    ]
    assert all(d["text"][o["start"] : o["end"]] for o in d["outline"])


def test_obligations_by_body(served):
    import qa

    everything = served.client.obligations()
    rows = [o.to_json() for o in qa.obligations(index.load(served.index_dir))]
    assert everything["obligations"] == rows and everything["body"] is None
    assert "Sở Y tế" in everything["bodies"]
    mine = served.client.obligations("Sở Y tế")
    assert mine["obligations"] and all(r["body"] == "Sở Y tế" for r in mine["obligations"])
    assert len(mine["obligations"]) == sum(r["body"] == "Sở Y tế" for r in rows)


LONG = "giáo dục " * 200
JSON = {"Content-Type": "application/json"}
BAD = [
    ("GET", "/search?q=", None, {}, 400, "empty"),
    ("GET", "/search?q=%20%20", None, {}, 400, "empty"),
    ("GET", "/search?q=" + quote(LONG), None, {}, 400, "1,000"),
    ("GET", "/search?q=%21%21%3F", None, {}, 400, "letters"),
    ("GET", "/search", None, {}, 400, "q"),
    ("GET", "/search?q=abc&mode=semantic", None, {}, 400, "mode"),
    ("GET", "/search?q=abc&k=0", None, {}, 400, "k"),
    ("GET", "/search?q=abc&k=101", None, {}, 400, "k"),
    ("GET", "/search?q=abc&k=ten", None, {}, 400, "k"),
    ("POST", "/ask", b"{not json", JSON, 400, "not valid JSON"),
    ("POST", "/ask", None, {}, 400, "body is missing"),
    ("POST", "/ask", b'{"question": 5}', JSON, 400, "question"),
    ("POST", "/ask", b'{"question": ""}', JSON, 400, "empty"),
    ("POST", "/ask", b'{"q": "abc"}', JSON, 400, "question"),
    ("POST", "/ask", b'{"question": "abc", "filters": {"school": ["x"]}}', JSON,
     400, "filters.school"),
    ("POST", "/ask", b'{"question": "abc", "filters": {"type": "Ch\\u1ec9 th\\u1ecb"}}',
     JSON, 400, "filters.type"),
    ("POST", "/ask", b"x" * 70_000, JSON, 413, "64 KiB"),
    ("GET", "/documents/no/such/doc.txt", None, {}, 404, "GET /documents"),
    ("GET", "/obligations?body=Kh%C3%B4ng%20ai", None, {}, 404, "bodies"),
    ("GET", "/nowhere", None, {}, 404, "/docs"),
    ("DELETE", "/search?q=abc", None, {}, 405, "DELETE"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body", "headers", "status", "says"), BAD)
def test_bad_input_is_a_4xx_json_error_saying_what_to_do(served, method, path, body, headers, status, says):
    got, kind, payload = _raw(served, method, path, body, headers)
    assert (got, kind) == (status, "application/json")
    assert set(payload) == {"error"} and says in payload["error"]


def test_a_chunked_body_over_the_cap_is_refused_unread(served):
    host, port = served.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    conn.putrequest("POST", "/ask")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    try:
        for _ in range(80):  # 80 KiB in 1 KiB chunks; the server answers once it has read 64 KiB
            conn.send(b"400\r\n" + b"a" * 1024 + b"\r\n")
        conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass
    r = conn.getresponse()
    assert r.status == 413 and "64 KiB" in json.loads(r.read())["error"]
    conn.close()


def test_the_client_raises_the_apis_message(served):
    with pytest.raises(ApiError, match="empty") as e:
        served.client.search("   ")
    assert e.value.status == 400
    with pytest.raises(ApiError, match="did not answer"):
        Client(f"http://127.0.0.1:{server.free_port()}", timeout=2).health()


def test_openapi_and_docs_pages(served):
    status, _, schema = _raw(served, "GET", "/openapi.json")
    assert status == 200
    assert set(schema["paths"]) == {path for _, path in OPERATIONS}
    filters = {p["name"] for p in schema["paths"]["/search"]["get"]["parameters"]} - {"q", "k", "mode"}
    assert filters == set(schema["components"]["schemas"]["Filters"]["properties"]) == set(FILTER_FIELDS)
    host, port = served.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", "/docs")
    r = conn.getresponse()
    assert r.status == 200 and b"swagger" in r.read().lower()
    conn.close()


@pytest.fixture(scope="module")
def api_schema(served):
    return schemathesis.openapi.from_url(f"{served.url}/openapi.json")


OPERATIONS = [("GET", "/search"), ("POST", "/ask"), ("GET", "/documents"), ("GET", "/documents/{doc}"),
              ("GET", "/obligations"), ("GET", "/health")]  # fmt: skip


# Schemathesis through Hypothesis directly (its pytest plugin's lazy schema does not run on pytest 9):
# up to 30 cases per operation and mode, no shrinking, so the whole run stays within a minute or two.
# Operations whose inputs are free strings or absent have no invalid input to generate.
@pytest.mark.parametrize(
    ("method", "path", "mode"),
    [(m, p, GenerationMode.POSITIVE) for m, p in OPERATIONS]
    + [(m, p, GenerationMode.NEGATIVE) for m, p in OPERATIONS if p in ("/search", "/ask", "/obligations")],
)
def test_schemathesis_no_5xx_and_answers_match_the_schema(api_schema, method, path, mode):
    operation = api_schema[path][method]

    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        response = case.call()
        if mode.is_positive and response.status_code == 400 and path in ("/search", "/ask"):
            # The one rule the schema does not state (a letter or digit): refused only when the CLI
            # refuses it too; everything else about the answer is still checked.
            text = case.query["q"] if path == "/search" else case.body["question"]
            with pytest.raises(UsageError):
                check_query(text)
            case.validate_response(response, excluded_checks=[positive_data_acceptance])
        else:
            case.validate_response(response)

    check()


def test_no_traceback_in_the_server_log(served):
    log = served.log.read_text(errors="replace")
    assert "Traceback" not in log and "Exception in ASGI" not in log


def test_serve_without_an_index_says_how_to_build_one(tmp_path, capsys):
    assert main(["serve", "--index", str(tmp_path / "none"), "--port", str(server.free_port())]) == 2
    assert "tracuu ingest" in capsys.readouterr().err


def test_the_default_path_does_not_import_fastapi():
    code = (
        "import sys, tracuu.cli, index, qa, ingest, page.store, page.search_tab, page.tasks, page.reader;"
        "print(sorted(m for m in ('fastapi', 'api') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_a_broken_new_index_is_not_swapped_in(tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(corpus_index(), copy)
    live = LiveIndex(copy, check_every=0, warm=False)
    first = live.get()
    (copy / "manifest.json").write_text("{half a manifest")
    assert live.get() is first  # the reload runs beside the request
    deadline = time.monotonic() + 60
    while live._reloading.locked() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live.get() is first and "unreadable" in live.reload_error and live.reloads == 0


def test_the_benchmark_drives_both_endpoints_without_errors(served):
    from eval.bench import api as bench_api

    rows = bench_api.drive(served.url, levels=((1, 2), (3, 3)), seconds=60)
    assert [(r["endpoint"], r["clients"], r["requests"]) for r in rows] == [
        ("/search", 1, 2), ("/search", 3, 3), ("/ask", 1, 2), ("/ask", 3, 3)
    ]  # fmt: skip
    assert all(r["errors"] == 0 and 0 < r["p50_ms"] <= r["p95_ms"] <= r["max_ms"] for r in rows)
    n = len({r["query"] for r in read_queries(bench_api.QUERIES)})
    spellings = list(itertools.islice(bench_api.fresh_queries(), 3 * n))
    assert len(set(spellings)) == 3 * n  # each request is new to the server's query cache ...
    words = [" ".join(q.split()) for q in spellings]
    assert words[:n] == words[n : 2 * n] == words[2 * n :]  # ... with the same words


def test_zz_a_new_index_is_picked_up_without_dropping_requests(served, tmp_path):
    """Last in the module: it changes the served index (one document more, in a subfolder)."""
    extra = tmp_path / "extra"
    (extra / "huyen").mkdir(parents=True)
    (extra / "huyen" / "cong-van-duoi-nuoc.txt").write_text(EXTRA, encoding="utf-8")
    before = served.client.health()
    failures, answered, done = [], [], threading.Event()

    def keep_asking():
        client = Client(served.url)
        while not done.is_set():
            try:
                answered.append(len(client.search("phòng chống đuối nước", k=3)["hits"]))
            except ApiError as e:
                failures.append(str(e))

    reader = threading.Thread(target=keep_asking)
    reader.start()
    try:
        index.build([CORPUS, extra], served.index_dir)
        deadline = time.monotonic() + 120
        while served.client.health()["reloads"] == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)  # a few requests on the new index too
    finally:
        done.set()
        reader.join()
    after = served.client.health()
    assert after["reloads"] == 1 and after["documents"] == before["documents"] + 1
    assert after["created"] != before["created"]
    assert failures == [] and len(answered) > 5
    doc = served.client.document("huyen/cong-van-duoi-nuoc.txt")  # an id with a slash
    assert doc["text"].startswith("ỦY BAN NHÂN DÂN HUYỆN") and doc["outline"]
    hits = served.client.search("dạy bơi an toàn cho học sinh", k=3)["hits"]
    assert hits[0]["doc"] == "huyen/cong-van-duoi-nuoc.txt"
