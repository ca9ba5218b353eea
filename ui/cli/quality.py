"""``supportbot eval`` and ``supportbot tune``: measure the assistant on the shipped evaluation set, tune it."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ui.cli.common import Subcommands, assistant, print_json

if TYPE_CHECKING:
    from bot import Assistant

ABLATIONS = ("dense_only", "bm25_only", "head_only", "without_head")


def register(sub: Subcommands) -> None:
    """Declare ``eval`` and ``tune``."""
    ev = sub.add_parser("eval", help="quality report on the shipped evaluation set")
    ev.add_argument("--split", default="test", choices=["train", "test"])
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--scenarios", help="folder of conversation scenarios (default: knowledge/eval/conversations)")
    ev.add_argument(
        "--misses", action="store_true", help="list the dev set's messages that got the wrong route or content"
    )
    ev.set_defaults(fn=cmd_eval)

    tune = sub.add_parser("tune", help="tune fusion weights and the answer threshold on the train split")
    tune.add_argument("--write", metavar="ENV_FILE", help="write the tuned settings to this .env file")
    tune.add_argument("--language", default="en", choices=["en", "zh"], help="tune the settings of this language")
    tune.set_defaults(fn=cmd_tune)


def cmd_eval(args: argparse.Namespace) -> int:
    """Retrieval and routing figures on one split, and the share of scenarios that go as scripted."""
    from bot import ROUTED_SETS, SCENARIO_DIR, quality_report, routed_report

    bot = assistant()
    bot.warm_up()
    report = quality_report(bot, args.split).as_dict()
    # Each language the assistant answers in is measured on its own evaluation set.
    report["languages"] = {
        language: quality_report(bot, args.split, language).as_dict()
        for language in bot.settings.languages
        if language != "en" and (bot.settings.knowledge_dir / "eval" / language).is_dir()
    }
    # The routed sets, each message the first of a new conversation: fresh (reported, never
    # tuned on) and dev (where failures are looked at).
    report["routed"] = [
        routed.as_dict(misses=args.misses and name == "dev")
        for name in ROUTED_SETS
        for language in bot.settings.languages
        if (routed := routed_report(bot, name, language)) is not None
    ]
    folder = Path(args.scenarios) if args.scenarios else SCENARIO_DIR
    if folder.is_dir():
        report["scenarios"] = _scenarios(bot, folder)
    if args.json:
        print_json(report)
    else:
        _print_report(report)
    return 0


def _print_report(report: dict[str, Any]) -> None:
    _print_language(report)
    for other in report.get("languages", {}).values():
        print()
        _print_language(other)
    for routed in report.get("routed", []):
        print()
        _print_routed(routed)
    scenarios = report.get("scenarios")
    if scenarios:
        print(
            f"\nconversation scenarios passed:   {scenarios['passed']}/{scenarios['total']} ({scenarios['share']:.1%})"
        )
        for name in scenarios["failed"]:
            print(f"  failed: {name}")


def _print_language(report: dict[str, Any]) -> None:
    r = report["retrieval"]
    print(
        f"[{report['language']}] split: {report['split']} ({r['n']} questions, {report['n_out_of_scope']} out of scope)"
    )
    print(f"retrieval  R@1 {r['R@1']:.3f}  R@5 {r['R@5']:.3f}  MRR@10 {r['MRR@10']:.3f}")
    for name in ABLATIONS:
        s = report.get(name)
        if s is None:
            continue
        print(f"  {name:<12} R@1 {s['R@1']:.3f}  R@5 {s['R@5']:.3f}  MRR@10 {s['MRR@10']:.3f}")
    print(f"out-of-scope questions answered: {report['answered_out_of_scope']:.1%}")
    print(f"in-scope questions refused:      {report['refused_in_scope']:.1%}")
    print(f"language detected right:         {report['language_detected']:.1%}")


def _print_routed(report: dict[str, Any]) -> None:
    print(
        f"[{report['language']}] {report['set']} set ({report['n_in_scope']} in scope, "
        f"{report['n_out_of_scope']} out of scope), each the first message of a conversation"
    )
    print(f"answer questions answered with a right article: {report['answered_right']:.1%}")
    print(f"in-scope messages given the right content:      {report['in_scope_right']:.1%}")
    print(f"out-of-scope messages refused:                  {report['out_of_scope_refused']:.1%}")
    print(f"route accuracy:                                 {report['route_accuracy']:.1%}")
    print("  by route: " + ", ".join(f"{k} {v:.0%}" for k, v in report["by_route"].items()))
    print("  by class: " + ", ".join(f"{k} {v:.0%}" for k, v in report["by_class"].items()))
    gaps = report["gaps"]
    if gaps:
        print(f"knowledge gaps (questions refused or answered unsure, grouped; {len(gaps)} groups):")
        for gap in gaps[:8]:
            near = f"  (nearest: {gap['nearest']})" if gap["nearest"] else ""
            print(f"  {gap['size']:>2} x {gap['examples'][0][:90]!r}{near}")
    for miss in report.get("misses", []):
        print(f"  miss [{miss['class']}] expected {miss['expected']}, got {miss['got']}: {miss['text'][:140]!r}")


def _scenarios(bot: Assistant, folder: Path) -> dict[str, Any]:
    """The share of scripted conversations that go as scripted, run through ``Assistant.reply``
    (the ``ask --batch`` path) against a throwaway database, so evaluation stores nothing."""
    from bot import Assistant, run_scenarios

    with tempfile.TemporaryDirectory() as tmp:
        settings = bot.settings.model_copy(update={"database_url": f"sqlite:///{Path(tmp) / 'eval.db'}"})
        # The loaded encoders: no second model load.
        scratch = Assistant(settings, embedder=bot.embedder, zh_embedder=bot.parts_for("zh").embedder)
        scratch.warm_up(progress=False)
        passed, total, results = run_scenarios(scratch, folder)
        scratch.store.engine.dispose()  # close the scratch database before its folder goes
    return {
        "passed": passed,
        "total": total,
        "share": passed / total if total else 0.0,
        "failed": [r.name for r in results if not r.passed],
    }


def cmd_tune(args: argparse.Namespace) -> int:
    """Tune on the train split; print the chosen values, and write them to ``--write`` as an .env file."""
    from bot import tune_on_train

    bot = assistant()
    bot.warm_up()
    result = tune_on_train(bot, args.language)
    print_json(result)
    if args.write:
        lines = [f"{k}={v}" for k, v in result.items() if k.startswith("SUPPORTBOT_")]
        Path(args.write).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {args.write}", file=sys.stderr)
    return 0
