"""The handoff handler: a ticket with the conversation's summary, then quiet until staff release it."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.state import FlowProgress, Status
from bot.types import Route
from tests.bot.turns import parts, prediction, state, turn

pytestmark = pytest.mark.unit

ROUTES = {"human_handoff": "handoff", "complaint": "handoff"}


def test_asking_for_a_person_opens_a_ticket_and_goes_quiet(settings: Settings) -> None:
    before = state(recent=("my key fails",), tried=("api-keys",), last_intent="account_keys", fallbacks=1)

    _, outcome = turn(
        "I want to talk to a person", parts(settings, ROUTES), p=prediction("human_handoff", 0.95), state=before
    )

    reply, after, ticket = outcome.reply, outcome.state, outcome.ticket
    assert ticket is not None and reply.ticket == ticket.number == after.ticket
    assert reply.route is Route.HANDOFF and reply.confidence == 1.0 and reply.intent == "human_handoff"
    assert reply.reply.startswith(
        f"Of course. I've passed this conversation to the support team as ticket {ticket.number}"
    )
    assert "write to" not in reply.reply  # the e-mail stub is gone: the ticket is the hand-over
    assert (after.status, after.flow, after.advisor, after.fallbacks) == (Status.HANDOFF, None, None, 1)
    assert ticket.reason == "asked"
    assert ticket.summary == {
        "reason": "asked",
        "intent": "human_handoff",
        "tried": ["api-keys"],
        "flow_path": [],
        "customer_words": ["my key fails", "I want to talk to a person"],
    }


def test_frustration_is_acknowledged(settings: Settings) -> None:
    _, outcome = turn("this is useless", parts(settings, ROUTES), p=prediction("complaint", 0.95))

    assert outcome.reply.reply.startswith("I'm sorry this has been frustrating. I've passed this conversation")
    assert outcome.ticket is not None and outcome.ticket.reason == "frustrated"


def test_an_unresolved_flow_accepted_hands_over_with_its_path(settings: Settings) -> None:
    before = state(offered_person="flow_unresolved", flow=FlowProgress("rate-limit", "unresolved", ("a", "b")))

    _, outcome = turn("yes", parts(settings), state=before)

    assert outcome.ticket is not None and outcome.ticket.summary["flow_path"] == ["a", "b"]
    assert outcome.reply.reply.startswith("Thanks for working through those steps with me.")


def test_the_second_fallback_in_a_row_hands_over_and_counts_it(settings: Settings) -> None:
    _, outcome = turn("zebra migration", parts(settings), state=state(fallbacks=1))

    assert outcome.reply.reply.startswith("I couldn't answer that twice in a row, so I've passed")
    assert outcome.state.fallbacks == 2 and outcome.ticket is not None


def test_while_a_person_has_the_conversation_messages_are_only_confirmed(settings: Settings) -> None:
    before = state(status=Status.HANDOFF, ticket="SB-00AA11", recent=("x",))

    _, outcome = turn("hello?", parts(settings), state=before)

    assert (
        outcome.reply.reply
        == "Your message was added to ticket SB-00AA11. A person from the support team will reply here."
    )
    assert (outcome.reply.route, outcome.reply.ticket) == (Route.HANDOFF, "SB-00AA11")
    assert outcome.state == before and outcome.ticket is None
