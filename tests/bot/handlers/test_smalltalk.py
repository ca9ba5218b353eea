"""The small-talk handler: brief answers from assistant.yaml, and a "no" to the person offered."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.types import Route
from tests.bot.turns import parts, state, turn

pytestmark = pytest.mark.unit


def test_a_greeting_names_the_company_and_offers_the_main_menu(settings: Settings) -> None:
    _, outcome = turn("hello", parts(settings))

    assert outcome.reply.reply == (
        "Hello! I can help with the Meridian AI API, errors, choosing a model, billing and data privacy. "
        "What can I do for you?"
    )
    assert (outcome.reply.route, outcome.reply.intent) == (Route.SMALLTALK, "greeting")
    assert outcome.reply.quick_replies == ("Choose a model", "Fix an API error", "Pricing")
    assert outcome.state.last_intent == "greeting"


def test_declining_a_person_keeps_the_conversation_with_the_bot(settings: Settings) -> None:
    _, outcome = turn("no thanks", parts(settings), state=state(offered_person="flow_unresolved", fallbacks=1))

    assert outcome.reply.reply.startswith("Alright. If you want a person later, just say so.")
    assert (outcome.reply.route, outcome.reply.intent) == (Route.SMALLTALK, None)
    assert outcome.state.offered_person is None and outcome.state.fallbacks == 1 and outcome.ticket is None
