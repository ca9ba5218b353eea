"""Speed on the shipped knowledge base: ask latency against the embedding call alone (same run),
for English and for Chinese messages (each with its own encoder), index build rate of each
language, cold start to first answer, peak memory.

Run: python -m benchmarks.speed
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import arguments, shipped_assistant, write_result
from bot.assistant import Assistant
from bot.indexing import build, knowledge_documents
from knowledge.evalset import load_evalset


def _percentiles(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    return {
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 3),
        "n": len(ms),
    }


def latency(assistant: Assistant, texts: list[str], rounds: int, language: str = "en") -> dict[str, Any]:
    """Interleave whole ``reply`` calls and bare calls of the language's encoder on the same texts."""
    embedder = assistant.parts_for(language).embedder or assistant.embedder
    for t in texts[:20]:  # warm caches
        assistant.reply(None, t)
    ask: list[float] = []
    embed: list[float] = []
    for _ in range(rounds):
        for t in texts:
            start = time.perf_counter()
            embedder.encode([t])
            embed.append(time.perf_counter() - start)
            start = time.perf_counter()
            assistant.reply(None, t)
            ask.append(time.perf_counter() - start)
    a, e = _percentiles(ask), _percentiles(embed)
    return {"ask": a, "embedding_alone": e, "ask_over_embedding_p50": round(a["p50_ms"] / e["p50_ms"], 3)}


def build_rate(settings: Any, embedder: Any) -> dict[str, Any]:
    documents = knowledge_documents(settings)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        retriever = build(documents, embedder, Path(tmp) / "index", settings, source="bench", progress=False)
        seconds = time.perf_counter() - start
    units = len(retriever.unit_doc)
    return {
        "documents": len(documents),
        "units": units,
        "seconds": round(seconds, 2),
        "units_per_second": round(units / seconds, 1),
    }


def cold_start(data_dir: Path, runs: int) -> dict[str, Any]:
    """Wall time of a fresh ``supportbot ask`` process (index already built) and its peak memory."""
    env = {**os.environ, "SUPPORTBOT_DATA_DIR": str(data_dir)}
    # VmHWM, not ru_maxrss: a forked child inherits its parent's ru_maxrss, so it would report
    # this benchmark's own peak instead of the command's.
    code = (
        "import sys;from ui.cli import main;main(['ask','how do I rotate my api key','--json']);"
        "hwm=[l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0];"
        "print('PEAK',hwm,file=sys.stderr)"
    )
    walls, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - start)
        json.loads(proc.stdout.strip().splitlines()[-1])
        peak = [line for line in proc.stderr.splitlines() if line.startswith("PEAK")][-1].split()
        peaks.append(int(peak[1]) / 1024)
    return {
        "seconds_median": round(statistics.median(walls), 2),
        "seconds_max": round(max(walls), 2),
        "peak_rss_mb": round(max(peaks), 1),
        "runs": runs,
    }


def main() -> None:
    args = arguments(__doc__ or "")
    assistant, evalset = shipped_assistant()
    settings = assistant.settings
    texts = [q.text for q in evalset.test] + list(evalset.oos_test)
    known = {d.id for d in assistant.retriever.docs}
    chinese = load_evalset(settings.knowledge_dir / "eval" / "zh", known)
    zh_texts = [q.text for q in chinese.test] + list(chinese.oos_test)
    zh = assistant.parts_for("zh")
    rounds = 1 if args.quick else 3
    results = {
        "latency": latency(assistant, texts, rounds),
        "latency_zh": latency(assistant, zh_texts, rounds, "zh"),
        "index_build": build_rate(settings, assistant.embedder),
        "index_build_zh": build_rate(zh.settings, zh.embedder),
        "cold_start": cold_start(settings.data_dir, 2 if args.quick else 5),
        "bench_process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "embedder": settings.embedder,
        "embedder_zh": zh.settings.embedder,
        "threads": settings.threads,
    }
    write_result(args.out, "speed", results)


if __name__ == "__main__":
    main()
