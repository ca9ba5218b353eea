"""The fallback handler: no guess, what the assistant can help with, the support team's address."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.types import Route
from tests.bot.turns import COPY, parts, turn

pytestmark = pytest.mark.unit


def test_a_fallback_says_it_does_not_know_and_names_the_support_contact(settings: Settings) -> None:
    _, outcome = turn("zebra migration", parts(settings))

    reply = outcome.reply
    assert reply.route is Route.FALLBACK and reply.sources == ()
    assert reply.reply.startswith("I don't know the answer to that, and I'd rather not guess.")
    assert COPY.say("brand.support_contact") in reply.reply and "more about Meridian AI" in reply.reply
    assert reply.quick_replies == ("How do I reach a person?", "Choose a model", "Fix an API error")
    assert outcome.state.fallbacks == 1 and outcome.ticket is None
