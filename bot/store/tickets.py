"""Tickets of handed-over conversations: the queue, taking one over, a person's reply, release and close.

A ticket is opened in the same transaction as the turn that hands over (``TicketDraft``,
written by ``ConversationStore.save_turn``).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import Conflict, NotFound
from bot.store.engine import Database
from bot.store.tables import Conversation, Ticket, Turn, iso_time, now
from index.language import has_han

if TYPE_CHECKING:
    from bot.store.conversations import ConversationStore

# A ticket with its conversation's state (where the conversation's latest language is kept).
_WITH_STATE = select(Ticket, Conversation.state).outerjoin(Conversation, Conversation.id == Ticket.conversation_id)
_LATIN = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class TicketDraft:
    """A ticket to open with the turn that hands the conversation over."""

    number: str
    reason: str
    summary: dict[str, Any]


def new_ticket_number() -> str:
    """A short ticket number customers can read out: ``SB-`` and six hex digits."""
    return f"SB-{secrets.token_hex(3).upper()}"


class TicketStore:
    """The tickets of one database; ``conversations`` gives a ticket its transcript."""

    def __init__(self, db: Database, conversations: ConversationStore) -> None:
        self._db = db
        self._conversations = conversations

    def tickets(self, status: str | None = None) -> list[dict[str, Any]]:
        """Every ticket, oldest first, or those in ``status`` (open, claimed, closed), each with
        its conversation's latest language."""
        with self._db.session() as s:
            query = _WITH_STATE.order_by(Ticket.id)
            if status is not None:
                query = query.where(Ticket.status == status)
            return [_ticket(t, state) for t, state in s.execute(query).all()]

    def ticket(self, number: str) -> dict[str, Any] | None:
        """One ticket with its summary, its conversation's latest language and whole transcript;
        None when there is none."""
        with self._db.session() as s:
            row = s.execute(_WITH_STATE.where(Ticket.number == number)).first()
            found = _ticket(*row) if row is not None else None
        if found is not None:
            found["transcript"] = self._conversations.transcript(found["conversation_id"])
        return found

    def release(self, conversation_id: str) -> None:
        """Give the conversation back to the bot and close its open tickets."""
        with self._db.session.begin() as s:
            row = s.get(Conversation, conversation_id)
            if row is not None:
                row.status = "bot"
                row.state = {**(row.state or {}), "fallbacks": 0, "ticket": None}
                row.version += 1
            for t in s.scalars(
                select(Ticket).where(Ticket.conversation_id == conversation_id, Ticket.status != "closed")
            ):
                t.status = "closed"
                t.closed_at = now()

    def claim(self, number: str, username: str) -> dict[str, Any]:
        """``username`` takes the ticket over; the ticket as ``ticket`` gives it.

        Raises:
            NotFound: there is no ticket ``number``.
            Conflict: the ticket is closed.
        """
        with self._db.session.begin() as s:
            ticket = _open_ticket(s, number)
            ticket.status, ticket.assignee = "claimed", username
        return self.ticket(number) or {}

    def staff_reply(self, number: str, username: str, text: str) -> dict[str, Any]:
        """A person's reply in the ticket's conversation: a turn written by staff; returns the
        reply as stored. An unclaimed ticket is claimed by ``username``.

        Raises:
            NotFound: there is no ticket ``number``.
            Conflict: the ticket is closed.
        """
        with self._db.session.begin() as s:
            ticket = _open_ticket(s, number)
            row = s.get(Conversation, ticket.conversation_id)
            assert row is not None
            row.turns_count += 1
            row.version += 1
            row.updated_at = now()
            reply = _staff_reply(text, row.id, number, username, _language_of(text, row.state))
            s.add(
                Turn(
                    conversation_id=row.id, seq=row.turns_count, customer_text="", author="staff", reply=reply,
                    route="handoff", intent=None, confidence=1.0, created_at=now(),
                )
            )  # fmt: skip
            if ticket.assignee is None:
                ticket.status, ticket.assignee = "claimed", username
        return reply

    def close(self, number: str, release: bool = True) -> None:
        """Close the ticket; with ``release`` the bot answers the conversation again.

        Raises:
            NotFound: there is no ticket ``number``.
            Conflict: without ``release``, when the ticket is closed already.
        """
        conversation_id = (self.ticket(number) or {}).get("conversation_id")
        if conversation_id is None:
            raise NotFound(f"no ticket {number}")
        if release:
            self.release(conversation_id)
            return
        with self._db.session.begin() as s:
            ticket = _open_ticket(s, number)
            ticket.status, ticket.closed_at = "closed", now()


def _open_ticket(s: Session, number: str) -> Ticket:
    """The ticket ``number`` for a change; ``NotFound`` or, when it is closed, ``Conflict``."""
    ticket = s.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None:
        raise NotFound(f"no ticket {number}")
    if ticket.status == "closed":
        raise Conflict(f"ticket {number} is closed")
    return ticket


def _language_of(text: str, state: dict[str, Any] | None) -> str:
    """The language of a person's reply: Chinese when it holds Han characters, English when it
    holds Latin words only, else (numbers, a link) the conversation's."""
    if has_han(text):
        return "zh"
    if _LATIN.search(text):
        return "en"
    return str((state or {}).get("language") or "en")


def _staff_reply(text: str, conversation_id: str, number: str, username: str, language: str) -> dict[str, Any]:
    """A person's reply in the stored form of the bot's replies, naming who wrote it."""
    return {
        "reply": text,
        "route": "handoff",
        "intent": None,
        "confidence": 1.0,
        "sources": [],
        "quick_replies": [],
        "conversation_id": conversation_id,
        "ticket": number,
        "flow": None,
        "recommendations": [],
        "language": language,
        "staff": username,
    }


def _ticket(t: Ticket, state: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "number": t.number,
        "conversation_id": t.conversation_id,
        "status": t.status,
        "reason": t.reason,
        "summary": dict(t.summary),
        "assignee": t.assignee,
        "created_at": iso_time(t.created_at),
        "language": str((state or {}).get("language") or "en"),
    }
