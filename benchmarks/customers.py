"""Real customer messages: the fresh set (written in another voice than the training examples and
kept out of all tuning), the dev set (where failures were looked at), the shipped test splits and
the scripted conversations, in English and Chinese, against the issue's targets. The fresh-set
figures are also drawn (``results/customers.svg``).

Targets, each language: fresh set in-scope answered with the right article >= 0.90, out of scope
refused >= 0.95, route accuracy >= 0.95; shipped test split R@1 >= 0.92, in-scope refused <= 4%;
every scenario passes.

Run: python -m benchmarks.customers [--out DIR]
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import arguments, write_result
from bot import ROUTED_SETS, SCENARIO_DIR, Assistant, load_settings, quality_report, routed_report, run_scenarios

TARGETS = {"answered_right": 0.90, "out_of_scope_refused": 0.95, "route_accuracy": 0.95}
LANGUAGES = ("en", "zh")


def routed(assistant: Assistant) -> list[dict[str, Any]]:
    """Every routed set in every language, with the seconds it took."""
    out = []
    for name in ROUTED_SETS:
        for language in LANGUAGES:
            t0 = time.perf_counter()
            report = routed_report(assistant, name, language)
            if report is not None:
                out.append({**report.as_dict(), "seconds": round(time.perf_counter() - t0, 1)})
                print(f"{name} {language}: done", flush=True)
    return out


def shipped(assistant: Assistant) -> dict[str, Any]:
    """R@1 and the refused share on each language's shipped test split."""
    return {
        language: {
            "R@1": (r := quality_report(assistant, "test", language)).retrieval["R@1"],
            "R@5": r.retrieval["R@5"],
            "refused_in_scope": round(r.refused_in_scope, 4),
            "answered_out_of_scope": round(r.answered_out_of_scope, 4),
        }
        for language in LANGUAGES
    }


def scenarios(assistant: Assistant) -> dict[str, Any]:
    """The scripted conversations against a throwaway database."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = assistant.settings.model_copy(update={"database_url": f"sqlite:///{Path(tmp) / 's.db'}"})
        scratch = Assistant(settings, embedder=assistant.embedder, zh_embedder=assistant.parts_for("zh").embedder)
        scratch.warm_up(progress=False)
        passed, total, results = run_scenarios(scratch, SCENARIO_DIR)
        scratch.store.engine.dispose()
    return {"passed": passed, "total": total, "failed": [r.name for r in results if not r.passed]}


def plot(sets: list[dict[str, Any]], path: Path) -> None:
    """The fresh and dev sets' three figures per language as bars, the targets as lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(TARGETS), figsize=(11, 3.4), sharey=True)
    labels = [f"{s['set']} {s['language']}" for s in sets]
    for ax, (figure, target) in zip(axes, TARGETS.items(), strict=True):
        values = [s[figure] for s in sets]
        colors = ["#2b6cb0" if s["set"] == "fresh" else "#a0aec0" for s in sets]
        ax.bar(labels, values, color=colors)
        ax.axhline(target, color="#c53030", linestyle="--", linewidth=1)
        ax.set_title(figure.replace("_", " "), fontsize=10)
        ax.set_ylim(0, 1)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        for i, v in enumerate(values):
            ax.text(i, v + 0.02, f"{v:.2f}", ha="center", fontsize=8)
    fig.suptitle("Customer messages, first message of a conversation (dashed: target)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, format="svg")
    plt.close(fig)


def main() -> None:
    args = arguments(__doc__ or "")
    assistant = Assistant(load_settings())
    assistant.warm_up(progress=False)
    sets = routed(assistant)
    result = {
        "targets": TARGETS,
        "routed": sets,
        "shipped_test": shipped(assistant),
        "scenarios": scenarios(assistant),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    plot(sets, args.out / "customers.svg")
    write_result(args.out, "customers", result)


if __name__ == "__main__":
    main()
