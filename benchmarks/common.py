"""Helpers shared by the benchmarks: paths, timing, result files."""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
DEFAULT_DATASETS = ROOT.parent.parent / "shared" / "datasets"


def arguments(description: str, parts: tuple[str, ...] = ()) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    if parts:
        p.add_argument("--parts", nargs="+", choices=parts, default=list(parts), help="which parts to run")
    p.add_argument(
        "--datasets",
        type=Path,
        default=Path(os.environ.get("SUPPORTBOT_DATASETS", DEFAULT_DATASETS)),
        help="folder of the public benchmark data sets (default ../shared/datasets)",
    )
    p.add_argument("--out", type=Path, default=RESULTS, help="folder for result JSON files")
    p.add_argument("--quick", action="store_true", help="fewer repetitions (for a smoke run)")
    return p.parse_args()


def write_result(out: Path, name: str, data: dict[str, Any]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    data = {
        "benchmark": name,
        "date": time.strftime("%Y-%m-%d"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        **data,
    }
    path = out / f"{name}.json"
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(data, indent=2))
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def shipped_assistant() -> tuple[Any, Any]:
    """The assistant over the shipped knowledge (settings from the environment), warmed up,
    and its evaluation set."""
    from bot.assistant import Assistant
    from bot.config import load_settings
    from knowledge.evalset import load_evalset

    assistant = Assistant(load_settings())
    assistant.warm_up(progress=False)
    known = {d.id for d in assistant.retriever.docs}
    return assistant, load_evalset(assistant.settings.knowledge_dir / "eval", known)
