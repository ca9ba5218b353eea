"""The conversation store against real databases: SQLite always, PostgreSQL when
``SUPPORTBOT_TEST_DATABASE_URL`` points at one (``.ci/run`` starts one and sets it; in CI its
absence is an error, not a skip)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.assistant import Assistant
from bot.config import Settings
from bot.store import Store, TicketDraft
from bot.types import Route
from index.embedders.fake import HashEmbedder
from tests.helpers import UNRELATED

pytestmark = pytest.mark.integration


def reply(text: str, route: str = "answer") -> dict[str, object]:
    return {"reply": text, "route": route, "intent": None, "confidence": 0.5}


def test_migrating_twice_keeps_the_data(store: Store) -> None:
    store.save_turn("c1", "hello", reply("hi"), {"fallbacks": 0}, "bot")

    store.migrate()

    assert store.count("turns") == 1


def test_turns_keep_their_order_and_the_conversation_its_latest_state(store: Store) -> None:
    store.save_turn("c1", "first", reply("one"), {"step": 1}, "bot")
    store.save_turn("c1", "second", reply("two"), {"step": 2}, "bot")

    conversation = store.conversation("c1")
    assert conversation is not None
    assert (conversation.turns, conversation.state, conversation.status) == (2, {"step": 2}, "bot")
    assert [(t["seq"], t["customer"], t["reply"]["reply"]) for t in store.transcript("c1")] == [
        (1, "first", "one"),
        (2, "second", "two"),
    ]
    assert store.conversation("nobody") is None


def test_a_repeated_client_message_is_stored_once_and_answered_the_same(store: Store) -> None:
    first = store.save_turn("c1", "hello", reply("hi"), {}, "bot", client_message_id="m-1")
    again = store.save_turn("c1", "hello", reply("a different reply"), {}, "bot", client_message_id="m-1")

    assert again == first
    assert store.count("turns") == 1
    assert store.find_reply("c1", "m-1") == first
    # The same client id in another conversation is another message.
    store.save_turn("c2", "hello", reply("hi"), {}, "bot", client_message_id="m-1")
    assert store.count("turns") == 2


def test_concurrent_repeats_of_one_message_store_one_turn(store: Store) -> None:
    store.save_turn("c1", "opening", reply("welcome"), {}, "bot")
    results: list[dict[str, object]] = []

    def send(n: int) -> None:
        results.append(store.save_turn("c1", "hello", reply(f"reply {n}"), {}, "bot", client_message_id="m-9"))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert store.count("turns") == 2
    assert len({r["reply"] for r in results}) == 1


def test_a_turn_and_its_ticket_are_written_together_or_not_at_all(store: Store) -> None:
    store.save_turn(
        "c1", "help", reply("ticket", "handoff"), {"n": 1}, "handoff", ticket=TicketDraft("SB-1", "asked", {})
    )

    with pytest.raises(IntegrityError):  # the ticket number is taken: the whole turn fails
        store.save_turn(
            "c1", "again", reply("x", "handoff"), {"n": 2}, "handoff", ticket=TicketDraft("SB-1", "asked", {})
        )

    conversation = store.conversation("c1")
    assert conversation is not None and conversation.state == {"n": 1}
    assert [t["customer"] for t in store.transcript("c1")] == ["help"]
    assert [t["number"] for t in store.tickets()] == ["SB-1"]


def test_feedback_is_kept(store: Store) -> None:
    store.add_feedback("c1", True, "great answer")
    store.add_feedback("c1", False, "x" * 900)

    rows = store.feedback("c1")
    assert [r["helpful"] for r in rows] == [True, False]
    assert len(rows[1]["message"]) == 500
    assert store.ping()


def _assistant(settings: Settings) -> Assistant:
    a = Assistant(settings, embedder=HashEmbedder())
    a.warm_up(progress=False)
    return a


def test_a_conversation_continues_after_a_restart(settings: Settings) -> None:
    first = _assistant(settings)
    opening = first.reply(None, UNRELATED)
    assert opening.route is Route.FALLBACK

    restarted = _assistant(settings)
    second = restarted.reply(opening.conversation_id, UNRELATED + " again")

    # Two fallbacks in a row hand over, even across the restart.
    assert second.route is Route.HANDOFF and second.ticket
    assert restarted.reply(opening.conversation_id, "hello?").route is Route.HANDOFF


def test_a_repeated_request_gets_the_stored_reply(settings: Settings) -> None:
    bot = _assistant(settings)
    first = bot.reply("c-7", UNRELATED, client_message_id="client-1")
    again = bot.reply("c-7", UNRELATED, client_message_id="client-1")

    assert again == first
    assert bot.store.conversation("c-7").turns == 1  # type: ignore[union-attr]


def test_a_write_from_a_stale_read_is_refused_and_changes_nothing(store: Store) -> None:
    from bot.store import StaleConversation

    store.save_turn("c1", "first", reply("one"), {"n": 1}, "bot", expected_version=0)
    read = store.conversation("c1")
    assert read is not None and read.version == 1
    store.save_turn("c1", "from another worker", reply("two"), {"n": 2}, "bot", expected_version=1)

    with pytest.raises(StaleConversation):
        store.save_turn("c1", "late", reply("three"), {"n": 99}, "bot", expected_version=read.version)

    after = store.conversation("c1")
    assert after is not None and (after.state, after.turns, after.version) == ({"n": 2}, 2, 2)


def test_two_writers_creating_one_conversation_keep_only_the_first(store: Store) -> None:
    from bot.store import StaleConversation

    store.save_turn("c2", "first", reply("one"), {"n": 1}, "bot", expected_version=0)

    with pytest.raises(StaleConversation):  # both read "no such conversation"; the second is refused
        store.save_turn("c2", "second", reply("two"), {"n": 2}, "bot", expected_version=0)

    after = store.conversation("c2")
    assert after is not None and (after.state, after.turns, after.version) == ({"n": 1}, 1, 1)
    assert [t["customer"] for t in store.transcript("c2")] == ["first"]


def test_two_workers_share_one_conversation(settings: Settings) -> None:
    worker_a, worker_b = _assistant(settings), _assistant(settings)

    first = worker_a.reply(None, UNRELATED)
    second = worker_b.reply(first.conversation_id, UNRELATED + " again")

    # Worker B saw worker A's fallback: two in a row hand over.
    assert second.route is Route.HANDOFF and second.ticket
    # Worker A's cached state is stale; its next turn reads the handoff and stays quiet.
    assert worker_a.reply(first.conversation_id, "hello?").ticket == second.ticket


def test_a_release_by_staff_reaches_a_worker_that_cached_the_conversation(settings: Settings) -> None:
    bot = _assistant(settings)
    opening = bot.reply(None, UNRELATED)
    handed = bot.reply(opening.conversation_id, UNRELATED + " again")  # two fallbacks: handed over
    quiet = bot.reply(opening.conversation_id, "hello?")  # quiet, and cached as handed over
    assert handed.ticket and quiet.route is Route.HANDOFF

    Store(settings.resolved_database_url).release(opening.conversation_id)

    assert bot.reply(opening.conversation_id, UNRELATED).route is Route.FALLBACK


def test_a_failing_turn_write_raises_sqlalchemys_error_and_leaves_nothing_behind(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    store.migrate()
    store.save_turn("c1", "help", reply("first"), {"n": 1}, "bot")
    with store.engine.begin() as c:  # the database loses a table the turn needs
        c.exec_driver_sql("DROP TABLE tickets")

    with pytest.raises(OperationalError, match="tickets"):  # not sqlite3's own error
        store.save_turn(
            "c1", "a person", reply("x", "handoff"), {"n": 2}, "handoff", ticket=TicketDraft("SB-9", "asked", {})
        )

    conversation = store.conversation("c1")
    assert conversation is not None and conversation.state == {"n": 1} and conversation.turns == 1
    assert [t["customer"] for t in store.transcript("c1")] == ["help"]
