"""Serving: what the HTTP layer adds to a reply, the server under concurrent load, the widget's size.

1. Overhead: ``POST /api/v1/chat`` over loopback (``supportbot serve``, one worker, one
   keep-alive ``httpx.Client``) against ``Assistant.reply`` in this process, on the same
   knowledge evaluation texts in the same run, the two sides alternating message by message.
   Target: API p50 <= in-process p50 + 10 ms.
2. Load: ``supportbot serve --workers 2`` and 16 concurrent clients (threads, each with its own
   ``httpx.Client``) for ``--seconds``: new questions, follow-ups that pass the conversation id
   back, and some small talk. Counts requests, errors (a non-200 answer or an exception),
   throughput and latency. The clients run on the same machine as the server, so they take
   part of its cores. Target: no errors.
3. Widget: the byte size of ``ui/widget/widget.js`` raw and minified (with ``rjsmin`` when it is
   installed), target < 30 KB; and the ``http(s)://`` URLs outside comments (XML namespace
   names such as ``http://www.w3.org/2000/svg`` are listed but load nothing). Target: none
   that loads anything.

Each server gets a temporary SQLite database (``SUPPORTBOT_DATABASE_URL``) and reuses the
index under the data folder; the in-process side uses a temporary database too.

Run: python -m benchmarks.serving [--seconds 30] [--clients 16] [--quick]
"""

from __future__ import annotations

import argparse
import importlib
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import RESULTS, shipped_assistant, write_result
from bot.assistant import Assistant
from bot.store import drop_schema

OVERHEAD_TARGET_MS = 10.0
WIDGET_TARGET_BYTES = 30 * 1024
WIDGET = Path(__file__).resolve().parent.parent / "ui" / "widget" / "widget.js"
SMALL_TALK = ("hi", "hello there", "thanks, that helps", "thank you!", "good morning", "ok great, bye")
START_SECONDS = 180
REQUEST_TIMEOUT = 30.0


def _summary(samples: list[float]) -> dict[str, Any]:
    """p50/p95/p99 in milliseconds (nearest rank) of ``samples`` given in seconds."""
    ms = sorted(s * 1000 for s in samples)
    if not ms:
        return {"n": 0}

    def rank(q: float) -> float:
        return round(ms[min(len(ms) - 1, max(0, int(q * len(ms) + 0.5) - 1))], 2)

    return {"p50_ms": rank(0.50), "p95_ms": rank(0.95), "p99_ms": rank(0.99), "n": len(ms)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(workers: int, database_url: str, log: Path) -> Iterator[str]:
    """Run ``supportbot serve`` until the block ends; yields its base URL once every worker is up.

    Raises:
        RuntimeError: the server exited or was not ready within ``START_SECONDS``.
    """
    port = _free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "SUPPORTBOT_DATABASE_URL": database_url,
    }
    command = [sys.executable, "-m", "ui.cli", "serve", "--port", str(port), "--workers", str(workers)]
    base = f"http://127.0.0.1:{port}"
    # The log goes to a file: a pipe nobody reads would fill up with access lines and stall the server.
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            # With several workers /readyz answers as soon as the first is up; wait for all of them.
            started = log.read_text(encoding="utf-8", errors="replace").count("Application startup complete")
            if started >= workers and _ready(base):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
                raise RuntimeError(f"the server ({' '.join(command)}) did not start:\n{tail}")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def overhead(assistant: Assistant, base: str, texts: list[str], rounds: int) -> dict[str, Any]:
    """Time ``reply`` in process and ``POST /api/v1/chat`` on the same texts, alternating which goes first."""
    local: list[float] = []
    remote: list[float] = []
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:

        def post(text: str) -> float:
            start = time.perf_counter()
            response = client.post("/api/v1/chat", json={"message": text})
            seconds = time.perf_counter() - start
            if response.status_code != 200:
                raise RuntimeError(f"POST /api/v1/chat {text!r}: {response.status_code} {response.text[:200]}")
            return seconds

        def ask(text: str) -> float:
            start = time.perf_counter()
            assistant.reply(None, text)
            return time.perf_counter() - start

        for text in texts[:20]:  # warm caches and the connection
            ask(text)
            post(text)
        for r in range(rounds):
            for n, text in enumerate(texts):
                if (n + r) % 2:
                    local.append(ask(text))
                    remote.append(post(text))
                else:
                    remote.append(post(text))
                    local.append(ask(text))
    a, b = _summary(local), _summary(remote)
    added = round(b["p50_ms"] - a["p50_ms"], 2)
    return {
        "in_process": a,
        "api": b,
        "api_minus_in_process_p50_ms": added,
        "api_minus_in_process_p95_ms": round(b["p95_ms"] - a["p95_ms"], 2),
        "target": {"api_p50_max_over_in_process_ms": OVERHEAD_TARGET_MS, "met": added <= OVERHEAD_TARGET_MS},
    }


def _client(base: str, seed: int, questions: list[str], stop_at: float, results: list[dict[str, Any]]) -> None:
    """One simulated customer: new questions, follow-ups in the same conversation, some small talk."""
    rng = random.Random(seed)
    latencies: list[float] = []
    errors: list[str] = []
    routes: dict[str, int] = {}
    conversation: str | None = None
    turns = 0
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        while time.monotonic() < stop_at:
            roll = rng.random()
            if conversation is None or turns >= 4 or roll < 0.55:
                conversation, turns = None, 0  # a new customer with a question
                text = rng.choice(questions)
            elif roll < 0.85:
                text = rng.choice(questions)  # a follow-up question
            else:
                text = rng.choice(SMALL_TALK)
            body: dict[str, Any] = {"message": text}
            if conversation is not None:
                body["conversation_id"] = conversation
            start = time.perf_counter()
            try:
                response = client.post("/api/v1/chat", json=body)
                latencies.append(time.perf_counter() - start)
                if response.status_code != 200:
                    errors.append(f"{response.status_code} {response.text[:200]}")
                    conversation = None
                    continue
                reply = response.json()
                conversation = reply["conversation_id"]
                routes[reply["route"]] = routes.get(reply["route"], 0) + 1
                turns += 1
            except (httpx.HTTPError, ValueError, KeyError) as e:
                latencies.append(time.perf_counter() - start)
                errors.append(f"{type(e).__name__}: {e}")
                conversation = None
    results.append({"latencies": latencies, "errors": errors, "routes": routes})


def load(base: str, questions: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` threads sending messages for ``seconds``; requests, errors, throughput, latency."""
    results: list[dict[str, Any]] = []
    start = time.monotonic()
    stop_at = start + seconds
    threads = [
        threading.Thread(target=_client, args=(base, n, questions, stop_at, results), daemon=True)
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, stop_at - time.monotonic()) + REQUEST_TIMEOUT + 5)
    elapsed = time.monotonic() - start
    latencies = [x for r in results for x in r["latencies"]]
    errors = [e for r in results for e in r["errors"]]
    unfinished = clients - len(results)
    routes: dict[str, int] = {}
    for r in results:
        for route, count in r["routes"].items():
            routes[route] = routes.get(route, 0) + count
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "errors": len(errors) + unfinished,
        "error_examples": sorted(set(errors))[:5] + ([f"{unfinished} clients never finished"] if unfinished else []),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "latency": _summary(latencies),
        "routes": dict(sorted(routes.items())),
        "target": {"errors": 0, "met": not errors and not unfinished},
    }


_JS_TOKEN = re.compile(r"""("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|(/\*[\s\S]*?\*/|//[^\n]*)""")
_URL = re.compile(r"https?://[^\s'\"`)<>]+")
_NAMESPACE = re.compile(r"^http://www\.w3\.org/")


def widget(path: Path = WIDGET) -> dict[str, Any]:
    """Raw and minified size of the widget script and the URLs in it outside comments."""
    if not path.exists():
        return {"present": False, "path": str(path.relative_to(path.parents[2]))}
    source = path.read_text(encoding="utf-8")
    code = _JS_TOKEN.sub(lambda m: m.group(1) or " ", source)  # comments out, strings kept
    urls = _URL.findall(code)
    loading = [u for u in urls if not _NAMESPACE.match(u)]
    raw = len(source.encode("utf-8"))
    try:
        rjsmin: Any = importlib.import_module("rjsmin")
        minified: int | None = len(rjsmin.jsmin(source).encode("utf-8"))
        minifier = "rjsmin"
    except ImportError:
        minified, minifier = None, "none (rjsmin not installed; the size target is checked on the raw file)"
    size = minified if minified is not None else raw
    return {
        "present": True,
        "path": str(path.relative_to(path.parents[2])),
        "raw_bytes": raw,
        "minified_bytes": minified,
        "minifier": minifier,
        "urls_outside_comments": urls,
        "loading_urls": loading,
        "size_target": {"max_bytes": WIDGET_TARGET_BYTES, "checked_bytes": size, "met": size < WIDGET_TARGET_BYTES},
        "no_outside_loads_target": {"met": not loading},
    }


def options() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=30.0, help="length of the load test (default 30)")
    p.add_argument("--clients", type=int, default=16, help="concurrent clients in the load test (default 16)")
    p.add_argument("--out", type=Path, default=RESULTS, help="folder for result JSON files")
    p.add_argument("--quick", action="store_true", help="one round of the overhead texts instead of two")
    p.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("SUPPORTBOT_BENCH_DATABASE_URL"),
        help="also run the load test against this PostgreSQL database (its tables are dropped first)",
    )
    return p.parse_args()


def main() -> None:
    args = options()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    with tempfile.TemporaryDirectory(prefix="supportbot-serving-") as tmp:
        folder = Path(tmp)
        os.environ["SUPPORTBOT_DATABASE_URL"] = f"sqlite:///{folder / 'in_process.db'}"
        assistant, evalset = shipped_assistant()
        settings = assistant.settings
        texts = [q.text for q in evalset.test] + list(evalset.oos_test)
        with server(1, f"sqlite:///{folder / 'api.db'}", folder / "api.log") as base:
            latency = overhead(assistant, base, texts, 1 if args.quick else 2)
        del assistant  # free its memory before the two workers start
        questions = [q.text for q in evalset.test + evalset.train] + list(evalset.oos_test)
        with server(2, f"sqlite:///{folder / 'load.db'}", folder / "load.log") as base:
            loaded = load(base, questions, args.clients, args.seconds)
        loaded_pg = None
        if args.postgres:
            drop_schema(args.postgres)
            with server(2, args.postgres, folder / "load-pg.log") as base:
                loaded_pg = load(base, questions, args.clients, args.seconds)
    results = {
        "overhead": latency,
        "load": {**loaded, "workers": 2, "database": "sqlite"},
        **({"load_postgresql": {**loaded_pg, "workers": 2, "database": "postgresql"}} if loaded_pg else {}),
        "widget": widget(),
        "embedder": settings.embedder,
        "threads": settings.threads,
    }
    write_result(args.out, "serving", results)


if __name__ == "__main__":
    main()
