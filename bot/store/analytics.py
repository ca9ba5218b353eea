"""Figures for the staff console's analytics: activity per day, the share of each route,
fallback and handoff rates, thumbs up and down, over the last N days, and the same split by
language.

A turn's language is its reply's (``reply.language`` in the stored JSON), a conversation's is its
latest (``state.language``); what was stored before the language was kept counts as English.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.engine import Database
from bot.store.tables import Conversation, Feedback, Ticket, Turn, iso_time, now

UNANSWERED = 10  # the latest messages the bot could not answer, listed for staff
LANGUAGES = ("en", "zh")  # always listed, even without activity
ANSWERED = ("answer", "advise", "troubleshoot")  # the routes that answer what was asked
DEFAULT_LANGUAGE = "en"


def activity(db: Database, days: int = 30) -> dict[str, Any]:
    """Counts over the last ``days`` days (today included), every day listed even when empty:
    ``{days, conversations, messages, routes, replies, fallback_rate, handoff_rate, thumbs_up,
    thumbs_down, intents, unanswered, languages}`` (``bot.desk_types.Activity`` describes each)."""
    first = (now() - timedelta(days=days - 1)).date()
    since = datetime.combine(first, time.min, tzinfo=UTC)  # the first listed day from midnight
    calendar = [(first + timedelta(days=i)).isoformat() for i in range(days)]
    with db.reading() as s:
        conversations = _per_day(s.execute(_daily(Conversation.created_at, since)).all())
        messages = _per_day(
            s.execute(_daily(Turn.created_at, since).where(Turn.customer_text != "")).all()
        )  # staff replies are not customer messages
        routes = dict(
            s.execute(
                select(Turn.route, func.count())
                .where(Turn.created_at >= since, Turn.author == "bot")
                .group_by(Turn.route)
            ).all()
        )
        handed_over = s.scalar(
            select(func.count(func.distinct(Ticket.conversation_id))).where(Ticket.created_at >= since)
        )
        by_intent = s.execute(
            select(Turn.intent, Turn.route, func.count())
            .where(Turn.created_at >= since, Turn.author == "bot")
            .group_by(Turn.intent, Turn.route)
        ).all()
        unanswered = s.execute(
            select(Turn.customer_text, Turn.created_at, _language(Turn.reply))
            .where(Turn.created_at >= since, Turn.route == "fallback")
            .order_by(Turn.created_at.desc(), Turn.id.desc())
            .limit(UNANSWERED)
        ).all()
        thumbs = dict(
            s.execute(
                select(Feedback.helpful, func.count()).where(Feedback.created_at >= since).group_by(Feedback.helpful)
            ).all()
        )
        by_language = _by_language(s, since)
    bot_turns = sum(routes.values())
    started = sum(conversations.values())
    return {
        "days": calendar,
        "conversations": [conversations.get(d, 0) for d in calendar],
        "messages": [messages.get(d, 0) for d in calendar],
        "routes": {route: int(n) for route, n in sorted(routes.items(), key=lambda r: -r[1])},
        "replies": bot_turns,
        "fallback_rate": routes.get("fallback", 0) / bot_turns if bot_turns else 0.0,
        "handoff_rate": (handed_over or 0) / started if started else 0.0,
        "thumbs_up": int(thumbs.get(True, 0)),
        "thumbs_down": int(thumbs.get(False, 0)),
        "intents": _intents(by_intent),
        "unanswered": [
            {"text": text, "time": iso_time(stamp), "language": _code(language)} for text, stamp, language in unanswered
        ],
        "languages": by_language,
    }


def _by_language(s: Session, since: datetime) -> list[dict[str, Any]]:
    """Per language: conversations started, customer messages, bot replies, and the rates of
    replies that answered or fell back and of conversations handed to a person."""
    conversation_language = _language(Conversation.state)
    turn_language = _language(Turn.reply)
    started = _merge(
        s.execute(
            select(conversation_language, func.count())
            .where(Conversation.created_at >= since)
            .group_by(conversation_language)
        ).all()
    )
    messages = _merge(
        s.execute(
            select(turn_language, func.count())
            .where(Turn.created_at >= since, Turn.customer_text != "")
            .group_by(turn_language)
        ).all()
    )
    routes = s.execute(
        select(turn_language, Turn.route, func.count())
        .where(Turn.created_at >= since, Turn.author == "bot")
        .group_by(turn_language, Turn.route)
    ).all()
    handed_over = _merge(
        s.execute(
            select(conversation_language, func.count(func.distinct(Ticket.conversation_id)))
            .join(Conversation, Conversation.id == Ticket.conversation_id)
            .where(Ticket.created_at >= since)
            .group_by(conversation_language)
        ).all()
    )
    replies: dict[str, dict[str, int]] = {}
    for language, route, n in routes:
        of_language = replies.setdefault(_code(language), {})
        of_language[route] = of_language.get(route, 0) + int(n)
    languages = set(LANGUAGES) | set(started) | set(messages) | set(replies)
    rows = []
    for language in languages:
        routes_of = replies.get(language, {})
        total = sum(routes_of.values())
        answered = sum(routes_of.get(r, 0) for r in ANSWERED)
        begun = started.get(language, 0)
        rows.append(
            {
                "language": language,
                "conversations": begun,
                "messages": messages.get(language, 0),
                "replies": total,
                "answered_rate": answered / total if total else 0.0,
                "fallback_rate": routes_of.get("fallback", 0) / total if total else 0.0,
                "handoff_rate": handed_over.get(language, 0) / begun if begun else 0.0,
            }
        )
    order = {code: i for i, code in enumerate(LANGUAGES)}
    return sorted(
        rows, key=lambda r: (-r["messages"], -r["conversations"], order.get(r["language"], 99), r["language"])
    )


def _language(column: Any) -> Any:
    """The language kept in a JSON column (a reply's or a conversation state's), as text."""
    return column["language"].as_string()


def _code(language: Any) -> str:
    """A stored language, English when none was stored."""
    return str(language) if language else DEFAULT_LANGUAGE


def _merge(rows: Sequence[Any]) -> dict[str, int]:
    """(stored language, count) rows as counts per language, what had none counted as English."""
    merged: dict[str, int] = {}
    for language, n in rows:
        code = _code(language)
        merged[code] = merged.get(code, 0) + int(n)
    return merged


def _intents(rows: Sequence[Any], top: int = 10) -> list[dict[str, Any]]:
    """The most frequent intents with how often each fell back or was handed to a person."""
    table: dict[str, dict[str, Any]] = {}
    for intent, route, n in rows:
        row = table.setdefault(
            intent or "(none)", {"intent": intent or "(none)", "replies": 0, "fallback": 0, "handoff": 0}
        )
        row["replies"] += int(n)
        if route in ("fallback", "handoff"):
            row[route] += int(n)
    return sorted(table.values(), key=lambda r: (-r["replies"], r["intent"]))[:top]


def _daily(column: Any, since: Any) -> Any:
    day = func.date(column)
    return select(day, func.count()).where(column >= since).group_by(day)


def _per_day(rows: Sequence[Any]) -> dict[str, int]:
    """Day → count; SQLite returns the day as text, PostgreSQL as a date."""
    return {(d.isoformat() if isinstance(d, date) else str(d)): int(n) for d, n in rows}


GAP_ROWS = 500  # the latest unsure answers and refusals grouped for the knowledge-gap report


def unsure_questions(db: Database, days: int, below: float) -> list[tuple[str, str]]:
    """The customers' questions of the last ``days`` days (latest ``GAP_ROWS``) the bot refused, or
    answered from the knowledge base with a confidence under ``below``: ``(text, language)``."""
    since = now() - timedelta(days=days)
    confidence = Turn.reply["confidence"].as_float()
    with db.reading() as s:
        rows = s.execute(
            select(Turn.customer_text, _language(Turn.reply))
            .where(Turn.created_at >= since, Turn.author == "bot", Turn.customer_text != "")
            .where((Turn.route.in_(("fallback", "clarify"))) | ((Turn.route == "answer") & (confidence < below)))
            .order_by(Turn.created_at.desc(), Turn.id.desc())
            .limit(GAP_ROWS)
        ).all()
    return [(str(text), _code(language)) for text, language in rows]
