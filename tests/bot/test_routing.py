"""Routing: small talk by rule, answers above the configured threshold, fallback below."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.handlers import HANDLERS, get_handler
from bot.handlers.answer import sources_for
from bot.handlers.smalltalk import smalltalk_intent
from bot.routing import decide
from bot.types import Route
from index.types import Chunk, Hit

pytestmark = pytest.mark.unit


def hit(doc_id: str, score: float, dense: float, anchor: str = "") -> Hit:
    chunk = Chunk(doc_id=doc_id, heading=anchor.title(), anchor=anchor, text="Some text.")
    return Hit(
        doc_id=doc_id,
        title=doc_id.title(),
        url=f"/kb/{doc_id}",
        score=score,
        dense=dense,
        sparse=0.0,
        chunk=chunk,
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hi", "greeting"),
        ("Hey there!", "greeting"),
        ("good morning, team", "greeting"),
        ("Thank you so much!", "thanks"),
        ("cheers", "thanks"),
        ("Goodbye.", "goodbye"),
        ("have a nice day", "goodbye"),
        ("hi, my key fails", None),
        ("thanks but the 429 is still there", None),
        ("hello world program in python", None),
    ],
)
def test_small_talk_is_recognised_only_as_a_whole_message(text: str, intent: str | None) -> None:
    assert smalltalk_intent(text) == intent


def test_threshold_from_settings_decides_between_answer_and_fallback(settings: Settings) -> None:
    hits = [hit("invoices", 0.9, 0.6)]

    assert (
        decide("where is my invoice", hits, settings.model_copy(update={"answer_threshold": 0.6})).route is Route.ANSWER
    )
    assert (
        decide("where is my invoice", hits, settings.model_copy(update={"answer_threshold": 0.61})).route
        is Route.FALLBACK
    )
    assert decide("where is my invoice", [], settings).route is Route.FALLBACK


def test_confidence_is_the_top_documents_cosine_clipped_to_one(settings: Settings) -> None:
    assert decide("q", [hit("a", 1.3, 1.0000002)], settings).confidence == 1.0
    assert decide("q", [hit("a", 0.2, -0.1)], settings).confidence == 0.0


def test_only_sources_close_to_the_best_are_cited() -> None:
    hits = (hit("a", 0.90, 0.6, "intro"), hit("b", 0.85, 0.6), hit("c", 0.50, 0.6), hit("d", 0.89, 0.6))

    sources = sources_for(hits, limit=3)

    assert [s.id for s in sources] == ["a", "b"]
    assert sources[0].url == "/kb/a#intro" and sources[1].url == "/kb/b"


def test_an_unregistered_route_names_the_known_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    get_handler(Route.FALLBACK)  # registers the shipped handlers
    monkeypatch.delitem(HANDLERS, Route.FALLBACK)

    with pytest.raises(KeyError, match=r"no handler for route 'fallback'; known: .*answer.*@register"):
        get_handler(Route.FALLBACK)
    with pytest.raises(ValueError):
        get_handler("no-such-route")
