"""Figures for the staff console's analytics: activity per day, the share of each route,
fallback and handoff rates, thumbs up and down, over the last N days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from bot.store.engine import Database
from bot.store.tables import Conversation, Feedback, Ticket, Turn, iso_time, now

UNANSWERED = 10  # the latest messages the bot could not answer, listed for staff


def activity(db: Database, days: int = 30) -> dict[str, Any]:
    """Counts over the last ``days`` days (today included), every day listed even when empty:
    ``{days, conversations, messages, routes, replies, fallback_rate, handoff_rate, thumbs_up,
    thumbs_down, intents, unanswered}`` (``bot.desk.Activity`` describes each)."""
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
            select(Turn.customer_text, Turn.created_at)
            .where(Turn.created_at >= since, Turn.route == "fallback")
            .order_by(Turn.created_at.desc(), Turn.id.desc())
            .limit(UNANSWERED)
        ).all()
        thumbs = dict(
            s.execute(
                select(Feedback.helpful, func.count()).where(Feedback.created_at >= since).group_by(Feedback.helpful)
            ).all()
        )
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
        "unanswered": [{"text": text, "time": iso_time(stamp)} for text, stamp in unanswered],
    }


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
