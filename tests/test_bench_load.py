"""`python -m eval.bench.load` in a reduced form: a real server on loopback over a one-directive index
(default model), 1 and 3 websocket sessions asking two questions each, as the browser asks them; and
once with the page asking a real `tracuu serve` (--api)."""

from __future__ import annotations

import pytest
from conftest import one_document_set

import index
from eval.bench import load as bench_load
from eval.bench import report as bench_report

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

DOC = "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt"


def test_sessions_ask_over_the_websocket_and_the_server_is_measured(tmp_path):
    corpus, _, _ = one_document_set(tmp_path, DOC)
    index.build([corpus], tmp_path / "index")
    rows = bench_load.run(tmp_path / "index", levels=(1, 3), per_session=2, timeout=120)
    assert [(r["sessions"], r["questions"]) for r in rows] == [(1, 2), (3, 6)]
    for r in rows:
        assert r["errors"] == 0 and r["first error"] == "" and r["tracebacks in log"] == 0, r
        assert r["passages / question"] > 0  # the questions were searched and drawn, not refused
        assert 0 < r["p50 s"] <= r["p95 s"] <= r["max s"]
        assert r["server CPU s / question"] > 0 and r["server CPU s / open"] > 0
    assert "server CPU s / question" in bench_report.hook_table(rows)


def test_cpu_seconds_reads_this_process():
    import os

    spent = bench_load.cpu_seconds(os.getpid())
    sum(i * i for i in range(2_000_000))  # ~0.1 s of CPU; the clock ticks every 10 ms
    assert bench_load.cpu_seconds(os.getpid()) > spent


def test_with_the_api_the_page_servers_ask_a_tracuu_serve_and_both_are_measured(tmp_path):
    corpus, _, _ = one_document_set(tmp_path, DOC)
    index.build([corpus], tmp_path / "index")
    [row] = bench_load.run(tmp_path / "index", levels=(2,), per_session=1, timeout=120, api=True)
    assert row["page source"] == "API (TRACUU_API)" and row["questions"] == 2, row
    assert row["errors"] == 0 and row["tracebacks in log"] == 0 and row["passages / question"] > 0, row
    assert row["API CPU s / question"] > 0 and row["API RSS MB"] > 0 and row["server RSS MB"] > 0, row
    assert 0 < row["start → usable page s"] <= row["start → first answer s"]
