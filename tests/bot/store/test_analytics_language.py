"""The console's figures split by language, the language of each ticket and of a person's reply
(bot/store/analytics.py, bot/store/tickets.py). SQLite always, PostgreSQL when
``SUPPORTBOT_TEST_DATABASE_URL`` points at one (see tests/bot/conftest.py)."""

from __future__ import annotations

import pytest

from bot.desk import SupportDesk
from bot.store import Store, TicketDraft
from bot.store.analytics import activity

pytestmark = pytest.mark.integration


def turn(
    store: Store, conversation: str, text: str, route: str, language: str | None, ticket: str | None = None
) -> None:
    """One customer message and the bot's reply on ``route`` written in ``language`` (None: a
    reply stored before replies named their language), as the assistant stores them."""
    reply: dict[str, object] = {"reply": "...", "route": route, "intent": None}
    state: dict[str, object] = {}
    if language is not None:
        reply["language"] = state["language"] = language
    draft = TicketDraft(ticket, "asked", {"customer_words": [text]}) if ticket else None
    store.save_turn(conversation, text, reply, state, "handoff" if ticket else "bot", ticket=draft)


def by_language(store: Store) -> dict[str, dict[str, object]]:
    return {row["language"]: row for row in activity(store.db, days=7)["languages"]}


def test_conversations_messages_and_rates_are_counted_per_language(store: Store) -> None:
    turn(store, "zh1", "API key 在哪里看", "answer", "zh")
    turn(store, "zh1", "斑马", "fallback", "zh")
    turn(store, "zh1", "帮我转人工", "handoff", "zh", ticket="SB-00000A")
    turn(store, "zh2", "mer-chat-s 支持中文吗", "advise", "zh")
    store.staff_reply("SB-00000A", "agent", "你好，我来处理。")  # neither a customer message nor a bot reply
    turn(store, "en1", "where is my invoice", "answer", "en")
    turn(store, "en1", "zebra", "fallback", "en")
    turn(store, "en1", "thanks", "smalltalk", "en")
    turn(store, "old", "hello", "smalltalk", None)  # stored before the language was kept: English

    figures = by_language(store)
    zh, en = figures["zh"], figures["en"]

    assert (zh["conversations"], zh["messages"], zh["replies"]) == (2, 4, 4)
    assert zh["answered_rate"] == pytest.approx(0.5)  # an answer and advice of four replies
    assert zh["fallback_rate"] == pytest.approx(0.25)
    assert zh["handoff_rate"] == pytest.approx(0.5)  # one of its two conversations
    assert (en["conversations"], en["messages"], en["replies"]) == (2, 4, 4)
    assert en["answered_rate"] == pytest.approx(0.25)
    assert en["fallback_rate"] == pytest.approx(0.25)
    assert en["handoff_rate"] == 0.0
    assert set(figures) == {"en", "zh"}


def test_a_conversation_counts_in_its_latest_language(store: Store) -> None:
    turn(store, "c1", "hi there", "smalltalk", "en")
    turn(store, "c1", "发票在哪里", "answer", "zh")

    figures = by_language(store)

    assert (figures["zh"]["conversations"], figures["en"]["conversations"]) == (1, 0)
    assert (figures["zh"]["messages"], figures["en"]["messages"]) == (1, 1)


def test_both_languages_are_listed_even_without_activity_busiest_first(store: Store) -> None:
    assert [r["language"] for r in activity(store.db, days=7)["languages"]] == ["en", "zh"]
    assert all(r["replies"] == 0 and r["handoff_rate"] == 0.0 for r in activity(store.db, days=7)["languages"])

    turn(store, "c1", "你好", "smalltalk", "zh")

    assert [r["language"] for r in activity(store.db, days=7)["languages"]] == ["zh", "en"]


def test_unanswered_questions_name_their_language(store: Store) -> None:
    turn(store, "c1", "这个能退款吗", "fallback", "zh")
    turn(store, "c2", "weather in paris", "fallback", "en")

    unanswered = activity(store.db, days=7)["unanswered"]

    assert [(u["text"], u["language"]) for u in unanswered] == [("weather in paris", "en"), ("这个能退款吗", "zh")]


def test_tickets_carry_their_conversations_language_and_a_persons_reply_its_own(store: Store) -> None:
    turn(store, "zh1", "帮我转人工", "handoff", "zh", ticket="SB-00000A")
    turn(store, "en1", "a person please", "handoff", "en", ticket="SB-00000B")
    turn(store, "old", "a person please", "handoff", None, ticket="SB-00000C")

    assert [(t["number"], t["language"]) for t in store.tickets()] == [
        ("SB-00000A", "zh"), ("SB-00000B", "en"), ("SB-00000C", "en"),
    ]  # fmt: skip
    assert store.ticket("SB-00000A")["language"] == "zh"  # type: ignore[index]
    assert [t["language"] for t in store.tickets("open")] == ["zh", "en", "en"]

    assert store.staff_reply("SB-00000A", "agent", "你好，我来处理。")["language"] == "zh"
    assert store.staff_reply("SB-00000A", "agent", "OK, on it.")["language"] == "en"
    assert store.staff_reply("SB-00000A", "agent", "429 !")["language"] == "zh"  # no words: the conversation's


def test_the_desk_gives_each_ticket_transcript_and_conversation_its_language(store: Store) -> None:
    turn(store, "zh1", "API key 在哪里看", "answer", "zh")
    turn(store, "zh1", "帮我转人工", "handoff", "zh", ticket="SB-00000A")
    desk = SupportDesk(store)
    desk.reply("SB-00000A", "agent", "好的，马上看。")

    ticket = desk.ticket("SB-00000A")
    conversation = desk.conversation("zh1")

    assert desk.tickets()[0].language == ticket.language == conversation.language == "zh"
    assert [line.language for line in ticket.transcript] == ["zh", "zh", "zh"]
    assert ticket.to_json()["language"] == "zh" and conversation.to_json()["language"] == "zh"
    assert desk.activity(7).languages[0].language == "zh"
