"""The customer chat page at ``/`` (ui/chat_page.py): Gradio's API, sources as links, feedback,
a person's replies after a handoff."""

from __future__ import annotations

import pytest

from bot import Assistant, Reply, Route, Source
from tests.helpers import UNRELATED, serving
from ui.chat_page import build_page, format_reply, staff_update


def chat(base_url: str, messages: list[str]) -> list[str]:
    """Send ``messages`` through the page's chat endpoint; returns the assistant's turns as text."""
    from gradio_client import Client

    client = Client(base_url, verbose=False)
    history: list = []
    for message in messages:
        _, history = client.predict(message, history, api_name="/chat")
    out = []
    for turn in history:
        if turn["role"] == "assistant":
            content = turn["content"]
            out.append(content if isinstance(content, str) else " ".join(c.get("text", "") for c in content))
    return out


@pytest.mark.unit
def test_chat_reply_lists_its_sources_as_links() -> None:
    reply = Reply(
        reply="Open Billing.",
        route=Route.ANSWER,
        conversation_id="c",
        sources=(
            Source("invoices", "Invoices", 0.9, "/kb/invoices#pdf"),
            Source("vat", "VAT", 0.85, "/kb/vat"),
        ),
    )

    assert format_reply(reply) == "Open Billing.\n\n*Sources:* [Invoices](/kb/invoices#pdf) · [VAT](/kb/vat)"


@pytest.mark.unit
def test_chat_page_answers_through_the_gradio_api(fake_assistant: Assistant) -> None:
    with serving(fake_assistant) as url:
        turns = chat(url, ["hi", "how do I download an invoice as a PDF", "   "])

    assert len(turns) == 2  # a blank message gets no reply
    assert turns[0].startswith("Hello!")
    assert "Open Billing, then Invoices" in turns[1]
    assert "[Invoices and receipts](/kb/invoices#downloading-an-invoice-as-pdf)" in turns[1]


@pytest.mark.unit
def test_chat_page_explains_a_refused_message(fake_assistant: Assistant) -> None:
    limited = fake_assistant.settings.model_copy(update={"max_message_chars": 20})  # settings are not changed in place
    with serving(Assistant(limited, embedder=fake_assistant.embedder)) as url:
        turns = chat(url, ["a message that is longer than twenty characters"])

    assert turns == ["Sorry, I can't take that message: the message has 47 characters; the limit is 20."]


@pytest.mark.unit
def test_chat_page_does_not_phone_home(fake_assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRADIO_ANALYTICS_ENABLED", raising=False)

    assert build_page(fake_assistant).analytics_enabled is False


@pytest.mark.integration
def test_real_chat_page_answers_a_customer(assistant: Assistant) -> None:
    with serving(assistant) as url:
        turns = chat(url, ["my api key keeps returning 401"])

    assert "401" in turns[0]
    assert "](/kb/error-401-unauthorized" in turns[0]


@pytest.mark.unit
def test_chat_page_shows_a_persons_reply_after_handoff_and_stops_when_released(fake_assistant: Assistant) -> None:
    first = fake_assistant.reply(None, UNRELATED)
    handed = fake_assistant.reply(first.conversation_id, UNRELATED + " again")
    assert handed.ticket
    cid, history = handed.conversation_id, [{"role": "assistant", "content": handed.reply}]
    seen = fake_assistant.store.conversation(cid).turns  # type: ignore[union-attr]

    assert staff_update(fake_assistant, history, cid, seen) is None  # nobody has written yet
    fake_assistant.store.staff_reply(handed.ticket, "agent1", "Hello, I am looking at your account now.")
    update = staff_update(fake_assistant, history, cid, seen)
    assert update is not None
    history, seen = update
    assert history[-1]["content"] == "**Support team:** Hello, I am looking at your account now."
    assert staff_update(fake_assistant, history, cid, seen) is None  # shown once only

    fake_assistant.store.close(handed.ticket, release=True)
    released = staff_update(fake_assistant, history, cid, seen)
    assert released is not None and released[1] is None  # back with the bot: the page stops asking
