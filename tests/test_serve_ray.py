"""`tracuu serve --ray`: the API as Ray Serve replicas on a real local Ray cluster (one per session,
tests/conftest.py `ray_cluster`), over a copy of the session's corpus index built with the real default model.

Two replicas answer /search and /ask with the CLI's JSON; every Ray and Serve process listens on
127.0.0.1 only; a new index swapped into the served folder is picked up by both replicas while a client
keeps querying, with no failed request. The swap test stays last (it changes the served folder).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from types import SimpleNamespace

import pytest
from conftest import CORPUS, LOOPBACK, ROOT, listening_sockets
from index_helpers import EXTRA, cli_json, corpus_index

from api.client import Client
from eval.bench import api_server as server
from tracuu.errors import ApiError

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

QUESTION = "nhiệm vụ của Sở Y tế"
SWAP_SECONDS = 90  # bound on the wait for both replicas to serve the new index


@pytest.fixture(scope="module")
def deployed(ray_cluster, tmp_path_factory):  # noqa: F811
    from cluster import serve as ray_serve

    index_dir = tmp_path_factory.mktemp("serve-ray") / "index"
    shutil.copytree(corpus_index(), index_dir)
    url = ray_serve.deploy(index_dir, replicas=2, port=server.free_port())
    try:
        yield SimpleNamespace(url=url, index_dir=index_dir, client=Client(url, timeout=60))
    finally:
        ray_serve.undeploy()


def test_two_replicas_answer_search_and_ask_with_the_cli_json(deployed, capsys):
    from ray import serve

    from cluster.serve import APP, DEPLOYMENT

    status = serve.status().applications[APP].deployments[DEPLOYMENT]
    assert status.replica_states == {"RUNNING": 2}
    got = deployed.client.search("giáo dục thể chất", k=5)
    want = cli_json(capsys, "search", "giáo dục thể chất", "--index", str(deployed.index_dir), "-k", "5",
                     "--json")  # fmt: skip
    assert [{**h, "score": None} for h in got["hits"]] == [{**h, "score": None} for h in want["hits"]]
    assert [h["score"] for h in got["hits"]] == pytest.approx([h["score"] for h in want["hits"]], abs=1e-5)
    assert got["query"] == want["query"] and len(got["hits"]) == 5
    answer = deployed.client.ask(QUESTION)
    assert answer == cli_json(capsys, "ask", QUESTION, "--index", str(deployed.index_dir), "--json")
    assert answer["points"] and all(p["citations"] for p in answer["points"])
    with pytest.raises(ApiError) as bad:  # errors keep the API's 4xx JSON through Serve's proxy
        deployed.client.search("", k=5)
    assert bad.value.status == 400 and "query" in str(bad.value).lower()


def test_every_ray_and_serve_port_is_on_loopback(deployed):
    listening = listening_sockets()
    port = int(deployed.url.rsplit(":", 1)[1])
    assert any(p == port for _, p, _ in listening), f"Serve's HTTP proxy not found: {sorted(listening)}"
    replicas = [x for x in listening if x[2].startswith("ray::ServeReplica")]
    assert len(replicas) >= 4, f"each replica's worker and inter-deployment gRPC ports: {sorted(listening)}"
    assert {ip for ip, _, _ in listening} <= LOOPBACK, f"listening beyond loopback: {sorted(listening)}"


def test_a_new_index_is_served_by_both_replicas_without_a_failed_request(deployed, tmp_path):
    import index

    before = deployed.client.health()
    assert before["documents"] == 5
    extra = tmp_path / "extra"
    (extra / "huyen").mkdir(parents=True)
    (extra / "huyen" / "cong-van-duoi-nuoc.txt").write_text(EXTRA, encoding="utf-8")
    failures: list[str] = []
    answered = 0
    stop = threading.Event()

    def query() -> None:
        nonlocal answered
        client = Client(deployed.url, timeout=30)
        deadline = time.monotonic() + SWAP_SECONDS + 60
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                client.search("nhiệm vụ năm học", k=3)
                answered += 1
            except ApiError as e:
                failures.append(f"{e.status}: {e}")

    worker = threading.Thread(target=query)
    worker.start()
    try:
        time.sleep(1)
        index.build([CORPUS, extra], deployed.index_dir)  # one more document: 2 chunks embedded
        deadline = time.monotonic() + SWAP_SECONDS
        seen = []
        while time.monotonic() < deadline:
            # requests spread over the replicas: 12 in a row on the new index means both have it
            seen = [deployed.client.health()["documents"] for _ in range(12)]
            if seen == [6] * 12:
                break
            time.sleep(0.5)
        assert seen == [6] * 12, f"replicas still on the old index after {SWAP_SECONDS}s: {seen}"
    finally:
        stop.set()
        worker.join()
    assert failures == [] and answered > 0
    hits = deployed.client.search("dạy bơi an toàn cho học sinh", k=3)["hits"]
    assert hits[0]["doc"] == "huyen/cong-van-duoi-nuoc.txt"


def test_without_the_extra_serve_ray_says_how_to_install(tmp_path):
    # sys.modules["ray"] = None is how Python marks a module absent: `import ray` raises ImportError
    code = (
        "import sys; sys.modules['ray'] = None; from tracuu.cli import main; "
        f"sys.exit(main(['serve', '--index', {str(tmp_path)!r}, '--ray', '--replicas', '2']))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), r.stderr
    assert "pip install '.[cluster]'" in lines[0]


def test_the_default_serve_path_never_imports_ray():
    code = (
        "import sys, tracuu.commands.serve, api.app, cluster.serve, tracuu.cli; "
        "assert 'ray' not in sys.modules, 'ray was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)
