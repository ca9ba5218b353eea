"""``supportbot search``: rank knowledge-base documents for a query, or for each line of a file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import SupportbotError
from ui.cli.common import Subcommands, assistant, lines, print_json

if TYPE_CHECKING:
    from bot import Assistant


def register(sub: Subcommands) -> None:
    """Declare ``search``."""
    search = sub.add_parser("search", help="rank knowledge-base documents for a query")
    search.add_argument("query", nargs="?")
    search.add_argument("--index", help="a prebuilt index folder")
    search.add_argument("--k", type=int, default=5)
    search.add_argument("--json", action="store_true")
    search.add_argument("--batch", help="one query a line (or JSONL with text); '-' for standard input")
    search.set_defaults(fn=cmd_search)


def cmd_search(args: argparse.Namespace) -> int:
    """The ``--k`` best documents for QUERY, or a JSON line of them for each query of ``--batch``."""
    bot = assistant()
    if args.index:
        bot.use_index(Path(args.index))
    if args.batch:
        for n, line in lines(args.batch):
            query = _query_of(line, args.batch, n)
            print_json({"query": query, "results": _ranked(bot, query, args.k)})
        return 0
    if not args.query:
        raise SupportbotError("search needs QUERY or --batch FILE")
    results = _ranked(bot, args.query, args.k)
    if args.json:
        print_json(results)
    else:
        for r in results:
            print(f"{r['score']:.3f}  {r['id']}  {r['title']}")
    return 0


def _query_of(line: str, path: str, n: int) -> str:
    """A batch line is the query itself, or a JSON object whose ``text`` is."""
    if not line.lstrip().startswith("{"):
        return line
    try:
        return str(json.loads(line)["text"])
    except (ValueError, KeyError, TypeError) as e:
        raise SupportbotError(f'{path}:{n}: expected a query or {{"text": ...}}: {e}') from e


def _ranked(bot: Assistant, query: str, k: int) -> list[dict[str, Any]]:
    return [{"id": h.doc_id, "score": round(h.score, 4), "title": h.title} for h in bot.search(query, k)]
