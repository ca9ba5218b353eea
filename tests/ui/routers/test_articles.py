"""Knowledge-base articles at ``/kb/{id}`` (ui/routers/articles.py, ui/pages/article.py): the pages
behind the source links of a reply."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from bot import Assistant
from ui.app import create_app


@pytest.fixture
def client(fake_assistant: Assistant) -> TestClient:
    return TestClient(create_app(fake_assistant))


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
