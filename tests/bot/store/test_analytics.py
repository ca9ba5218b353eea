"""The console's analytics as the database counts them (bot/store/analytics.py). SQLite always,
PostgreSQL when ``SUPPORTBOT_TEST_DATABASE_URL`` points at one (see tests/bot/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.store import Store, TicketDraft
from bot.store.analytics import activity
from bot.store.tables import Conversation, Feedback, Turn


def turn(
    store: Store, conversation: str, text: str, route: str, ticket: str | None = None, intent: str | None = None
) -> None:
    """One customer message and the bot's reply on ``route`` (opening ``ticket`` when given)."""
    draft = TicketDraft(ticket, "fallbacks", {"customer_words": [text]}) if ticket else None
    status = "handoff" if ticket else "bot"
    reply = {"reply": "...", "route": route, "intent": intent}
    store.save_turn(conversation, text, reply, {}, status, ticket=draft)


def move_back(store: Store, conversation: str, when: datetime) -> None:
    """Pretend everything about ``conversation`` happened at ``when``."""
    with store.engine.begin() as c:
        c.execute(update(Conversation).where(Conversation.id == conversation).values(created_at=when))
        c.execute(update(Turn).where(Turn.conversation_id == conversation).values(created_at=when))
        c.execute(update(Feedback).where(Feedback.conversation_id == conversation).values(created_at=when))


@pytest.mark.integration
def test_analytics_count_todays_conversations_routes_handoffs_and_thumbs(store: Store) -> None:
    turn(store, "c1", "how do i reset my password", "answer")
    turn(store, "c1", "zebra", "fallback")
    turn(store, "c1", "zebra again", "handoff", ticket="SB-00000A")
    store.staff_reply("SB-00000A", "agent", "Hi, a person here.")  # neither a customer message nor a bot reply
    turn(store, "c2", "where is my invoice", "answer")
    store.add_feedback("c1", True)
    store.add_feedback("c2", True)
    store.add_feedback("c2", False)

    figures = activity(store.db, days=7)

    assert figures["days"][-1] == datetime.now(UTC).date().isoformat()
    assert (figures["conversations"][-1], figures["messages"][-1]) == (2, 4)
    assert figures["routes"] == {"answer": 2, "fallback": 1, "handoff": 1}
    assert figures["replies"] == 4
    assert figures["fallback_rate"] == pytest.approx(0.25)
    assert figures["handoff_rate"] == pytest.approx(0.5)
    assert (figures["thumbs_up"], figures["thumbs_down"]) == (2, 1)


@pytest.mark.integration
def test_analytics_rank_intents_and_list_the_latest_unanswered_questions(store: Store) -> None:
    turn(store, "c1", "invoice pdf?", "answer", intent="pricing_billing")
    turn(store, "c1", "refund for march", "fallback", intent="pricing_billing")
    turn(store, "c2", "key leaked", "answer", intent="account_keys")
    turn(store, "c3", "weather in paris", "fallback")

    figures = activity(store.db, days=7)

    assert figures["intents"][0] == {"intent": "pricing_billing", "replies": 2, "fallback": 1, "handoff": 0}
    assert {r["intent"] for r in figures["intents"]} == {"pricing_billing", "account_keys", "(none)"}
    assert [u["text"] for u in figures["unanswered"]] == ["weather in paris", "refund for march"]  # newest first


@pytest.mark.integration
def test_analytics_list_every_day_of_the_period_even_without_activity(store: Store) -> None:
    figures = activity(store.db, days=5)

    today = datetime.now(UTC).date()
    assert figures["days"] == [(today - timedelta(days=n)).isoformat() for n in range(4, -1, -1)]
    assert figures["conversations"] == figures["messages"] == [0] * 5
    assert (figures["replies"], figures["routes"], figures["fallback_rate"], figures["handoff_rate"]) == (0, {}, 0, 0)


@pytest.mark.integration
def test_analytics_leave_out_what_happened_before_the_period(store: Store) -> None:
    turn(store, "old", "zebra", "fallback")
    store.add_feedback("old", False)
    move_back(store, "old", datetime.now(UTC) - timedelta(days=40))
    turn(store, "new", "where is my invoice", "answer")

    figures = activity(store.db, days=30)

    assert sum(figures["conversations"]) == sum(figures["messages"]) == 1
    assert figures["routes"] == {"answer": 1}
    assert (figures["fallback_rate"], figures["thumbs_down"]) == (0, 0)


@pytest.mark.integration
def test_analytics_totals_agree_with_the_days_they_list(store: Store) -> None:
    # The page says "Last 7 days" and plots seven days: every figure covers those days and no
    # others. This turn came in the last minute of the day before the first of them.
    day = datetime.now(UTC).date() - timedelta(days=7)
    turn(store, "old", "zebra", "fallback")
    store.add_feedback("old", False)
    move_back(store, "old", datetime(day.year, day.month, day.day, 23, 59, tzinfo=UTC))

    figures = activity(store.db, days=7)

    assert sum(figures["messages"]) == 0
    assert (figures["replies"], figures["routes"], figures["thumbs_down"]) == (0, {}, 0)
