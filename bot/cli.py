"""The ``supportbot`` command line (contracts in DESIGN.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.errors import SupportbotError
from knowledge import PACKAGE_DIR


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def _lines(path: str) -> Iterator[tuple[int, str]]:
    handle = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    with handle:
        for n, line in enumerate(handle, start=1):
            if line.strip():
                yield n, line.rstrip("\n")


def _assistant(args: argparse.Namespace) -> Any:
    from bot.assistant import Assistant
    from bot.config import load_settings

    return Assistant(load_settings())


def _show_reply(reply: Any, as_json: bool) -> None:
    if as_json:
        _print_json(reply.to_json())
        return
    print(reply.reply)
    for s in reply.sources:
        print(f"  source: {s.title} ({s.url})")
    if reply.quick_replies:
        print("  [" + "] [".join(reply.quick_replies) + "]")


def cmd_ask(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    if args.batch:
        conversations: dict[str, str] = {}
        for n, line in _lines(args.batch):
            try:
                row = json.loads(line)
                text = row["text"]
            except (ValueError, KeyError, TypeError) as e:
                raise SupportbotError(f'{args.batch}:{n}: expected {{"conversation", "text"}}: {e}') from e
            name = str(row.get("conversation") or "default")
            reply = assistant.reply(conversations.get(name), text)
            conversations[name] = reply.conversation_id
            _print_json(reply.to_json())
        return 0
    if not args.text:
        raise SupportbotError("ask needs TEXT or --batch FILE")
    _show_reply(assistant.reply(args.conversation, args.text), args.json)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    if args.index:
        assistant.use_index(Path(args.index))

    def run(query: str) -> list[dict[str, Any]]:
        return [{"id": h.doc_id, "score": round(h.score, 4), "title": h.title} for h in assistant.search(query, args.k)]

    if args.batch:
        for n, line in _lines(args.batch):
            query = line
            if line.lstrip().startswith("{"):
                try:
                    query = str(json.loads(line)["text"])
                except (ValueError, KeyError, TypeError) as e:
                    raise SupportbotError(f'{args.batch}:{n}: expected a query or {{"text": ...}}: {e}') from e
            _print_json({"query": query, "results": run(query)})
        return 0
    if not args.query:
        raise SupportbotError("search needs QUERY or --batch FILE")
    results = run(args.query)
    if args.json:
        _print_json(results)
    else:
        for r in results:
            print(f"{r['score']:.3f}  {r['id']}  {r['title']}")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    assistant = _assistant(args)
    assistant.warm_up()
    conversation = args.conversation
    print("supportbot — type your question; an empty line or Ctrl-D ends.")
    while True:
        try:
            text = input("you> ")
        except EOFError:
            break
        if not text.strip():
            break
        try:
            reply = assistant.reply(conversation, text)
        except SupportbotError as e:
            print(f"bot> {e}")
            continue
        conversation = reply.conversation_id
        print("bot> ", end="")
        _show_reply(reply, False)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluate import evaluate

    assistant = _assistant(args)
    assistant.warm_up()
    report = evaluate(assistant, args.split).as_dict()
    folder = Path(args.scenarios) if args.scenarios else SCENARIOS
    if folder.is_dir():
        report["scenarios"] = _run_scenarios(assistant, folder)
    if args.json:
        _print_json(report)
        return 0
    r = report["retrieval"]
    print(f"split: {report['split']} ({r['n']} questions, {report['n_out_of_scope']} out of scope)")
    print(f"retrieval  R@1 {r['R@1']:.3f}  R@5 {r['R@5']:.3f}  MRR@10 {r['MRR@10']:.3f}")
    for name in ("dense_only", "bm25_only", "head_only", "without_head"):
        s = report.get(name)
        if s is None:
            continue
        print(f"  {name:<12} R@1 {s['R@1']:.3f}  R@5 {s['R@5']:.3f}  MRR@10 {s['MRR@10']:.3f}")
    print(f"out-of-scope questions answered: {report['answered_out_of_scope']:.1%}")
    print(f"in-scope questions refused:      {report['refused_in_scope']:.1%}")
    scenarios = report.get("scenarios")
    if scenarios:
        print(f"conversation scenarios passed:   {scenarios['passed']}/{scenarios['total']} ({scenarios['share']:.1%})")
        for name in scenarios["failed"]:
            print(f"  failed: {name}")
    return 0


SCENARIOS = PACKAGE_DIR / "eval" / "conversations"  # bot.scenarios.SCENARIO_DIR, without its imports


def _run_scenarios(assistant: Any, folder: Path) -> dict[str, Any]:
    """The share of scripted conversations that go as scripted, run through ``Assistant.reply``
    (the ``ask --batch`` path) against a throwaway database, so evaluation stores nothing."""
    import tempfile

    from bot.assistant import Assistant
    from bot.scenarios import run_all

    with tempfile.TemporaryDirectory() as tmp:
        settings = assistant.settings.model_copy(update={"database_url": f"sqlite:///{Path(tmp) / 'eval.db'}"})
        scratch = Assistant(settings, embedder=assistant.embedder)
        scratch.warm_up(progress=False)
        passed, total, results = run_all(scratch, folder)
        scratch.store.engine.dispose()
    return {
        "passed": passed,
        "total": total,
        "share": passed / total if total else 0.0,
        "failed": [r.name for r in results if not r.passed],
    }


def cmd_tune(args: argparse.Namespace) -> int:
    from bot.evaluate import tune_on_train

    assistant = _assistant(args)
    assistant.warm_up()
    result = tune_on_train(assistant)
    _print_json(result)
    if args.write:
        lines = [f"{k}={v}" for k, v in result.items() if k.startswith("SUPPORTBOT_")]
        Path(args.write).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {args.write}", file=sys.stderr)
    return 0


def cmd_index_build(args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.indexing import build
    from index.embedders import make_embedder
    from knowledge import load_documents

    settings = load_settings()
    kb = Path(args.kb) if args.kb else settings.knowledge_dir
    out = Path(args.out) if args.out else settings.resolved_index_dir
    documents = load_documents(kb)
    embedder = make_embedder(settings.embedder, settings.model_cache_dir, settings.threads)
    retriever = build(documents, embedder, out, settings, source=str(kb))
    print(f"indexed {len(retriever.docs)} documents, {len(retriever.chunks)} chunks into {out}", file=sys.stderr)
    if kb == settings.knowledge_dir and settings.resolved_intents_file.is_file():
        from bot.intents.training import ensure_model

        ensure_model(settings.resolved_intents_file, settings.intent_model_dir, embedder)
        print(f"intent model ready in {settings.intent_model_dir}", file=sys.stderr)
    return 0


def _embedder() -> Any:
    from bot.config import load_settings
    from index.embedders import make_embedder

    settings = load_settings()
    embedder = make_embedder(settings.embedder, settings.model_cache_dir, settings.threads)
    embedder.warm_up()
    return embedder


def cmd_intents_train(args: argparse.Namespace) -> int:
    from bot.intents.training import train_from
    from knowledge.intents import load_intents

    data = load_intents(args.data)
    validation = load_intents(args.validation) if args.validation else None
    model = train_from(_embedder(), data, validation)
    model.save(args.out)
    info = {**model.info, "threshold": round(model.threshold, 4), "out": args.out}
    print(json.dumps(info), file=sys.stderr)
    return 0


def cmd_intents_predict(args: argparse.Namespace) -> int:
    from bot.intents.model import IntentClassifier
    from bot.intents.training import features_of

    embedder = _embedder()
    model = IntentClassifier.load(args.model, embedder.name)
    texts = [line.strip() for _, line in _lines(args.batch)] if args.batch else [args.text or ""]
    if not any(texts):
        raise SupportbotError("intents predict needs TEXT or --batch FILE")
    for start in range(0, len(texts), 256):
        chunk = texts[start : start + 256]
        for p in model.predict(chunk, features_of(embedder, chunk)):
            _print_json(p.to_json())
    return 0


def cmd_intents_eval(args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from bot.intents.crossval import cross_validate
    from bot.intents.training import encode_set
    from knowledge.intents import load_intents

    data = load_intents(args.data or load_settings().resolved_intents_file)
    vectors, negatives = encode_set(_embedder(), data)
    report = cross_validate(data, vectors, negatives, folds=args.folds).as_dict()
    if args.json:
        _print_json(report)
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


def _desk(args: argparse.Namespace) -> Any:
    """The staff side over the configured database, migrated to the newest schema (no model loads)."""
    from bot import SupportDesk

    return SupportDesk.open()


def cmd_tickets(args: argparse.Namespace) -> int:
    desk = _desk(args)
    if args.show:
        _print_json(desk.ticket(args.show).to_json())
        return 0
    if args.release:
        ticket = desk.ticket(args.release)
        desk.release(args.release)
        print(f"released conversation {ticket.conversation_id} back to the bot; {args.release} closed")
        return 0
    for t in desk.tickets(args.status):
        if args.json:
            _print_json(t.to_json())
        else:
            words = " / ".join(t.summary.get("customer_words", [])[-1:])
            print(f"{t.number}  {t.status:<7} {t.reason:<16} {t.conversation_id}  {words[:60]}")
    return 0


def cmd_staff_add(args: argparse.Namespace) -> int:
    import getpass

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.username}: ")
    _desk(args).add_staff(args.username, password)
    print(f"staff account {args.username} ready", file=sys.stderr)
    return 0


def cmd_widget_key(args: argparse.Namespace) -> int:
    desk = _desk(args)
    if args.widget_command == "create":
        key = desk.create_widget_key(args.origin)
        print(key.key)
        print(f"embed on pages of {', '.join(key.origins)} with:", file=sys.stderr)
        print(
            f'  <script src="https://YOUR-SUPPORTBOT-HOST/widget.js" data-key="{key.key}" async></script>',
            file=sys.stderr,
        )
    elif args.widget_command == "revoke":
        desk.revoke_widget_key(args.key)
        print(f"revoked {args.key} (servers stop accepting it within 10 seconds)", file=sys.stderr)
    else:
        for k in desk.widget_keys():
            if args.json:
                _print_json(k.to_json())
            else:
                print(f"{k.key}  {'revoked' if k.revoked else 'active ':<7}  {' '.join(k.origins)}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.server import serve

    serve(_assistant(args), host=args.host, port=args.port, workers=args.workers)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="supportbot", description="An offline support assistant.")
    sub = p.add_subparsers(dest="command", required=True)

    ask = sub.add_parser("ask", help="answer one message (or a JSONL batch)")
    ask.add_argument("text", nargs="?")
    ask.add_argument("--conversation", help="continue this conversation id")
    ask.add_argument("--json", action="store_true", help="print the reply as JSON")
    ask.add_argument("--batch", help='JSONL of {"conversation", "text"}; "-" for standard input')
    ask.set_defaults(fn=cmd_ask)

    search = sub.add_parser("search", help="rank knowledge-base documents for a query")
    search.add_argument("query", nargs="?")
    search.add_argument("--index", help="a prebuilt index folder")
    search.add_argument("--k", type=int, default=5)
    search.add_argument("--json", action="store_true")
    search.add_argument("--batch", help="one query a line (or JSONL with text); '-' for standard input")
    search.set_defaults(fn=cmd_search)

    chat = sub.add_parser("chat", help="a conversation in the terminal")
    chat.add_argument("--conversation")
    chat.set_defaults(fn=cmd_chat)

    ev = sub.add_parser("eval", help="quality report on the shipped evaluation set")
    ev.add_argument("--split", default="test", choices=["train", "test"])
    ev.add_argument("--json", action="store_true")
    ev.add_argument(
        "--scenarios", help="folder of conversation scenarios (default: knowledge/eval/conversations)"
    )
    ev.set_defaults(fn=cmd_eval)

    tune = sub.add_parser("tune", help="tune fusion weights and the answer threshold on the train split")
    tune.add_argument("--write", metavar="ENV_FILE", help="write the tuned settings to this .env file")
    tune.set_defaults(fn=cmd_tune)

    idx = sub.add_parser("index", help="index commands")
    idx_sub = idx.add_subparsers(dest="index_command", required=True)
    build = idx_sub.add_parser("build", help="build the index of a knowledge folder or an FAQ file")
    build.add_argument("--kb", help="knowledge folder, or FAQ .jsonl/.csv (id, question, answer[, title, url])")
    build.add_argument("--out", help="the index folder to publish")
    build.set_defaults(fn=cmd_index_build)

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
    iev.add_argument("--json", action="store_true")
    iev.set_defaults(fn=cmd_intents_eval)

    tickets = sub.add_parser("tickets", help="list handed-over conversations, or release one to the bot")
    tickets.add_argument("--status", choices=["open", "closed"], help="only tickets in this state")
    tickets.add_argument("--release", metavar="NUMBER", help="give the ticket's conversation back to the bot")
    tickets.add_argument("--show", metavar="NUMBER", help="one ticket as JSON: summary and transcript")
    tickets.add_argument("--json", action="store_true")
    tickets.set_defaults(fn=cmd_tickets)

    staff = sub.add_parser("staff", help="staff accounts for the console and the staff API")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    staff_add = staff_sub.add_parser("add", help="create a staff account (or set its password)")
    staff_add.add_argument("username")
    staff_add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    staff_add.set_defaults(fn=cmd_staff_add)

    widget = sub.add_parser("widget-key", help="publishable keys of the embeddable widget, bound to origins")
    widget_sub = widget.add_subparsers(dest="widget_command", required=True)
    create = widget_sub.add_parser("create", help="a new key usable from the given origins only")
    create.add_argument(
        "--origin", action="append", required=True, help="an allowed origin, e.g. https://example.com (repeatable)"
    )
    widget_list = widget_sub.add_parser("list", help="every key with its origins")
    widget_list.add_argument("--json", action="store_true")
    revoke = widget_sub.add_parser("revoke", help="stop accepting a key")
    revoke.add_argument("key")
    widget.set_defaults(fn=cmd_widget_key)

    serve = sub.add_parser("serve", help="serve the chat page")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (share the database)")
    serve.set_defaults(fn=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = parser().parse_args(argv)
    try:
        return int(args.fn(args))
    except SupportbotError as e:
        print(f"supportbot: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        if isinstance(e, BrokenPipeError):
            return 0
        print(f"supportbot: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
