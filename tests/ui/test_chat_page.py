"""The web server: health check, article pages behind the source links, and the chat page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from bot.assistant import Assistant
from bot.types import Reply, Route, Source
from tests.helpers import UNRELATED, serving
from ui.chat import build_page, format_reply, staff_update
from ui.server import create_app


@pytest.fixture
def client(fake_assistant: Assistant) -> TestClient:
    return TestClient(create_app(fake_assistant))


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
def test_healthz_reports_ok(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.unit
def test_article_page_shows_the_article_with_working_links(client: TestClient) -> None:
    response = client.get("/kb/rate-limits")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<title>Rate limits and quotas</title>" in page
    assert "<h1>Rate limits and quotas</h1>" in page
    assert re.search(r"<h2[^>]*>Handling 429 responses</h2>", page)
    assert "<pre><code" in page
    assert '<a href="/kb/api-keys">API keys</a>' in page
    assert "kb:" not in page


@pytest.mark.unit
def test_unknown_article_is_404(client: TestClient) -> None:
    response = client.get("/kb/no-such-article")

    assert response.status_code == 404
    assert "no-such-article" in response.text


@pytest.mark.unit
def test_article_page_escapes_html_in_the_knowledge(fake_assistant: Assistant) -> None:
    from tests.helpers import write_article

    write_article(
        fake_assistant.settings.knowledge_dir / "articles",
        "xss",
        "---\nid: xss\ntitle: <script>alert(1)</script> tips\n---\n"
        + "Never paste <script>alert(2)</script> into the console, it is a trick. " * 3,
    )
    client = TestClient(create_app(Assistant(fake_assistant.settings, embedder=fake_assistant.embedder)))

    page = client.get("/kb/xss").text

    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; tips" in page


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
    fake_assistant.settings.max_message_chars = 20
    with serving(fake_assistant) as url:
        turns = chat(url, ["a message that is longer than twenty characters"])

    assert turns == ["Sorry, I can't take that message: the message has 47 characters; the limit is 20."]


@pytest.mark.unit
def test_chat_page_does_not_phone_home(fake_assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRADIO_ANALYTICS_ENABLED", raising=False)

    assert build_page(fake_assistant).analytics_enabled is False


@pytest.mark.integration
def test_real_server_serves_health_and_shipped_articles(assistant: Assistant) -> None:
    client = TestClient(create_app(assistant))

    assert client.get("/healthz").json() == {"status": "ok"}
    page = client.get("/kb/error-401-unauthorized")
    assert page.status_code == 200
    assert "Error 401: unauthorized</h1>" in page.text
    assert "missing_api_key" in page.text
    assert client.get("/kb/error-999-imaginary").status_code == 404


@pytest.mark.integration
def test_every_source_link_of_an_answer_opens_an_article_page(assistant: Assistant) -> None:
    client = TestClient(create_app(assistant))
    reply = assistant.reply(None, "my api key keeps returning 401")

    assert reply.sources
    for source in reply.sources:
        path = source.url.partition("#")[0]
        response = client.get(path)
        assert response.status_code == 200
        assert f"<h1>{source.title}</h1>" in response.text


@pytest.mark.integration
def test_source_link_anchor_lands_on_the_cited_section(assistant: Assistant) -> None:
    client = TestClient(create_app(assistant))
    source = assistant.reply(None, "how do i get last month's invoice as pdf").sources[0]
    path, _, anchor = source.url.partition("#")

    assert anchor
    assert f'id="{anchor}"' in client.get(path).text


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
