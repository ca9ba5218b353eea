"""``supportbot ask`` and ``supportbot chat``: talk to the assistant from a terminal or a script."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from bot import SupportbotError
from ui.cli.common import Subcommands, assistant, lines, print_json

if TYPE_CHECKING:
    from bot import Assistant, Reply


def register(sub: Subcommands) -> None:
    """Declare ``ask`` and ``chat``."""
    ask = sub.add_parser("ask", help="answer one message (or a JSONL batch)")
    ask.add_argument("text", nargs="?")
    ask.add_argument("--conversation", help="continue this conversation id")
    ask.add_argument("--json", action="store_true", help="print the reply as JSON")
    ask.add_argument("--batch", help='JSONL of {"conversation", "text"}; "-" for standard input')
    ask.set_defaults(fn=cmd_ask)

    chat = sub.add_parser("chat", help="a conversation in the terminal")
    chat.add_argument("--conversation")
    chat.set_defaults(fn=cmd_chat)


def show_reply(reply: Reply, as_json: bool) -> None:
    """Print a reply as JSON, or as its text followed by its sources and quick replies."""
    if as_json:
        print_json(reply.to_json())
        return
    print(reply.reply)
    for s in reply.sources:
        print(f"  source: {s.title} ({s.url})")
    if reply.quick_replies:
        print("  [" + "] [".join(reply.quick_replies) + "]")


def cmd_ask(args: argparse.Namespace) -> int:
    """One reply to TEXT, or one JSON reply a line for each line of ``--batch``."""
    bot = assistant()
    if args.batch:
        return _ask_batch(bot, args.batch)
    if not args.text:
        raise SupportbotError("ask needs TEXT or --batch FILE")
    show_reply(bot.reply(args.conversation, args.text), args.json)
    return 0


def _ask_batch(bot: Assistant, path: str) -> int:
    """Lines ``{"conversation", "text"}`` in order; each conversation name keeps its own id."""
    conversations: dict[str, str] = {}
    for n, line in lines(path):
        try:
            row = json.loads(line)
            text = row["text"]
        except (ValueError, KeyError, TypeError) as e:
            raise SupportbotError(f'{path}:{n}: expected {{"conversation", "text"}}: {e}') from e
        name = str(row.get("conversation") or "default")
        reply = bot.reply(conversations.get(name), text)
        conversations[name] = reply.conversation_id
        print_json(reply.to_json())
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """A conversation in the terminal until an empty line or end of input."""
    bot = assistant()
    bot.warm_up()
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
            reply = bot.reply(conversation, text)
        except SupportbotError as e:  # a refused message (too long, empty) does not end the chat
            print(f"bot> {e}")
            continue
        conversation = reply.conversation_id
        print("bot> ", end="")
        show_reply(reply, False)
    return 0
