"""Storage of conversations, turns, tickets and feedback: SQLAlchemy 2 over SQLite (default,
a file under the data folder) or PostgreSQL (``SUPPORTBOT_DATABASE_URL``), schema by Alembic.

Each turn is written in one transaction together with the conversation's new state and,
when the turn hands over to a person, its ticket. A repeated request carrying the same
client message id returns the stored reply instead of writing a second turn.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, Table, bindparam, create_engine, delete, event, func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import StaleConversation, SupportbotError
from bot.origins import normalize_origin
from bot.store.passwords import check_password, hash_password
from bot.store.tables import Conversation, Feedback, StaffAccount, StaffSession, Ticket, Turn, WidgetKey, now

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
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


class _Prepared:
    """A Core statement compiled once for a dialect and run on a bare DB-API cursor.

    On the per-turn path SQLAlchemy's connection, transaction and result objects cost more
    than the database's own work: timed in the speed benchmark's replies, message by message,
    writing through them cost 0.3-0.5 ms more of a ~7 ms reply than writing through the
    cursor. Values still go through the column types' bind processors (dates and JSON are
    stored exactly as the ORM stores them).
    """

    def __init__(self, statement: Any, dialect: Any) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        binds = {name: bind for bind, name in compiled.bind_names.items()}
        self._named = compiled.positiontup is None  # named parameters (psycopg) or positional (sqlite3)
        self._names = list(binds) if self._named else list(compiled.positiontup)
        # (name, the caller gives it, the statement's own value, the type's processor) in the
        # order of the SQL's placeholders
        self._params = []
        for name in self._names:
            bind = binds[name]
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            self._params.append((name, bind.required, bind.value, process))

    def run(self, cursor: Any, values: dict[str, Any]) -> Any:
        params = []
        for name, given, value, process in self._params:
            if given:
                value = values[name]
            params.append(value if process is None else process(value))
        cursor.execute(self.sql, dict(zip(self._names, params, strict=True)) if self._named else params)
        return cursor


@dataclass(frozen=True)
class TicketDraft:
    """A ticket to open with the turn that hands the conversation over."""

    number: str
    reason: str
    summary: dict[str, Any]


def new_ticket_number() -> str:
    """A short ticket number customers can read out: ``SB-`` and six hex digits."""
    return f"SB-{secrets.token_hex(3).upper()}"


@dataclass(frozen=True)
class StoredConversation:
    id: str
    status: str
    state: dict[str, Any]
    turns: int
    version: int = 0


def _first(cursor: Any) -> Any:
    """The first column of the cursor's first row, or None when there is no row."""
    row = cursor.fetchone()
    return None if row is None else row[0]


class Store:
    """The database behind the assistant; one instance per process, safe across threads."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = _engine(url)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        dialect = self.engine.dialect
        self._turn_sql = {
            name: _Prepared(statement, dialect)
            for name, statement in (
                ("bump", _BUMP),
                ("bump_if_version", _BUMP_IF_VERSION),
                ("new_conversation", _NEW_CONVERSATION),
                ("new_turn", _NEW_TURN),
                ("reopen", _REOPEN),
                ("new_ticket", _NEW_TICKET),
            )
        }
        self._dbapi_error = dialect.loaded_dbapi.Error

    def migrate(self) -> None:
        """Bring the schema to the newest migration (creating it in an empty database)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def reading(self) -> Session:
        """A session for read-only queries of other modules (analytics); close it after use."""
        return self._session()

    def ping(self) -> bool:
        """Whether the database answers."""
        try:
            with self.engine.connect() as c:
                c.execute(select(1))
            return True
        except Exception:
            return False

    # -- conversations and turns ---------------------------------------------------------------
    def conversation(self, conversation_id: str) -> StoredConversation | None:
        # Core statements on the per-turn path: the ORM's unit of work costs about a
        # millisecond a turn, which is a fifth of the whole turn.
        c_ = CONVERSATIONS.c
        query = select(c_.status, c_.state, c_.turns_count, c_.version).where(c_.id == conversation_id)
        with self.engine.connect() as c:
            row = c.execute(query).first()
        if row is None:
            return None
        return StoredConversation(conversation_id, row.status, dict(row.state or {}), row.turns_count, row.version)

    def find_reply(self, conversation_id: str, client_message_id: str) -> dict[str, Any] | None:
        """The stored reply to the message with ``client_message_id``, if it was answered before."""
        query = select(TURNS.c.reply).where(
            TURNS.c.conversation_id == conversation_id, TURNS.c.client_message_id == client_message_id
        )
        with self.engine.connect() as c:
            reply = c.execute(query).scalar()
        return dict(reply) if reply is not None else None

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        """A DB-API cursor in one transaction: committed when the block ends, rolled back when
        it raises. Driver errors come out as SQLAlchemy's exceptions, as from any other query."""
        connection = self.engine.raw_connection()
        try:
            yield connection.cursor()
            connection.commit()
        except self._dbapi_error as e:
            connection.rollback()
            raise DBAPIError.instance(None, None, e, self._dbapi_error, dialect=self.engine.dialect) from e
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.close()

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
        sql = self._turn_sql
        try:
            with self._cursor() as cursor:
                if expected_version == 0:  # new: one insert (it fails if another writer created it)
                    seq = None
                elif expected_version is None:
                    seq = _first(sql["bump"].run(cursor, values))
                else:
                    seq = _first(sql["bump_if_version"].run(cursor, {**values, "expected": expected_version}))
                if seq is None and expected_version:
                    raise StaleConversation(f"conversation {conversation_id} changed since version {expected_version}")
                if seq is None:  # a new conversation (updating first takes the row lock on PostgreSQL)
                    sql["new_conversation"].run(cursor, values)
                    seq = 1
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
                    sql["new_ticket"].run(
                        cursor,
                        {
                            "number": ticket.number,
                            "cid": conversation_id,
                            "stamp": stamp,
                            "reason": ticket.reason,
                            "summary": ticket.summary,
                        },
                    )
        except IntegrityError as e:
            stored = self.find_reply(conversation_id, client_message_id) if client_message_id else None
            if stored is not None:
                return stored
            if expected_version is not None:
                # Another worker created the conversation first: read it and redo the turn.
                raise StaleConversation(f"conversation {conversation_id} was created meanwhile") from e
            raise
        return reply

    def transcript(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every turn of the conversation in order: the customer's words and the reply."""
        with self._session() as s:
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

    # -- tickets and feedback ------------------------------------------------------------------
    def tickets(self, status: str | None = None) -> list[dict[str, Any]]:
        with self._session() as s:
            query = select(Ticket).order_by(Ticket.id)
            if status is not None:
                query = query.where(Ticket.status == status)
            return [_ticket(t) for t in s.scalars(query).all()]

    def ticket(self, number: str) -> dict[str, Any] | None:
        """One ticket with its summary and the conversation's whole transcript."""
        with self._session() as s:
            t = s.scalar(select(Ticket).where(Ticket.number == number))
            found = _ticket(t) if t is not None else None
        if found is not None:
            found["transcript"] = self.transcript(found["conversation_id"])
        return found

    def release(self, conversation_id: str) -> None:
        """Give the conversation back to the bot and close its open tickets."""
        with self._session.begin() as s:
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

    # -- staff -----------------------------------------------------------------------------------
    def add_staff(self, username: str, password: str) -> None:
        """Create a staff account (or set a new password for an existing one)."""
        if not username or len(username) > 64 or len(password) < 8:
            raise SupportbotError("a staff account needs a username (1-64 characters) and a password of 8 or more")
        with self._session.begin() as s:
            account = s.scalar(select(StaffAccount).where(StaffAccount.username == username))
            if account is None:
                s.add(StaffAccount(username=username, password_hash=hash_password(password), created_at=now()))
            else:
                account.password_hash = hash_password(password)

    def check_staff(self, username: str, password: str) -> bool:
        with self._session() as s:
            account = s.scalar(select(StaffAccount).where(StaffAccount.username == username))
        if account is None:
            check_password(password, _DUMMY_HASH)  # same time for unknown users
            return False
        return check_password(password, account.password_hash)

    def claim(self, number: str, username: str) -> dict[str, Any]:
        with self._session.begin() as s:
            ticket = self._open_ticket(s, number)
            ticket.status, ticket.assignee = "claimed", username
        return self.ticket(number) or {}

    def staff_reply(self, number: str, username: str, text: str) -> dict[str, Any]:
        """A person's reply in the ticket's conversation: a turn written by staff."""
        with self._session.begin() as s:
            ticket = self._open_ticket(s, number)
            row = s.get(Conversation, ticket.conversation_id)
            assert row is not None
            row.turns_count += 1
            row.version += 1
            row.updated_at = now()
            reply: dict[str, Any] = {
                "reply": text,
                "route": "handoff",
                "intent": None,
                "confidence": 1.0,
                "sources": [],
                "quick_replies": [],
                "conversation_id": row.id,
                "ticket": number,
                "flow": None,
                "recommendations": [],
                "staff": username,
            }
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
        """Close the ticket; with ``release`` the bot answers the conversation again."""
        conversation_id = (self.ticket(number) or {}).get("conversation_id")
        if conversation_id is None:
            raise SupportbotError(f"no ticket {number}")
        if release:
            self.release(conversation_id)
            return
        with self._session.begin() as s:
            ticket = self._open_ticket(s, number)
            ticket.status, ticket.closed_at = "closed", now()

    @staticmethod
    def _open_ticket(s: Any, number: str) -> Ticket:
        ticket = s.scalar(select(Ticket).where(Ticket.number == number))
        if ticket is None:
            raise SupportbotError(f"no ticket {number}")
        if ticket.status == "closed":
            raise SupportbotError(f"ticket {number} is closed")
        return ticket

    def add_feedback(self, conversation_id: str, helpful: bool, message: str = "") -> None:
        with self._session.begin() as s:
            s.add(Feedback(conversation_id=conversation_id, helpful=helpful, message=message[:500], created_at=now()))

    def feedback(self, conversation_id: str) -> list[dict[str, Any]]:
        with self._session() as s:
            rows = s.scalars(select(Feedback).where(Feedback.conversation_id == conversation_id).order_by(Feedback.id))
            return [{"message": f.message, "helpful": f.helpful} for f in rows]

    # -- staff console sessions ------------------------------------------------------------------
    def start_session(self, username: str, hours: float = 12) -> str:
        """A new session token for ``username`` (the cookie's value); expired sessions are dropped."""
        token = secrets.token_urlsafe(32)
        stamp = now()
        with self._session.begin() as s:
            s.execute(delete(StaffSession).where(StaffSession.expires_at < stamp))
            s.add(
                StaffSession(
                    token_hash=_token_hash(token), username=username, created_at=stamp,
                    expires_at=stamp + timedelta(hours=hours),
                )
            )  # fmt: skip
        return token

    def session_user(self, token: str) -> str | None:
        """The staff member signed in with ``token``, or None when it is unknown or expired."""
        with self._session() as s:
            found = s.get(StaffSession, _token_hash(token))
            if found is None:
                return None
            expires = found.expires_at if found.expires_at.tzinfo else found.expires_at.replace(tzinfo=now().tzinfo)
            return found.username if expires > now() else None

    def end_session(self, token: str) -> None:
        with self._session.begin() as s:
            s.execute(delete(StaffSession).where(StaffSession.token_hash == _token_hash(token)))

    # -- widget keys -----------------------------------------------------------------------------
    def create_widget_key(self, origins: list[str]) -> str:
        """A new publishable key (``pk_...``) the widget may use from ``origins`` only."""
        allowed = sorted({normalize_origin(o) for o in origins})
        if not allowed:
            raise SupportbotError("a widget key needs at least one origin")
        key = f"pk_{secrets.token_urlsafe(18)}"
        with self._session.begin() as s:
            s.add(WidgetKey(key=key, origins=allowed, created_at=now()))
        return key

    def widget_keys(self) -> list[dict[str, Any]]:
        with self._session() as s:
            return [
                {
                    "key": k.key,
                    "origins": list(k.origins),
                    "created_at": iso_time(k.created_at),
                    "revoked": k.revoked_at is not None,
                }
                for k in s.scalars(select(WidgetKey).order_by(WidgetKey.id))
            ]

    def active_widget_keys(self) -> dict[str, frozenset[str]]:
        """Every key that is not revoked, with the origins it allows."""
        with self._session() as s:
            rows = s.scalars(select(WidgetKey).where(WidgetKey.revoked_at.is_(None)))
            return {k.key: frozenset(k.origins) for k in rows}

    def revoke_widget_key(self, key: str) -> None:
        with self._session.begin() as s:
            found = s.scalar(select(WidgetKey).where(WidgetKey.key == key))
            if found is None:
                raise SupportbotError(f"no widget key {key}")
            found.revoked_at = found.revoked_at or now()

    def count(self, table: str) -> int:
        model = {"conversations": Conversation, "turns": Turn, "tickets": Ticket, "feedback": Feedback}[table]
        with self._session() as s:
            return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def drop_schema(url: str) -> None:
    """Drop every supportbot table (and Alembic's version) of the database at ``url``, so
    migrations start from nothing. For tests and benchmarks on a throwaway database."""
    from sqlalchemy import text

    from bot.store.tables import Base

    store = Store(url)
    Base.metadata.drop_all(store.engine)
    with store.engine.begin() as c:
        c.execute(text("DROP TABLE IF EXISTS alembic_version"))
    store.engine.dispose()


def iso_time(stamp: datetime | str) -> str:
    return stamp.isoformat() if isinstance(stamp, datetime) else str(stamp)


def _ticket(t: Ticket) -> dict[str, Any]:
    return {
        "number": t.number,
        "conversation_id": t.conversation_id,
        "status": t.status,
        "reason": t.reason,
        "summary": dict(t.summary),
        "assignee": t.assignee,
        "created_at": iso_time(t.created_at),
    }


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    # Sessions in UTC, so day boundaries (analytics) do not depend on the server's time zone.
    options = {"options": "-c timezone=UTC"} if url.startswith("postgresql+psycopg") else {}
    return create_engine(url, pool_pre_ping=True, connect_args=options)
