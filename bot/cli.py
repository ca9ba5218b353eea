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
    if args.json:
        _print_json(report)
        return 0
    r = report["retrieval"]
    print(f"split: {report['split']} ({r['n']} questions, {report['n_out_of_scope']} out of scope)")
    print(f"retrieval  R@1 {r['R@1']:.3f}  R@5 {r['R@5']:.3f}  MRR@10 {r['MRR@10']:.3f}")
    for name in ("dense_only", "bm25_only"):
        s = report[name]
        print(f"  {name:<9} R@1 {s['R@1']:.3f}  R@5 {s['R@5']:.3f}  MRR@10 {s['MRR@10']:.3f}")
    print(f"out-of-scope questions answered: {report['answered_out_of_scope']:.1%}")
    print(f"in-scope questions refused:      {report['refused_in_scope']:.1%}")
    return 0


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
    from index.embedder import make_embedder
    from knowledge import load_documents

    settings = load_settings()
    kb = Path(args.kb) if args.kb else settings.knowledge_dir
    out = Path(args.out) if args.out else settings.resolved_index_dir
    documents = load_documents(kb)
    embedder = make_embedder(settings.embedder, settings.model_cache_dir, settings.threads)
    retriever = build(documents, embedder, out, settings, source=str(kb))
    print(f"indexed {len(retriever.docs)} documents, {len(retriever.chunks)} chunks into {out}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.server import serve

    serve(_assistant(args), host=args.host, port=args.port)
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

    serve = sub.add_parser("serve", help="serve the chat page")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
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
