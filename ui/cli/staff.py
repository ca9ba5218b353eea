"""``supportbot staff add``: staff accounts for the console and the staff API."""

from __future__ import annotations

import argparse
import getpass
import sys

from ui.cli.common import Subcommands, desk


def register(sub: Subcommands) -> None:
    """Declare ``staff add``."""
    staff = sub.add_parser("staff", help="staff accounts for the console and the staff API")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    staff_add = staff_sub.add_parser("add", help="create a staff account (or set its password)")
    staff_add.add_argument("username")
    staff_add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    staff_add.set_defaults(fn=cmd_staff_add)


def cmd_staff_add(args: argparse.Namespace) -> int:
    """Create the account (or set its password), asking for the password unless ``--password-stdin``."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.username}: ")
    desk().add_staff(args.username, password)
    print(f"staff account {args.username} ready", file=sys.stderr)
    return 0
