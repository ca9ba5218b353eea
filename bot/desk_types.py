"""The typed values ``SupportDesk`` returns: tickets, transcripts, widget keys, sessions, analytics.

Frozen; a ``to_json()`` gives each in the JSON form of the staff API and the command line.
Free-form parts (a ticket's summary, a stored reply) are read-only mappings. A ``language`` is
"en" or "zh": a turn's is its reply's (a stored reply without one is English), a conversation's
or a ticket's is the conversation's latest (``ConversationState.language``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

DEFAULT_LANGUAGE = "en"  # what a conversation or reply stored before the language was kept is in


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class TranscriptLine:
    """One turn: the customer's words (empty for a person's reply) and the reply as stored
    (a bot reply's JSON; a person's reply also names them under ``staff``)."""

    seq: int
    time: str
    customer: str
    author: str  # bot, or staff
    reply: Mapping[str, Any]

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> TranscriptLine:
        return cls(row["seq"], row["time"], row["customer"], row["author"], _frozen(row["reply"]))

    @property
    def text(self) -> str:
        """What the bot or the person answered."""
        return str(self.reply.get("reply", ""))

    @property
    def language(self) -> str:
        """The language of the reply (en or zh); a reply stored before replies had one is English."""
        return str(self.reply.get("language") or DEFAULT_LANGUAGE)

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "time": self.time, "customer": self.customer, "author": self.author,
                "reply": dict(self.reply)}  # fmt: skip


@dataclass(frozen=True)
class ConversationTranscript:
    """A conversation: who answers it now (``status``: bot or handoff) and its turns in order."""

    conversation_id: str
    status: str
    turns: tuple[TranscriptLine, ...]
    language: str = DEFAULT_LANGUAGE  # the conversation's latest language

    @property
    def last_seq(self) -> int:
        """The number of the newest turn (0 before the first)."""
        return self.turns[-1].seq if self.turns else 0

    def to_json(self) -> dict[str, Any]:
        return {"conversation_id": self.conversation_id, "status": self.status, "language": self.language,
                "turns": [t.to_json() for t in self.turns]}  # fmt: skip


@dataclass(frozen=True)
class TicketSummary:
    """A ticket in the queue. ``status``: open, claimed or closed; ``summary``: what the bot
    gathered for the person (intent, what was tried, the customer's last words); ``language``:
    the conversation's latest language, the one to answer the customer in."""

    number: str
    conversation_id: str
    status: str
    reason: str
    summary: Mapping[str, Any]
    assignee: str | None
    created_at: str
    language: str = DEFAULT_LANGUAGE

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> TicketSummary:
        return cls(**_ticket_fields(row))

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "conversation_id": self.conversation_id,
            "status": self.status,
            "reason": self.reason,
            "summary": dict(self.summary),
            "assignee": self.assignee,
            "created_at": self.created_at,
            "language": self.language,
        }


@dataclass(frozen=True)
class TicketDetail(TicketSummary):
    """A ticket with its conversation's whole transcript."""

    transcript: tuple[TranscriptLine, ...] = ()

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> TicketDetail:
        lines = tuple(TranscriptLine.from_row(t) for t in row["transcript"])
        return cls(**_ticket_fields(row), transcript=lines)

    @property
    def customer_messages(self) -> list[str]:
        """What the customer wrote, oldest first."""
        return [t.customer for t in self.transcript if t.customer]

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "transcript": [t.to_json() for t in self.transcript]}


def _ticket_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    names = ("number", "conversation_id", "status", "reason", "assignee", "created_at")
    language = str(row.get("language") or DEFAULT_LANGUAGE)
    return {**{name: row[name] for name in names}, "summary": _frozen(row["summary"]), "language": language}


@dataclass(frozen=True)
class FeedbackEntry:
    """A thumbs up or down, with the reply it was given on."""

    message: str
    helpful: bool

    def to_json(self) -> dict[str, Any]:
        return {"message": self.message, "helpful": self.helpful}


@dataclass(frozen=True)
class StaffSession:
    """A console sign-in: ``token`` is the cookie's value, valid for ``max_age`` seconds."""

    token: str
    username: str
    max_age: int


@dataclass(frozen=True)
class WidgetKey:
    """A publishable key of the widget and the origins it may be used from."""

    key: str
    origins: tuple[str, ...]
    created_at: str
    revoked: bool

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> WidgetKey:
        return cls(row["key"], tuple(row["origins"]), row["created_at"], row["revoked"])

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "origins": list(self.origins), "created_at": self.created_at, "revoked": self.revoked}


@dataclass(frozen=True)
class IntentActivity:
    """How often an intent was answered in the period, and how often it fell back or was handed over."""

    intent: str
    replies: int
    fallback: int
    handoff: int


@dataclass(frozen=True)
class UnansweredQuestion:
    """A customer message the bot could not answer, when, and its language (its reply's)."""

    text: str
    time: str
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class LanguageActivity:
    """One language's share of the period: conversations started (by the conversation's latest
    language), customer messages and bot replies in it, and the rates of its replies that
    answered (an answer, advice or a troubleshooting step), fell back, and of its conversations
    that were handed to a person."""

    language: str
    conversations: int
    messages: int
    replies: int
    answered_rate: float
    fallback_rate: float
    handoff_rate: float


@dataclass(frozen=True)
class Activity:
    """The console's analytics over ``days`` (UTC dates, oldest first; the per-day figures in
    the same order). ``routes``: bot replies per route, most frequent first; ``fallback_rate``:
    the share of bot replies that fell back; ``handoff_rate``: the share of conversations started
    in the period that were handed to a person; ``languages``: the same split by language, English
    and Chinese always listed, the busiest first."""

    days: tuple[str, ...]
    conversations: tuple[int, ...]
    messages: tuple[int, ...]
    routes: Mapping[str, int]
    replies: int
    fallback_rate: float
    handoff_rate: float
    thumbs_up: int
    thumbs_down: int
    intents: tuple[IntentActivity, ...]
    unanswered: tuple[UnansweredQuestion, ...]
    languages: tuple[LanguageActivity, ...] = ()

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Activity:
        """From ``bot.store.analytics.activity``'s figures."""
        return cls(
            days=tuple(row["days"]),
            conversations=tuple(row["conversations"]),
            messages=tuple(row["messages"]),
            routes=_frozen(row["routes"]),
            replies=row["replies"],
            fallback_rate=row["fallback_rate"],
            handoff_rate=row["handoff_rate"],
            thumbs_up=row["thumbs_up"],
            thumbs_down=row["thumbs_down"],
            intents=tuple(IntentActivity(**r) for r in row["intents"]),
            unanswered=tuple(UnansweredQuestion(**r) for r in row["unanswered"]),
            languages=tuple(LanguageActivity(**r) for r in row.get("languages", ())),
        )
