"""Conversations and their turns, and the customers' feedback.

Each turn is written in one transaction together with the conversation's new state and,
when the turn hands over to a person, its ticket. A repeated request carrying the same
client message id returns the stored reply instead of writing a second turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.errors import StaleConversation
from bot.store.engine import Database, first
from bot.store.tables import Conversation, Feedback, Ticket, Turn, iso_time, now
from bot.store.tickets import TicketDraft

CONVERSATIONS = cast(Table, Conversation.__table__)
TURNS = cast(Table, Turn.__table__)
TICKETS = cast(Table, Ticket.__table__)

# The statements of every turn, built once: building them per call costs more than running them.
_BUMP_VALUES = {
    "turns_count": CONVERSATIONS.c.turns_count + 1,
    "version": CONVERSATIONS.c.version + 1,
    "state": bindparam("state"),
    "status": bindparam("status"),
    "updated_at": bindparam("stamp"),
}
_BUMP = (
    update(CONVERSATIONS)
    .where(CONVERSATIONS.c.id == bindparam("cid"))
    .values(_BUMP_VALUES)
    .returning(CONVERSATIONS.c.turns_count)
)
_BUMP_IF_VERSION = (
    update(CONVERSATIONS)
    .where((CONVERSATIONS.c.id == bindparam("cid")) & (CONVERSATIONS.c.version == bindparam("expected")))
    .values(_BUMP_VALUES)
    .returning(CONVERSATIONS.c.turns_count)
)
_NEW_CONVERSATION = insert(CONVERSATIONS).values(
    id=bindparam("cid"),
    created_at=bindparam("stamp"),
    updated_at=bindparam("stamp"),
    status=bindparam("status"),
    state=bindparam("state"),
    turns_count=1,
    version=1,
)
_NEW_TURN = insert(TURNS).values(
    conversation_id=bindparam("cid"),
    seq=bindparam("seq"),
    created_at=bindparam("stamp"),
    client_message_id=bindparam("client"),
    customer_text=bindparam("text"),
    author="bot",
    reply=bindparam("reply"),
    route=bindparam("route"),
    intent=bindparam("intent"),
    confidence=bindparam("confidence"),
)
_REOPEN = (
    update(TICKETS)
    .where(
        (TICKETS.c.number == bindparam("ticket_number"))
        & (TICKETS.c.conversation_id == bindparam("cid"))
        & (TICKETS.c.status == "closed")
    )
    .values(status="open", closed_at=None)
)
_NEW_TICKET = insert(TICKETS).values(
    number=bindparam("number"),
    conversation_id=bindparam("cid"),
    created_at=bindparam("stamp"),
    status="open",
    reason=bindparam("reason"),
    summary=bindparam("summary"),
)
_TURN_STATEMENTS = {
    "bump": _BUMP,
    "bump_if_version": _BUMP_IF_VERSION,
    "new_conversation": _NEW_CONVERSATION,
    "new_turn": _NEW_TURN,
    "reopen": _REOPEN,
    "new_ticket": _NEW_TICKET,
}


@dataclass(frozen=True)
class StoredConversation:
    """A conversation as stored: who answers it (``status``), its state and turn count, and
    the version a write must name to change it."""

    id: str
    status: str
    state: dict[str, Any]
    turns: int
    version: int = 0


class ConversationStore:
    """Conversations, turns and feedback of one database."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._sql = {name: db.prepare(statement) for name, statement in _TURN_STATEMENTS.items()}

    def conversation(self, conversation_id: str) -> StoredConversation | None:
        """The conversation's status, state, turn count and version; None when there is none."""
        # Core statements on the per-turn path: the ORM's unit of work costs about a
        # millisecond a turn, which is a fifth of the whole turn.
        c_ = CONVERSATIONS.c
        query = select(c_.status, c_.state, c_.turns_count, c_.version).where(c_.id == conversation_id)
        with self._db.engine.connect() as c:
            row = c.execute(query).first()
        if row is None:
            return None
        return StoredConversation(conversation_id, row.status, dict(row.state or {}), row.turns_count, row.version)

    def find_reply(self, conversation_id: str, client_message_id: str) -> dict[str, Any] | None:
        """The stored reply to the message with ``client_message_id``, if it was answered before."""
        query = select(TURNS.c.reply).where(
            TURNS.c.conversation_id == conversation_id, TURNS.c.client_message_id == client_message_id
        )
        with self._db.engine.connect() as c:
            reply = c.execute(query).scalar()
        return dict(reply) if reply is not None else None

    def save_turn(
        self,
        conversation_id: str,
        customer_text: str,
        reply: dict[str, Any],
        state: dict[str, Any],
        status: str,
        client_message_id: str | None = None,
        ticket: TicketDraft | None = None,
        expected_version: int | None = None,
        adds_to: str | None = None,
    ) -> dict[str, Any]:
        """Write one turn, the conversation's new state and status, and ``ticket``, atomically.

        ``adds_to`` names the ticket of a handed-over conversation this message is added to;
        when staff closed it, it opens again.

        Returns the reply stored for this message: ``reply`` itself, or, when another request
        with the same ``client_message_id`` won the race, the reply that one stored.

        Raises:
            StaleConversation: when ``expected_version`` is given and the conversation has
                changed since (nothing is written; read it again and redo the turn).
        """
        stamp = now()
        values = {"cid": conversation_id, "state": state, "status": status, "stamp": stamp}
        sql = self._sql
        try:
            with self._db.cursor() as cursor:
                seq = self._advance(cursor, values, expected_version)
                sql["new_turn"].run(
                    cursor,
                    {
                        "cid": conversation_id,
                        "seq": seq,
                        "stamp": stamp,
                        "client": client_message_id,
                        "text": customer_text,
                        "reply": reply,
                        "route": str(reply.get("route", "")),
                        "intent": reply.get("intent"),
                        "confidence": float(reply.get("confidence") or 0.0),
                    },
                )
                if adds_to is not None:  # a closed ticket the customer writes to goes back in the queue
                    sql["reopen"].run(cursor, {"ticket_number": adds_to, "cid": conversation_id})
                if ticket is not None:
                    sql["new_ticket"].run(cursor, _ticket_values(ticket, conversation_id, stamp))
        except IntegrityError as e:
            return self._lost_race(e, conversation_id, client_message_id, expected_version)
        return reply

    def _advance(self, cursor: Any, values: dict[str, Any], expected_version: int | None) -> int:
        """Bump the conversation's turn count and version (creating it when new); the new turn's
        number. ``StaleConversation`` when it is not at ``expected_version`` any more."""
        sql = self._sql
        if expected_version == 0:  # new: one insert (it fails if another writer created it)
            seq = None
        elif expected_version is None:
            seq = first(sql["bump"].run(cursor, values))
        else:
            seq = first(sql["bump_if_version"].run(cursor, {**values, "expected": expected_version}))
        if seq is None and expected_version:
            raise StaleConversation(f"conversation {values['cid']} changed since version {expected_version}")
        if seq is None:  # a new conversation (updating first takes the row lock on PostgreSQL)
            sql["new_conversation"].run(cursor, values)
            seq = 1
        return seq

    def _lost_race(
        self, error: IntegrityError, conversation_id: str, client_message_id: str | None, expected_version: int | None
    ) -> dict[str, Any]:
        """After a write refused by a unique key: the reply a repeat of this message already
        got, or ``StaleConversation`` when another writer created the conversation first."""
        stored = self.find_reply(conversation_id, client_message_id) if client_message_id else None
        if stored is not None:
            return stored
        if expected_version is not None:
            # Another worker created the conversation first: read it and redo the turn.
            raise StaleConversation(f"conversation {conversation_id} was created meanwhile") from error
        raise error

    def transcript(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every turn of the conversation in order: the customer's words and the reply."""
        with self._db.session() as s:
            turns = s.scalars(select(Turn).where(Turn.conversation_id == conversation_id).order_by(Turn.seq)).all()
            return [
                {
                    "seq": t.seq,
                    "time": iso_time(t.created_at),
                    "customer": t.customer_text,
                    "author": t.author,
                    "reply": dict(t.reply),
                }
                for t in turns
            ]

    def add_feedback(self, conversation_id: str, helpful: bool, message: str = "") -> None:
        """Keep a thumbs up or down (``message``: the reply it is about, up to 500 characters)."""
        with self._db.session.begin() as s:
            s.add(Feedback(conversation_id=conversation_id, helpful=helpful, message=message[:500], created_at=now()))

    def feedback(self, conversation_id: str) -> list[dict[str, Any]]:
        """The conversation's feedback, oldest first: ``{message, helpful}``."""
        with self._db.session() as s:
            rows = s.scalars(select(Feedback).where(Feedback.conversation_id == conversation_id).order_by(Feedback.id))
            return [{"message": f.message, "helpful": f.helpful} for f in rows]

    def count(self, table: str) -> int:
        """How many rows ``table`` (conversations, turns, tickets or feedback) holds."""
        model = {"conversations": Conversation, "turns": Turn, "tickets": Ticket, "feedback": Feedback}[table]
        with self._db.session() as s:
            return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _ticket_values(ticket: TicketDraft, conversation_id: str, stamp: Any) -> dict[str, Any]:
    """The bind values of ``_NEW_TICKET`` for the ticket a turn opens."""
    return {
        "number": ticket.number,
        "cid": conversation_id,
        "stamp": stamp,
        "reason": ticket.reason,
        "summary": ticket.summary,
    }
