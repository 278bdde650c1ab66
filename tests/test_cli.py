"""The console script's own duties: error lines, exit codes, a closed pipe."""

from __future__ import annotations

import subprocess
import sys

from conftest import CORPUS

import index

TRACUU = [sys.executable, "-m", "tracuu.cli"]


def test_a_closed_pipe_is_not_a_traceback(tmp_path):
    idx = tmp_path / "idx"
    index.build([CORPUS], idx, model="fake")
    # `head -c 1` closes the pipe long before search has printed its fifty hits.
    out = subprocess.run(
        " ".join([*TRACUU, "search", "'nhiệm vụ của Sở Y tế'", "--index", str(idx), "-k", "50"])
        + " | head -c 1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=CORPUS.parent,
    )
    assert "Traceback" not in out.stderr, out.stderr
    assert out.stderr == ""
    assert len(out.stdout) == 1


def test_no_subcommand_is_a_usage_error():
    out = subprocess.run([*TRACUU], capture_output=True, text=True)
    assert out.returncode == 2
    assert "usage:" in out.stderr
