"""The answer handler: the best section, close sources only, and what the conversation remembers."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.handlers.answer import sources_for
from bot.types import Route
from tests.bot.turns import hit, parts, state, turn

pytestmark = pytest.mark.unit


def test_only_sources_close_to_the_best_are_cited() -> None:
    hits = (hit("a", 0.90, 0.6, "intro"), hit("b", 0.85, 0.6), hit("c", 0.50, 0.6), hit("d", 0.89, 0.6))

    sources = sources_for(hits, limit=3, margin=Settings().source_margin)

    assert [s.id for s in sources] == ["a", "b"]
    assert sources[0].url == "/kb/a#intro" and sources[1].url == "/kb/b"


def test_an_answer_quotes_the_section_cut_at_the_word_limit(settings: Settings) -> None:
    long = " ".join(f"w{i}" for i in range(30))
    hits = [hit("invoices", 0.9, 0.9, "pdf", "Downloading a PDF", long), hit("api-keys", 0.7, 0.5)]

    _, outcome = turn("where is my invoice", parts(settings.model_copy(update={"answer_words": 20})), hits)

    reply = outcome.reply
    assert reply.route is Route.ANSWER
    assert reply.reply.startswith("**Invoices — Downloading a PDF**") and reply.reply.endswith("w19 …")
    assert reply.quick_replies == ("Api-Keys", "How do I reach a person?")


def test_an_answer_is_remembered_as_tried_and_resets_the_fallbacks(settings: Settings) -> None:
    before = state(fallbacks=1, tried=tuple(f"t{i}" for i in range(10)))

    _, outcome = turn("where is my invoice", parts(settings), [hit("invoices", 0.9, 0.9)], state=before)

    assert outcome.state.fallbacks == 0
    assert outcome.state.last_topic == "invoices"
    assert outcome.state.tried == (*(f"t{i}" for i in range(1, 10)), "invoices")  # the last tried_items
