"""``supportbot intents train|predict|eval``: train, use and cross-validate intent classifiers."""

from __future__ import annotations

import argparse
import json
import sys

from bot import SupportbotError
from ui.cli.common import Subcommands, embedder, lines, print_json

PREDICT_BATCH = 256  # texts encoded per call: bounded memory on long files


def register(sub: Subcommands) -> None:
    """Declare ``intents train``, ``intents predict`` and ``intents eval``."""
    intents = sub.add_parser("intents", help="train, use and evaluate intent classifiers")
    intents_sub = intents.add_subparsers(dest="intents_command", required=True)
    train = intents_sub.add_parser("train", help="train a classifier from examples")
    train.add_argument("data", help="CSV (text,intent; intent out_of_scope marks negatives) or intents YAML")
    train.add_argument("--out", required=True, help="the model folder to write")
    train.add_argument("--validation", help="held-out examples (same formats) to calibrate the threshold on")
    train.set_defaults(fn=cmd_intents_train)
    predict = intents_sub.add_parser("predict", help="classify texts; prints JSON lines")
    predict.add_argument("text", nargs="?")
    predict.add_argument("--model", required=True, help="a folder written by 'intents train'")
    predict.add_argument("--batch", help="one text a line; '-' for standard input")
    predict.set_defaults(fn=cmd_intents_predict)
    iev = intents_sub.add_parser("eval", help="cross-validate the shipped intents (or --data)")
    iev.add_argument("--data", help="intent examples; the shipped intents.yaml by default")
    iev.add_argument("--folds", type=int, default=5)
    iev.add_argument("--language", default="en", choices=["en", "zh"], help="whose shipped intents and encoder")
    iev.add_argument("--json", action="store_true")
    iev.set_defaults(fn=cmd_intents_eval)


def cmd_intents_train(args: argparse.Namespace) -> int:
    """Train on DATA, write the model to ``--out``; what it learned goes to stderr as JSON."""
    from bot import load_intents, train_intents

    data = load_intents(args.data)
    validation = load_intents(args.validation) if args.validation else None
    model = train_intents(embedder(), data, validation)
    model.save(args.out)
    info = {**model.info, "threshold": round(model.threshold, 4), "out": args.out}
    print(json.dumps(info), file=sys.stderr)  # stdout stays free for piping
    return 0


def cmd_intents_predict(args: argparse.Namespace) -> int:
    """One JSON line ``{text, intent, confidence, out_of_scope}`` per text, in input order."""
    from bot import IntentClassifier, intent_features

    encoder = embedder()
    model = IntentClassifier.load(args.model, encoder.name)
    texts = [line.strip() for _, line in lines(args.batch)] if args.batch else [args.text or ""]
    if not any(texts):
        raise SupportbotError("intents predict needs TEXT or --batch FILE")
    for start in range(0, len(texts), PREDICT_BATCH):
        chunk = texts[start : start + PREDICT_BATCH]
        for p in model.predict(chunk, intent_features(encoder, chunk)):
            print_json(p.to_json())
    return 0


def cmd_intents_eval(args: argparse.Namespace) -> int:
    """Stratified cross-validation of ``--data`` (the shipped intents by default)."""
    from bot import cross_validate_intents, encode_intents, load_intents, load_settings

    language = getattr(args, "language", "en")
    data = load_intents(args.data or load_settings().for_language(language).resolved_intents_file)
    vectors, negatives = encode_intents(embedder(language), data)
    report = cross_validate_intents(data, vectors, negatives, folds=args.folds).as_dict()
    if args.json:
        print_json(report)
        return 0
    print(f"{report['examples']} examples, {len(data.intents)} intents, {report['folds']}-fold stratified")
    print(f"accuracy {report['accuracy']:.3f}  macro-F1 {report['macro_f1']:.3f}")
    if report["out_of_scope_recall"] is not None:
        print(f"out-of-scope negatives refused {report['out_of_scope_recall']:.1%}", end="; ")
    print(f"in-scope examples refused {report['in_scope_refused']:.1%}")
    print("most confused (true -> predicted):")
    for row in report["confused"]:
        print(f"  {row['count']:>3}  {row['true']} -> {row['predicted']}")
    return 0
