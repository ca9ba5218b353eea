"""Tickets in the store: the queue, release, close, and a customer writing to a closed ticket;
what is missing is ``NotFound``, a change to a closed ticket ``Conflict``. SQLite always,
PostgreSQL when ``SUPPORTBOT_TEST_DATABASE_URL`` points at one (see tests/bot/conftest.py)."""

from __future__ import annotations

import pytest

from bot.errors import Conflict, NotFound
from bot.store import Store, TicketDraft

pytestmark = pytest.mark.integration


def reply(text: str, route: str = "answer") -> dict[str, object]:
    return {"reply": text, "route": route, "intent": None, "confidence": 0.5}


def test_release_gives_the_conversation_back_and_closes_its_tickets(store: Store) -> None:
    summary = {"reason": "asked", "customer_words": ["a person please"]}
    store.save_turn(
        "c1", "a person please", reply("ok", "handoff"), {}, "handoff", ticket=TicketDraft("SB-2", "asked", summary)
    )

    assert store.tickets("open")[0]["summary"] == summary
    store.release("c1")

    conversation = store.conversation("c1")
    assert conversation is not None and conversation.status == "bot"
    assert store.tickets("open") == [] and store.ticket("SB-2")["status"] == "closed"  # type: ignore[index]


def test_a_customer_writing_after_staff_closed_the_ticket_reopens_it(store: Store) -> None:
    store.save_turn(
        "c1", "a person please", reply("ok", "handoff"), {}, "handoff", ticket=TicketDraft("SB-3", "asked", {}),
    )  # fmt: skip
    store.close("SB-3", release=False)
    assert store.tickets("open") == []

    store.save_turn("c1", "hello? anyone?", reply("added to SB-3", "handoff"), {}, "handoff", adds_to="SB-3")

    assert [t["number"] for t in store.tickets("open")] == ["SB-3"]


def test_a_closed_ticket_takes_no_claim_and_no_reply_and_an_unknown_one_is_not_found(store: Store) -> None:
    store.save_turn(
        "c1", "a person please", reply("ok", "handoff"), {}, "handoff", ticket=TicketDraft("SB-4", "asked", {}),
    )  # fmt: skip
    store.close("SB-4", release=False)

    with pytest.raises(Conflict, match="ticket SB-4 is closed"):
        store.claim("SB-4", "agent")
    with pytest.raises(Conflict, match="ticket SB-4 is closed"):
        store.staff_reply("SB-4", "agent", "hello")
    for change in (lambda: store.claim("SB-FFFFFF", "agent"), lambda: store.close("SB-FFFFFF")):
        with pytest.raises(NotFound, match="no ticket SB-FFFFFF"):
            change()
    assert store.ticket("SB-FFFFFF") is None


def test_a_persons_reply_is_a_staff_turn_and_claims_the_ticket(store: Store) -> None:
    store.save_turn(
        "c1", "a person please", reply("ok", "handoff"), {}, "handoff", ticket=TicketDraft("SB-5", "asked", {}),
    )  # fmt: skip

    written = store.staff_reply("SB-5", "agent", "Hi, a person here.")

    assert (written["reply"], written["staff"], written["ticket"]) == ("Hi, a person here.", "agent", "SB-5")
    ticket = store.ticket("SB-5")
    assert ticket is not None and (ticket["status"], ticket["assignee"]) == ("claimed", "agent")
    assert [(t["author"], t["customer"]) for t in ticket["transcript"]] == [("bot", "a person please"), ("staff", "")]
