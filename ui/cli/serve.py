"""``supportbot serve``: the web app (chat page, staff console, widget, REST API)."""

from __future__ import annotations

import argparse

from ui.cli.common import Subcommands, assistant


def register(sub: Subcommands) -> None:
    """Declare ``serve``."""
    serve = sub.add_parser("serve", help="serve the chat page")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (share the database)")
    serve.set_defaults(fn=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted; ``--workers`` processes share the database."""
    from ui.app import serve  # the web stack loads only for this command

    serve(assistant(), host=args.host, port=args.port, workers=args.workers)
    return 0
