"""Shared test fixtures: where ../shared is, and the rule for tests that need it.

Tests that read ../shared skip with a reason in a user's clone, but must run in CI (CI=true): there a
missing ../shared is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from tracuu import config

ROOT = Path(__file__).resolve().parents[1]
SHARED = config.shared_dir(ROOT)
CORPUS = ROOT / "corpus"


def need_shared(*parts: str) -> Path:
    """Path under ../shared, or skip (fail in CI) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing in CI; ../shared must sit beside the repo")
        pytest.skip(f"{path} is absent (../shared is not beside this clone)")
    return path


def chromium_path() -> str:
    """Debian's Chromium for the browser tests, or skip (fail in CI, where .ci/run installs it)."""
    import shutil

    path = shutil.which("chromium")
    if path:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed; in CI .ci/run installs it (apt-get install chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium); the browser test needs it")


@contextmanager
def chromium_browser(path: str):
    """Debian's Chromium at `path` (see chromium_path), driven by Playwright with the project's flags."""
    from playwright.sync_api import sync_playwright

    from eval.bench.serve import CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def shared():
    return need_shared


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    """A queries file (or any JSON Lines file) of `rows`, UTF-8 as written by hand."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def one_document_set(folder: Path, doc: str) -> tuple[Path, list[dict], list[dict]]:
    """`folder`/corpus holding the sample directive `doc`, the questions of eval/queries.jsonl that only
    it answers, and the questions with no answer in the corpus."""
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / doc).write_bytes((CORPUS / doc).read_bytes())
    lines = (ROOT / "eval" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    answered = [r for r in rows if r["relevant"] and all(g["doc"] == doc for g in r["relevant"])]
    return corpus, answered, [r for r in rows if not r["relevant"]]


def pytest_configure(config):
    # Whatever a test (or a page rerun that outlives its AppTest) does with the default paths, it must
    # never write into the repo's data/index or corpus/: point the defaults at a throwaway folder.
    import shutil
    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="tracuu-test-defaults-"))
    (scratch / "corpus").mkdir()
    config.add_cleanup(lambda: shutil.rmtree(scratch, ignore_errors=True))
    os.environ.setdefault("TRACUU_INDEX", str(scratch / "index"))
    os.environ.setdefault("TRACUU_CORPUS", str(scratch / "corpus"))


LOOPBACK = {"127.0.0.1", "::ffff:127.0.0.1"}  # the second: IPv4 loopback on an IPv6 socket


def session_processes() -> list:
    """This process and every process it started (psutil): a session's Ray cluster, whose driver is
    this process, with Serve's proxy and replicas."""
    import psutil

    me = psutil.Process()
    return [me, *me.children(recursive=True)]


def listening_sockets() -> set[tuple[str, int, str]]:
    """(address, port, process name) of every listening socket of `session_processes()`."""
    import psutil

    listening = set()
    for proc in session_processes():
        try:
            conns = proc.net_connections(kind="inet")
            name = proc.name()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        listening |= {(c.laddr.ip, c.laddr.port, name) for c in conns if c.status == psutil.CONN_LISTEN}
    return listening


RAY_MISSING = "Ray is not installed: run `make install-cluster` (or pip install '.[cluster]')"


@pytest.fixture(scope="session")
def ray_cluster():
    """A real local Ray cluster (2 CPUs, every port on 127.0.0.1), started once for the whole session in
    this process, which is its driver; stopped at the end (only this cluster: never `ray stop`)."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{RAY_MISSING}; in CI .ci/run installs it")
        pytest.skip(RAY_MISSING)
    from cluster import local

    started = not ray.is_initialized()  # a cluster this process already joined is reused, never stopped here
    if started:
        local.start_local(num_cpus=2)
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()
