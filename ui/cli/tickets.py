"""``supportbot tickets``: list handed-over conversations, show one, or give one back to the bot."""

from __future__ import annotations

import argparse

from ui.cli.common import Subcommands, desk, print_json


def register(sub: Subcommands) -> None:
    """Declare ``tickets``."""
    tickets = sub.add_parser("tickets", help="list handed-over conversations, or release one to the bot")
    tickets.add_argument("--status", choices=["open", "closed"], help="only tickets in this state")
    tickets.add_argument("--release", metavar="NUMBER", help="give the ticket's conversation back to the bot")
    tickets.add_argument("--show", metavar="NUMBER", help="one ticket as JSON: summary and transcript")
    tickets.add_argument("--json", action="store_true")
    tickets.set_defaults(fn=cmd_tickets)


def cmd_tickets(args: argparse.Namespace) -> int:
    """One ticket as JSON (``--show``), a release (``--release``), or the list, one ticket a line
    (its number, status, language, reason, conversation and the customer's last words)."""
    staff = desk()
    if args.show:
        print_json(staff.ticket(args.show).to_json())
        return 0
    if args.release:
        ticket = staff.ticket(args.release)
        staff.release(args.release)
        print(f"released conversation {ticket.conversation_id} back to the bot; {args.release} closed")
        return 0
    for t in staff.tickets(args.status):
        if args.json:
            print_json(t.to_json())
        else:
            words = " / ".join(t.summary.get("customer_words", [])[-1:])
            print(f"{t.number}  {t.status:<7} {t.language:<2}  {t.reason:<16} {t.conversation_id}  {words[:60]}")
    return 0
