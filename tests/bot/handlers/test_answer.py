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


@pytest.mark.unit
def test_a_long_chinese_section_is_cut_and_links_stay_chinese() -> None:
    from bot.handlers.answer import render_section
    from index.types import Chunk, Hit

    text = "速率限制按项目计算，所有密钥共享同一额度。" * 40 + "详见[提高速率限制](kb:increase-rate-limits)。"
    chunk = Chunk(doc_id="rate-limits", heading="按套餐的速率限制", anchor="x", text=text)
    zh = Hit(
        doc_id="rate-limits",
        title="速率限制",
        url="/kb/rate-limits",
        score=1,
        dense=1,
        sparse=1,
        chunk=chunk,
        lang="zh",
    )
    shown = render_section(zh, 160)
    assert shown.endswith(" …") and len(shown) < len(text) // 2  # about 320 characters, not 800
    whole = render_section(zh, 2000)
    assert "](/kb/increase-rate-limits?lang=zh)" in whole
    english = Hit(doc_id="d", title="T", url="/kb/d", score=1, dense=1, sparse=1, chunk=chunk, lang="en")
    assert "](/kb/increase-rate-limits)" in render_section(english, 2000)
