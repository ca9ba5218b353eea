"""The handler registry, and what every reply does to the conversation's state."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.handlers import HANDLERS, get_handler
from bot.types import Route
from tests.bot.turns import hit, parts, state, turn

pytestmark = pytest.mark.unit


def test_an_unregistered_route_names_the_known_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    get_handler(Route.FALLBACK)  # registers the shipped handlers
    monkeypatch.delitem(HANDLERS, Route.FALLBACK)

    with pytest.raises(KeyError, match=r"no handler for route 'fallback'; known: .*answer.*@register"):
        get_handler(Route.FALLBACK)
    with pytest.raises(ValueError):
        get_handler("no-such-route")


def test_every_route_has_a_handler() -> None:
    assert set(HANDLERS) == set(Route)


def test_a_reply_remembers_the_message_and_settles_an_offer_of_a_person(settings: Settings) -> None:
    before = state(offered_person="flow_unresolved", recent=("one", "two", "three", "four", "five"))

    _, outcome = turn("where is my invoice", parts(settings), [hit("invoices", 0.9, 0.9)], state=before)

    assert outcome.state.offered_person is None
    assert outcome.state.recent == ("two", "three", "four", "five", "where is my invoice")
    assert before.recent[0] == "one"  # the state before the turn is left as it was
