"""The page's speed as a visitor sees it, in a real browser (Debian's Chromium via Playwright).

    python -m eval.bench.app [--index DIR] [--sessions 20]

Rows: server start to healthy, and to a usable page (search box drawn); the first answer on a warm
server (model and index already loaded by an earlier visitor); N concurrent browser sessions (pages of
one Chromium, each its own Streamlit session) asking different questions from eval/queries.jsonl at
once, p50/p95 from pressing Enter to the passages drawn, and how many ended in an error.
Without --index the sample corpus is indexed into a temporary folder first (not timed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import tempfile
import time
from pathlib import Path

from eval.bench import serve
from eval.bench.work import pct

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "eval" / "queries.jsonl"
BOX = "Tìm kiếm hoặc đặt câu hỏi"
DONE = ".tracuu-passage, [data-testid='stAlert']"  # passages, or a no-result / error notice


def _questions(n: int) -> list[str]:
    rows = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    seen: list[str] = []
    for r in rows:
        if r["query"] not in seen:
            seen.append(r["query"])
    return seen[:n]


async def _ask(page, question: str) -> tuple[float, bool]:
    """Seconds from Enter to the results drawn, and whether the page showed an error."""
    box = page.get_by_role("textbox", name=BOX)
    await box.fill(question)
    t = time.perf_counter()
    await box.press("Enter")
    await page.locator(DONE).first.wait_for(state="visible", timeout=300_000)
    elapsed = time.perf_counter() - t
    failed = await page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count()
    return elapsed, failed > 0


async def _open(browser, url: str):
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    await page.goto(url, timeout=300_000)
    await page.get_by_role("textbox", name=BOX).wait_for(state="visible", timeout=600_000)
    return page


async def _browse(url: str, started: float, sessions: int) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium"), args=serve.CHROMIUM_ARGS)
        first = await _open(browser, url)
        usable = time.perf_counter() - started
        cold, _ = await _ask(first, "kế hoạch năm học")  # loads the model: the cost a first visitor pays
        fresh = await _open(browser, url)
        warm, warm_err = await _ask(fresh, "nhiệm vụ của Sở Y tế")
        pages = [await _open(browser, url) for _ in range(sessions)]  # opening is not what is timed
        questions = _questions(sessions)
        t = time.perf_counter()
        results = await asyncio.gather(*(_ask(pg, q) for pg, q in zip(pages, questions, strict=False)))
        wall = time.perf_counter() - t
        await browser.close()
    lat = [r[0] for r in results]
    errors = sum(r[1] for r in results) + warm_err
    return [
        {"measure": "server start → usable page (search box drawn)", "seconds": round(usable, 2)},
        {"measure": "first question after start (model loads)", "seconds": round(cold, 2)},
        {"measure": "first answer, warm server, new session (target < 1 s)", "seconds": round(warm, 2)},
        {
            "measure": f"{sessions} concurrent sessions, different questions",
            "p50": round(pct(lat, 50), 2),
            "p95": round(pct(lat, 95), 2),
            "max": round(max(lat), 2),
            "wall": round(wall, 2),
            "errors": errors,
            "driver": "Playwright pages in one Chromium",
        },
    ]


def run(index_dir: Path | None = None, sessions: int = 20) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="tracuu-bench-app-") as tmp:
        work = Path(tmp)
        env = serve.visitors_env(work, index_dir)
        with serve.running(work, env) as proc:
            healthy = time.perf_counter() - proc.started
            rows = asyncio.run(_browse(proc.url, proc.started, sessions))
        log = (work / "server.log").read_text(errors="replace")
    rows.insert(0, {"measure": "server start → /_stcore/health ok", "seconds": round(healthy, 2)})
    rows.append({"measure": "tracebacks in the server log", "count": log.count("Traceback")})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, help="an index folder to serve (default: build one from corpus/)")
    ap.add_argument("--sessions", type=int, default=20)
    args = ap.parse_args()
    for row in run(args.index, args.sessions):
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
