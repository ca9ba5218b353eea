"""The staff side of supportbot: tickets, staff accounts and sessions, widget keys, analytics.

``SupportDesk`` is the one entry point of the staff console, the staff API and the command
line's staff commands. It works on the database alone, so it loads no model: the web app takes
the desk of its assistant (``assistant.desk``, the same database and connection pool as the
assistant's turns); the command line opens one from the settings (``SupportDesk.open``).
Results are the typed values of ``bot.desk_types``; what is missing raises ``NotFound``, what
clashes with the current state raises ``Conflict``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.config import Settings, load_settings
from bot.desk_types import (
    DEFAULT_LANGUAGE,
    Activity,
    ConversationTranscript,
    FeedbackEntry,
    StaffSession,
    TicketDetail,
    TicketSummary,
    TranscriptLine,
    WidgetKey,
)
from bot.errors import NotFound
from bot.store import Store
from bot.store.analytics import activity, unsure_questions

SESSION_HOURS = 12.0  # how long a console sign-in lasts


class SupportDesk:
    """Everything staff do, over one ``Store``.

    Args:
        store: the database; the assistant's own (``assistant.desk``) or one of its own
            (``SupportDesk.open``).
    """

    def __init__(self, store: Store) -> None:
        self._store = store

    @classmethod
    def open(cls, settings: Settings | None = None) -> SupportDesk:
        """A desk over the configured database (``settings``, else the environment's), migrated
        to the newest schema. Loads no model: what the command line's staff commands use."""
        store = Store((settings or load_settings()).resolved_database_url)
        store.migrate()
        return cls(store)

    def ping(self) -> bool:
        """Whether the database answers."""
        return self._store.ping()

    # -- tickets -------------------------------------------------------------------------------
    def tickets(self, status: str | None = None) -> list[TicketSummary]:
        """Every ticket, oldest first, or those in ``status`` (open, claimed, closed)."""
        return [TicketSummary.from_row(row) for row in self._store.tickets(status)]

    def ticket(self, number: str) -> TicketDetail:
        """The ticket ``number`` with its summary and the conversation's transcript.

        Raises:
            NotFound: there is no ticket ``number``.
        """
        row = self._store.ticket(number)
        if row is None:
            raise NotFound(f"no ticket {number}")
        return TicketDetail.from_row(row)

    def claim(self, number: str, username: str) -> TicketDetail:
        """``username`` takes the ticket over (the bot stays quiet); the ticket afterwards.

        Raises:
            NotFound: there is no ticket ``number``.
            Conflict: the ticket is closed.
        """
        return TicketDetail.from_row(self._store.claim(number, username))

    def reply(self, number: str, username: str, text: str) -> None:
        """A person's reply in the ticket's conversation, shown to the customer; an unclaimed
        ticket is claimed by ``username``.

        Raises:
            NotFound: there is no ticket ``number``.
            Conflict: the ticket is closed.
        """
        self._store.staff_reply(number, username, text)

    def release(self, number: str) -> None:
        """Close the ticket and let the bot answer its conversation again (every open ticket
        of the conversation closes).

        Raises:
            NotFound: there is no ticket ``number``.
        """
        self._store.close(number, release=True)

    def close(self, number: str) -> None:
        """Close the ticket; the conversation stays with people (the bot stays quiet). If the
        customer writes again, the ticket opens again.

        Raises:
            NotFound: there is no ticket ``number``.
            Conflict: the ticket is closed already.
        """
        self._store.close(number, release=False)

    # -- conversations ---------------------------------------------------------------------------
    def conversation(self, conversation_id: str) -> ConversationTranscript:
        """Who answers the conversation now (``status``: bot or handoff), its latest language and
        every turn of it.

        Raises:
            NotFound: there is no such conversation.
        """
        stored = self._store.conversation(conversation_id)
        if stored is None:
            raise NotFound(f"no conversation {conversation_id!r}")
        language = str(stored.state.get("language") or DEFAULT_LANGUAGE)
        return ConversationTranscript(conversation_id, stored.status, self.transcript(conversation_id), language)

    def transcript(self, conversation_id: str) -> tuple[TranscriptLine, ...]:
        """Every turn of the conversation in order (none for an unknown conversation)."""
        return tuple(TranscriptLine.from_row(row) for row in self._store.transcript(conversation_id))

    def feedback(self, conversation_id: str) -> tuple[FeedbackEntry, ...]:
        """The thumbs up and down given in the conversation, oldest first."""
        return tuple(FeedbackEntry(row["message"], row["helpful"]) for row in self._store.feedback(conversation_id))

    # -- staff accounts and console sessions --------------------------------------------------------
    def add_staff(self, username: str, password: str) -> None:
        """Create a staff account (or set a new password for an existing one).

        Raises:
            InputError: the username is empty or over 64 characters, or the password is
                shorter than 8.
        """
        self._store.add_staff(username, password)

    def check_staff(self, username: str, password: str) -> bool:
        """Whether ``username`` signs in with ``password`` (an unknown name takes as long)."""
        return self._store.check_staff(username, password)

    def start_session(self, username: str, hours: float = SESSION_HOURS) -> StaffSession:
        """A new console session for ``username``, lasting ``hours``."""
        return StaffSession(self._store.start_session(username, hours), username, int(hours * 3600))

    def session_user(self, token: str | None) -> str | None:
        """The staff member signed in with ``token``; None when it is missing, unknown or expired."""
        return self._store.session_user(token) if token else None

    def end_session(self, token: str) -> None:
        """Sign the session out (an unknown token is no error)."""
        self._store.end_session(token)

    # -- widget keys -------------------------------------------------------------------------------
    def create_widget_key(self, origins: Iterable[str]) -> WidgetKey:
        """A new publishable key usable from ``origins`` only (written as browsers send them).

        Raises:
            InputError: no origin is given, or one is not an ``http(s)://host[:port]`` origin.
        """
        key = self._store.create_widget_key(list(origins))
        return next(k for k in self.widget_keys() if k.key == key)

    def widget_keys(self) -> list[WidgetKey]:
        """Every key, oldest first, revoked ones included."""
        return [WidgetKey.from_row(row) for row in self._store.widget_keys()]

    def revoke_widget_key(self, key: str) -> None:
        """Stop accepting ``key`` (revoking twice is harmless).

        Raises:
            NotFound: there is no such key.
        """
        self._store.revoke_widget_key(key)

    def active_widget_origins(self) -> Mapping[str, frozenset[str]]:
        """Every key that is not revoked, with the origins it allows."""
        return self._store.active_widget_keys()

    # -- analytics ---------------------------------------------------------------------------------
    def activity(self, days: int = 30) -> Activity:
        """Activity over the last ``days`` days (today included, UTC), every day listed."""
        return Activity.from_row(activity(self._store.db, days))

    def unsure_questions(self, days: int, below: float) -> list[tuple[str, str]]:
        """The questions of the last ``days`` days refused or answered with a confidence under
        ``below``, latest first: ``(text, language)`` (grouped by ``Assistant.knowledge_gaps``)."""
        return unsure_questions(self._store.db, days, below)
