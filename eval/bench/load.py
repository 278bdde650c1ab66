"""The page server under load, measured at the server: N sessions speaking Streamlit's own websocket
protocol from this (second) process on loopback, no browser.

    python -m eval.bench.load [--index DIR] [--sessions 1 5 10 20 50] [--questions 2] [--timeout 300] [--api]

Each session does what a browser does: opens `/_stcore/stream`, asks for a run (BackMsg rerun_script),
reads the ForwardMsgs until `script_finished`, then types a question into the search box: a rerun with
the box's widget state (and, when the box sits in a fragment, that fragment's id, as the browser sends).
For each N a fresh server is started (so no level profits from another's caches) and warmed by one
session and one question (model, index, per-index tables loaded); then N sessions open at once, then
each asks `--questions` different questions from eval/queries.jsonl, one after the other, all sessions
at once. Rows: latency from sending a question to its `script_finished` (p50, p95, max), errors (an
exception or error box drawn, a run that did not finish, a dropped connection or a timeout), and the
server's CPU seconds per question: utime + stime of the server process from /proc/<pid>/stat, read
before and after the questions (the server is one process; nothing else runs in it). Each row also
gives the server's start to a usable page (the first session's search box drawn) and to its first
answer, and its resident memory after the level.

With --api the page servers ask a `tracuu serve` (TRACUU_API) that the bench starts once, warmed, on
the same index: the rows then add the API process's CPU seconds per question and its memory, so the two
halves of the work show apart.
Bounded: at most max(--sessions) x --questions questions a level, every wait under --timeout seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from eval.bench import serve
from eval.bench.api import rss_mb
from eval.bench.work import pct

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "eval" / "queries.jsonl"
LEVELS = (1, 5, 10, 20, 50)
BOX = "q"  # the search box's widget key
WARM_UP = "kế hoạch năm học"


def _questions() -> list[str]:
    rows = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return list(dict.fromkeys(r["query"] for r in rows if r["query"] != WARM_UP))


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (fields 14 and 15 of /proc/<pid>/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Session:
    """One page session over the websocket: runs the script and reports how each run ended."""

    url: str
    timeout: float
    ws: object = None
    box_id: str = ""
    box_fragment: str = ""
    errors: list[str] = field(default_factory=list)
    passages: int = 0  # passages drawn in answer to the questions: the work was done, not skipped

    async def open(self) -> float:
        import websockets

        t = time.perf_counter()
        self.ws = await websockets.connect(
            self.url.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=self.timeout,
        )
        await self._run()
        if not self.box_id:
            raise RuntimeError("the page drew no search box")
        return time.perf_counter() - t

    async def ask(self, question: str) -> float:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=self.box_id, string_value=question)
        t = time.perf_counter()
        await self._run([state], self.box_fragment)
        return time.perf_counter() - t

    async def _run(self, states=(), fragment: str = "") -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        back = BackMsg()
        back.rerun_script.query_string = ""
        back.rerun_script.page_script_hash = ""
        back.rerun_script.widget_states.widgets.extend(states)
        if fragment:
            back.rerun_script.fragment_id = fragment
        await self.ws.send(back.SerializeToString())
        await asyncio.wait_for(self._until_finished(), self.timeout)

    async def _until_finished(self) -> None:
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "script_finished":
                if msg.script_finished not in (
                    ForwardMsg.FINISHED_SUCCESSFULLY,
                    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
                ):
                    self.errors.append(f"run ended with {msg.script_finished}")
                return
            if kind != "delta" or msg.delta.WhichOneof("type") != "new_element":
                continue
            element = msg.delta.new_element
            what = element.WhichOneof("type")
            if what == "text_input" and element.text_input.id.endswith(f"-{BOX}"):
                self.box_id, self.box_fragment = element.text_input.id, msg.delta.fragment_id
            elif what == "html" and 'class="tracuu-passage"' in element.html.body:
                self.passages += 1
            elif what == "exception":
                self.errors.append(f"exception: {element.exception.message[:200]}")
            elif what == "alert" and element.alert.format == Alert.ERROR:
                self.errors.append(f"error box: {element.alert.body[:200]}")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def _level(
    url: str, pid: int, sessions: int, questions: list[list[str]], timeout: float, started: float, api_pid
) -> dict:
    """One level; `started` is when the server was launched, `api_pid` the API's process (or None)."""
    warm = Session(url, timeout)
    await warm.open()
    usable = time.perf_counter() - started
    await warm.ask(WARM_UP)
    answered = time.perf_counter() - started
    await warm.close()
    clients = [Session(url, timeout) for _ in range(sessions)]
    cpu0 = cpu_seconds(pid)
    opened = await asyncio.gather(*(c.open() for c in clients), return_exceptions=True)
    cpu1 = cpu_seconds(pid)
    failures = [f"open: {type(o).__name__}: {o}" for o in opened if isinstance(o, BaseException)]
    live = [c for c, o in zip(clients, opened, strict=True) if not isinstance(o, BaseException)]

    async def one(client: Session, mine: list[str]) -> list[float]:
        took = []
        for q in mine:
            try:
                took.append(await client.ask(q))
            except Exception as e:  # noqa: BLE001 - a timeout or dropped connection is counted, not fatal
                failures.append(f"ask: {type(e).__name__}: {e}")
        return took

    for c in live:
        c.passages = 0
    api0 = cpu_seconds(api_pid) if api_pid else 0.0
    t = time.perf_counter()
    took = await asyncio.gather(*(one(c, qs) for c, qs in zip(live, questions, strict=False)))
    wall = time.perf_counter() - t
    cpu2 = cpu_seconds(pid)
    api1 = cpu_seconds(api_pid) if api_pid else 0.0
    await asyncio.gather(*(c.close() for c in live), return_exceptions=True)
    latencies = [x for session in took for x in session]
    errors = failures + [e for c in live for e in c.errors]
    asked = max(1, len(latencies))
    return {
        "sessions": sessions,
        "questions": len(latencies),
        "p50 s": _seconds(pct(latencies, 50)),
        "p95 s": _seconds(pct(latencies, 95)),
        "max s": _seconds(max(latencies, default=None)),
        "errors": len(errors),
        "server CPU s / question": round((cpu2 - cpu1) / asked, 4),
        "questions / s": round(len(latencies) / wall, 2) if wall else None,
        "passages / question": round(sum(c.passages for c in live) / asked, 1),
        "open p50 s": _seconds(pct([o for o in opened if isinstance(o, float)], 50)),
        "server CPU s / open": round((cpu1 - cpu0) / max(1, len(live)), 4),
        "first error": errors[0][:160] if errors else "",
        "start → usable page s": round(usable, 2),
        "start → first answer s": round(answered, 2),
        "server RSS MB": rss_mb(pid),
        **(
            {"API CPU s / question": round((api1 - api0) / asked, 4), "API RSS MB": rss_mb(api_pid)}
            if api_pid
            else {}
        ),
    }


def run(
    index_dir: Path | None = None,
    quick: bool = False,
    levels: tuple[int, ...] | None = None,
    per_session: int = 2,
    timeout: float = 300.0,
    api: bool = False,
) -> list[dict]:
    """One row per level of concurrent sessions (`quick`: 1 and 5 only, for CI-size bench runs); with
    `api`, the page servers ask one `tracuu serve` on the same index (TRACUU_API)."""
    levels = levels or ((1, 5) if quick else LEVELS)
    pool = _questions()
    need = max(levels) * per_session
    if need > len(pool):
        raise SystemExit(f"{need} questions needed, eval/queries.jsonl has {len(pool)} distinct ones")
    rows = []
    with tempfile.TemporaryDirectory(prefix="tracuu-bench-load-") as tmp:
        work = Path(tmp)
        env = serve.visitors_env(work, index_dir)
        api_proc = _start_api(work, env) if api else None
        try:
            if api_proc is not None:
                env = {**env, "TRACUU_API": api_proc.url, "TRACUU_INDEX": str(work / "no-index-here")}
            for n in levels:
                with serve.running(work, env) as proc:
                    mine = [pool[i * per_session : (i + 1) * per_session] for i in range(n)]
                    api_pid = api_proc.pid if api_proc is not None else None
                    rows.append(
                        asyncio.run(_level(proc.url, proc.pid, n, mine, timeout, proc.started, api_pid))
                    )
                log = (work / "server.log").read_text(errors="replace")
                rows[-1]["tracebacks in log"] = log.count("Traceback")
                rows[-1]["page source"] = "API (TRACUU_API)" if api else "local index"
        finally:
            if api_proc is not None:
                from eval.bench import api_server as server

                server.stop(api_proc)
    return rows


def run_api(index_dir: Path | None = None, quick: bool = False) -> list[dict]:
    """`run` with the page servers asking the API (`make bench`'s part "load-api")."""
    return run(index_dir, quick=quick, api=True)


def _start_api(work: Path, env: dict):
    """`tracuu serve` on the page's index, warmed; `proc.url` is its address."""
    from eval.bench import api_server as server

    port = server.free_port()
    proc = server.start(Path(env["TRACUU_INDEX"]), port, work / "api.log", env)
    proc.url = f"http://127.0.0.1:{port}"
    try:
        server.wait_ready(proc, proc.url)
    except Exception:
        server.stop(proc)
        raise
    return proc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, help="an index folder to serve (default: build one from corpus/)")
    ap.add_argument("--sessions", type=int, nargs="+", default=list(LEVELS))
    ap.add_argument("--questions", type=int, default=2, help="questions each session asks, one after another")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds any one wait may take")
    ap.add_argument("--api", action="store_true", help="the page servers ask a `tracuu serve` (TRACUU_API)")
    args = ap.parse_args()
    levels, n = tuple(args.sessions), args.questions
    for row in run(args.index, levels=levels, per_session=n, timeout=args.timeout, api=args.api):
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
