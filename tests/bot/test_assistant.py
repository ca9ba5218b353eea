"""What a customer gets back from ``Assistant.reply`` (fake embedder, inline knowledge)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.errors import InputError, SupportbotError
from bot.state import ConversationState
from bot.store import Store
from bot.types import Reply, Route, Source
from index.embedders.fake import HashEmbedder
from tests.helpers import REPLY_FIELDS, UNRELATED

pytestmark = pytest.mark.unit


def test_answer_quotes_the_matching_section_with_its_source(fake_assistant: Assistant) -> None:
    reply = fake_assistant.reply(None, "how do I download an invoice as a PDF")

    assert reply.route is Route.ANSWER
    # The weaker matches (api-keys, rate-limits) score far below invoices and are not cited.
    assert [s.id for s in reply.sources] == ["invoices"]
    assert reply.sources[0].title == "Invoices and receipts"
    assert reply.sources[0].url == "/kb/invoices#downloading-an-invoice-as-pdf"
    assert "Open Billing, then Invoices, and click the month you need" in reply.reply
    assert "Downloading an invoice as PDF" in reply.reply
    # Only the section, not the whole article.
    assert "billing address printed on future invoices" not in reply.reply
    assert "Invoices are issued on the first day" not in reply.reply
    assert 0 < reply.confidence <= 1
    assert "How do I reach a person?" in reply.quick_replies


def test_answer_turns_knowledge_links_into_page_links(fake_assistant: Assistant) -> None:
    reply = fake_assistant.reply(None, "I lost my secret key")

    assert reply.sources[0].url == "/kb/api-keys#lost-keys"
    assert "[rate limits](/kb/rate-limits)" in reply.reply
    assert "kb:" not in reply.reply


def test_a_message_unlike_anything_falls_back_and_offers_a_person(fake_assistant: Assistant) -> None:
    reply = fake_assistant.reply(None, UNRELATED)

    assert reply.route is Route.FALLBACK
    assert reply.sources == ()
    assert "don't know" in reply.reply
    assert any("person" in q.lower() for q in reply.quick_replies)


@pytest.mark.parametrize(
    ("text", "intent"),
    [("hi", "greeting"), ("Hello there!", "greeting"), ("thanks a lot", "thanks"), ("bye", "goodbye")],
)
def test_small_talk_is_answered_briefly(fake_assistant: Assistant, text: str, intent: str) -> None:
    reply = fake_assistant.reply(None, text)

    assert reply.route is Route.SMALLTALK
    assert reply.intent == intent
    assert reply.sources == ()
    assert reply.quick_replies


def test_a_greeting_with_a_question_is_not_small_talk(fake_assistant: Assistant) -> None:
    reply = fake_assistant.reply(None, "hi, I lost my secret key")

    assert reply.route is Route.ANSWER
    assert reply.sources[0].id == "api-keys"


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_empty_message_is_refused(fake_assistant: Assistant, text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        fake_assistant.reply(None, text)


def test_a_message_over_the_limit_is_refused_with_the_limit(settings: Settings) -> None:
    assistant = Assistant(settings.model_copy(update={"max_message_chars": 50}), embedder=HashEmbedder())

    assert assistant.reply(None, "x" * 50).route is Route.FALLBACK
    with pytest.raises(ValueError, match="51 characters; the limit is 50") as info:
        assistant.reply(None, "x" * 51)
    assert isinstance(info.value, InputError) and isinstance(info.value, SupportbotError)


def test_a_message_must_be_text(fake_assistant: Assistant) -> None:
    with pytest.raises(InputError, match="bytes"):
        fake_assistant.reply(None, b"hello")  # type: ignore[arg-type]


def test_conversation_ids_are_kept_or_created(fake_assistant: Assistant) -> None:
    first = fake_assistant.reply(None, "hi")
    second = fake_assistant.reply(None, "hi")
    kept = fake_assistant.reply("conv-42", "where is my invoice")

    assert first.conversation_id and first.conversation_id != second.conversation_id
    assert kept.conversation_id == "conv-42"


def test_reply_json_has_exactly_the_documented_fields(fake_assistant: Assistant) -> None:
    data = json.loads(json.dumps(fake_assistant.reply("c1", "where is my invoice").to_json()))

    assert set(data) == REPLY_FIELDS
    assert data["route"] == "answer"
    assert data["conversation_id"] == "c1"
    assert data["ticket"] is None
    assert isinstance(data["confidence"], float) and isinstance(data["quick_replies"], list)
    assert data["sources"][0]["id"] == "invoices"
    assert {"id", "title", "score"} <= set(data["sources"][0])
    assert data["sources"][0]["url"].startswith("/kb/invoices")


def test_fallback_json_has_the_same_fields(fake_assistant: Assistant) -> None:
    data = fake_assistant.reply(None, UNRELATED).to_json()

    assert set(data) == REPLY_FIELDS
    assert (data["route"], data["sources"], data["intent"]) == ("fallback", [], None)


def test_replies_refuse_more_than_three_sources_or_odd_confidence() -> None:
    sources = tuple(Source(id=f"d{i}", title="T", score=0.5) for i in range(4))
    with pytest.raises(ValueError, match="at most 3 sources"):
        Reply(reply="x", route=Route.ANSWER, conversation_id="c", sources=sources)
    with pytest.raises(ValueError, match="confidence"):
        Reply(reply="x", route=Route.ANSWER, conversation_id="c", confidence=1.5)


def test_raising_the_answer_threshold_turns_answers_into_fallbacks(settings: Settings) -> None:
    question = "how do I download an invoice as a PDF"
    strict = Assistant(settings.model_copy(update={"answer_threshold": 0.99}), embedder=HashEmbedder())
    lenient = Assistant(settings.model_copy(update={"answer_threshold": 0.0}), embedder=HashEmbedder())

    assert strict.reply(None, question).route is Route.FALLBACK
    assert lenient.reply(None, question).route is Route.ANSWER
    assert lenient.reply(None, UNRELATED).route is Route.ANSWER


def test_max_sources_setting_caps_the_sources(settings: Settings) -> None:
    question = "API keys, rate limits, invoices and your data"
    wide = Assistant(settings.model_copy(update={"answer_threshold": 0.0}), embedder=HashEmbedder())
    narrow = Assistant(settings.model_copy(update={"answer_threshold": 0.0, "max_sources": 1}), embedder=HashEmbedder())

    assert len(wide.reply(None, question).sources) > 1
    assert len(narrow.reply(None, question).sources) == 1


def test_search_ranks_documents_for_a_query(fake_assistant: Assistant) -> None:
    hits = fake_assistant.search("the reset e-mail never arrives", k=2)

    assert hits[0].doc_id == "reset-password"
    assert len(hits) == 2


def test_document_gives_the_article_title_and_sections(fake_assistant: Assistant) -> None:
    found = fake_assistant.document("invoices")
    assert found is not None
    title, markdown = found

    assert title == "Invoices and receipts"
    assert markdown.startswith("Invoices are issued on the first day")
    assert "## Downloading an invoice as PDF" in markdown
    assert "## Changing the billing address" in markdown
    assert fake_assistant.document("no-such-article") is None


def test_feedback_is_kept_in_the_database(fake_assistant: Assistant, settings: Settings) -> None:
    fake_assistant.record_feedback("c1", "the answer", helpful=True)
    fake_assistant.record_feedback("c1", "another answer", helpful=False)

    reopened = Store(settings.resolved_database_url)
    assert reopened.feedback("c1") == [
        {"message": "the answer", "helpful": True},
        {"message": "another answer", "helpful": False},
    ]


def test_constructing_an_assistant_builds_nothing(settings: Settings) -> None:
    Assistant(settings, embedder=HashEmbedder())

    assert not settings.resolved_index_dir.exists()


def test_a_stale_write_reroutes_without_understanding_the_message_again(
    fake_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.assistant as pipeline

    fake_assistant.reply("c-race", "hi")  # version 1, kept in this worker's memory
    understood: list[str] = []
    routed: list[ConversationState] = []
    real_understand, real_route = pipeline.understand, pipeline.route

    def counting(text: str, *args: Any) -> Any:
        understood.append(text)
        return real_understand(text, *args)

    def racing(message: Any, state: ConversationState, parts: Any) -> Any:
        routed.append(state)
        if len(routed) == 1:  # another worker answers the conversation in between: one fallback
            answer = Reply(reply="x", route=Route.FALLBACK, conversation_id="c-race").to_json()
            fake_assistant.store.save_turn("c-race", "meanwhile", answer, {"fallbacks": 1}, "bot", expected_version=1)
        return real_route(message, state, parts)

    monkeypatch.setattr(pipeline, "understand", counting)
    monkeypatch.setattr(pipeline, "route", racing)

    reply = fake_assistant.reply("c-race", UNRELATED)

    assert understood == [UNRELATED]  # understood once, outside the retry
    assert [s.fallbacks for s in routed] == [0, 1]  # routed again on the state the other worker wrote
    assert reply.route is Route.HANDOFF and reply.ticket  # its fallback and this one: two in a row
