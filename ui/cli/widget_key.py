"""``supportbot widget-key create|list|revoke``: publishable widget keys, each bound to origins."""

from __future__ import annotations

import argparse
import sys

from ui.cli.common import Subcommands, desk, print_json

EMBED_TAG = '  <script src="https://YOUR-SUPPORTBOT-HOST/widget.js" data-key="{key}" async></script>'


def register(sub: Subcommands) -> None:
    """Declare ``widget-key create``, ``widget-key list`` and ``widget-key revoke``."""
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


def cmd_widget_key(args: argparse.Namespace) -> int:
    """``create`` prints the key alone on stdout (for scripts) and how to embed it on stderr."""
    staff = desk()
    if args.widget_command == "create":
        key = staff.create_widget_key(args.origin)
        print(key.key)
        print(f"embed on pages of {', '.join(key.origins)} with:", file=sys.stderr)
        print(EMBED_TAG.format(key=key.key), file=sys.stderr)
    elif args.widget_command == "revoke":
        staff.revoke_widget_key(args.key)
        print(f"revoked {args.key} (servers stop accepting it within 10 seconds)", file=sys.stderr)
    else:
        for k in staff.widget_keys():
            if args.json:
                print_json(k.to_json())
            else:
                print(f"{k.key}  {'revoked' if k.revoked else 'active ':<7}  {' '.join(k.origins)}")
    return 0
