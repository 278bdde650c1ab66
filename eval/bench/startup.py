"""Start-up: a one-shot `tracuu search` from a new process, and the import time of each heavy dependency.

    python -m eval.bench.startup [--index DIR] [--runs 7] [--quick]

CLI rows: `tracuu search QUERY --index DIR` (the console script) run N times after one warm-up run;
wall seconds median / min / max, and the median CPU seconds (user + system) of the process, which other
load on the machine hardly changes: on an idle machine the wall time is close to it. Bytecode is written
and reused as on an installed copy (whatever PYTHONDONTWRITEBYTECODE says), so the runs do not compile
tracuu's modules each time.
Import rows: each import timed inside a new interpreter (its start-up left out; median of 3), after
numpy where the row says so, and whether a one-shot search loads the module. "bm25s as tracuu imports
it" is `index.lexical._bm25s()` (without SciPy and tqdm); "tracuu's tagger" is reading pyvi's CRF model
and word lists in `index.segmenter`, to set against `pyvi.ViTokenizer`, pyvi's own (what tracuu loaded
before).
Without --index the sample corpus is indexed into a temporary folder first (not timed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUERY = "nhiệm vụ của Sở Y tế trong phòng chống dịch"
AFTER_NUMPY = "import numpy"
# (row, module it stands for, set-up, code): the code is timed in a new interpreter after the set-up ran
# there untimed, so a row counts its module and what that alone brings
IMPORTS = [
    ("numpy", "numpy", "", "import numpy"),
    ("faiss (after numpy)", "faiss", AFTER_NUMPY, "import faiss"),
    ("onnxruntime (after numpy)", "onnxruntime", AFTER_NUMPY, "import onnxruntime"),
    ("tokenizers", "tokenizers", "", "import tokenizers"),
    ("bm25s (after numpy)", "bm25s", AFTER_NUMPY, "import bm25s"),
    ("bm25s as tracuu imports it (after numpy)", "bm25s", "from index import lexical", "lexical._bm25s()"),
    ("pyvi.ViTokenizer (after numpy)", "pyvi.ViTokenizer", AFTER_NUMPY, "from pyvi import ViTokenizer"),
    ("tracuu's tagger (after numpy)", "index.segmenter", "from index import segmenter", "segmenter._model()"),
    ("sklearn (after numpy)", "sklearn", AFTER_NUMPY, "import sklearn"),
    ("streamlit", "streamlit", "", "import streamlit"),
]


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _tracuu() -> list[str]:
    script = Path(sys.executable).parent / "tracuu"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "tracuu.cli"]


def _timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall, cpu) seconds of one run of `cmd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cli_rows(index_dir: Path, runs: int, env: dict, modes=("hybrid", "bm25")) -> list[dict]:
    rows = []
    for mode in modes:
        cmd = [*_tracuu(), "search", QUERY, "--index", str(index_dir), "--mode", mode]
        _timed(cmd, env)  # warm-up: bytecode, and the vocabulary lookup on a new cache
        walls, cpus = zip(*(_timed(cmd, env) for _ in range(runs)), strict=True)
        rows.append({
            "what": f"tracuu search --mode {mode} (one shot)",
            "runs": runs,
            "wall s median": round(statistics.median(walls), 3),
            "wall s min": round(min(walls), 3),
            "wall s max": round(max(walls), 3),
            "cpu s median": round(statistics.median(cpus), 3),
        })  # fmt: skip
    return rows


def import_seconds(setup: str, code: str, env: dict) -> tuple[float, float]:
    """(wall, cpu) seconds that `code` takes in a new interpreter after `setup` (both left out)."""
    timer = (
        "import time, sys\n"
        "exec(sys.argv[1])\n"
        "w, c = time.perf_counter(), time.process_time()\n"
        "exec(sys.argv[2])\n"
        "print(time.perf_counter() - w, time.process_time() - c)\n"
    )
    cmd = [sys.executable, "-c", timer, setup, code]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError((out.stderr.strip().splitlines() or ["failed"])[-1])
    wall, cpu = out.stdout.split()
    return float(wall), float(cpu)


def loaded_by_search(index_dir: Path, env: dict) -> set[str]:
    code = (
        "import io, json, sys, contextlib\n"
        "from tracuu.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['search', sys.argv[1], '--index', sys.argv[2]])\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, QUERY, str(index_dir)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return set(json.loads(out.stdout)) if out.returncode == 0 else set()


def import_rows(index_dir: Path, env: dict, repeats: int, imports=IMPORTS) -> list[dict]:
    loaded = loaded_by_search(index_dir, env)
    rows = []
    for label, module, setup, code in imports:
        row: dict = {"what": f"import {label}"}
        try:
            import_seconds(setup, code, env)  # warm-up: bytecode of the modules that have none yet
            walls, cpus = zip(*(import_seconds(setup, code, env) for _ in range(repeats)), strict=True)
            row["wall s median"] = round(statistics.median(walls), 3)
            row["cpu s median"] = round(statistics.median(cpus), 3)
        except RuntimeError as e:
            row["error"] = str(e)
        row["loaded by tracuu search"] = "yes" if module in loaded else "no"
        rows.append(row)
    return rows


def run(index_dir: Path | None = None, quick: bool = False, runs: int | None = None) -> list[dict]:
    """Rows for `make bench`: CLI start-up first, then one row per heavy dependency."""
    env = _env()
    runs = runs or (3 if quick else 7)
    with tempfile.TemporaryDirectory(prefix="tracuu-startup-") as tmp:
        if index_dir is None:
            import index

            index_dir = Path(tmp) / "index"
            index.build([ROOT / "corpus"], index_dir)
        load = os.getloadavg()[0]
        rows = cli_rows(Path(index_dir), runs, env) + import_rows(Path(index_dir), env, 1 if quick else 3)
    for r in rows:
        r["load avg"] = f"{load:.1f}"
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.bench.startup", description=__doc__.splitlines()[0])
    p.add_argument("--index", type=Path, help="an index folder (default: the sample corpus, indexed first)")
    p.add_argument("--runs", type=int, help="timed runs of tracuu search (default 7; 3 with --quick)")
    p.add_argument("--quick", action="store_true")
    a = p.parse_args(argv)
    from eval.bench.report import hook_table

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times are noisy when high)")
    print(hook_table(run(a.index, a.quick, runs=a.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
