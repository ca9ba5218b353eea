"""The ``supportbot`` command line: one module per command group, assembled here.

Each group module declares its sub-commands with ``register(sub)`` and holds their functions.
The CLI is a front end: it reaches the product only through the names ``bot`` exports, and
loads them inside the commands, so ``supportbot --help`` starts without importing any model code.
Exit codes: 0 done, 2 a usage error (argparse) or a refused input, setting or file.
"""

from __future__ import annotations

import argparse
import os
import sys

from bot import SupportbotError
from ui.cli import conversation, index, intents, quality, search, serve, staff, tickets, widget_key

GROUPS = (conversation, search, quality, index, intents, tickets, staff, widget_key, serve)


def parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    p = argparse.ArgumentParser(prog="supportbot", description="An offline support assistant.")
    sub = p.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command of ``argv`` (``sys.argv[1:]`` when None) and return its exit code.

    Product errors (``SupportbotError``) and unreadable files print one line on stderr and
    return 2 instead of a traceback; a closed pipe (``supportbot ... | head``) is not an error."""
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
