"""What remembering a conversation costs: a stored turn against the same turn in memory.

Both sides encode the message and run intents, retrieval and routing the same way. The
stored side is ``Assistant.reply``: it also reads the conversation's state, runs the
conversation state machine and writes the turn, the new state (and any ticket) in one
transaction to the SQLite database under the data folder. The in-memory side is
``Assistant.respond`` on the same messages. Messages alternate between the two sides, so
both see the same machine state. Target: stored p50 <= 1.3 x in-memory p50.

Run: python -m benchmarks.conversation [--quick] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import RESULTS, write_result
from bot.assistant import Assistant
from bot.config import load_settings
from knowledge.evalset import load_labelled

TARGET = 1.3


def _questions(assistant: Assistant, n: int) -> list[str]:
    folder = assistant.settings.knowledge_dir / "eval"
    texts = [q.text for q in load_labelled(folder / "test.jsonl")]
    return [assistant.check(t) for t in texts][:n]


def measure(assistant: Assistant, questions: list[str], turns_per_conversation: int) -> dict[str, Any]:
    stored, memory = [], []
    conversation: str | None = None
    for n, text in enumerate(questions):
        if n % turns_per_conversation == 0:
            conversation = None
        t0 = time.perf_counter()
        reply = assistant.reply(conversation, text)
        stored.append(time.perf_counter() - t0)
        conversation = reply.conversation_id
        t0 = time.perf_counter()
        assistant.respond(None, text, assistant.encode(text))
        memory.append(time.perf_counter() - t0)

    def ms(values: list[float], q: float) -> float:
        return round(1000 * statistics.quantiles(values, n=100)[int(q) - 1], 2)

    p50_stored, p50_memory = ms(stored, 50), ms(memory, 50)
    return {
        "turns": len(questions),
        "turns_per_conversation": turns_per_conversation,
        "stored": {"p50_ms": p50_stored, "p95_ms": ms(stored, 95)},
        "in_memory": {"p50_ms": p50_memory, "p95_ms": ms(memory, 95)},
        "ratio_p50": round(p50_stored / p50_memory, 3),
        "target_ratio": TARGET,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--database-url", help="measure against this database instead of a fresh SQLite file")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings()
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = settings.model_copy(update={"database_url": url})
        assistant = Assistant(settings)
        assistant.warm_up(progress=False)
        questions = _questions(assistant, 40 if args.quick else 172)
        for text in questions[:10]:  # warm caches on both paths
            assistant.respond(None, text, assistant.encode(text))
        result = measure(assistant, questions, turns_per_conversation=4)
        result["database"] = assistant.store.engine.dialect.name
    write_result(args.out, "conversation", result)


if __name__ == "__main__":
    main()
