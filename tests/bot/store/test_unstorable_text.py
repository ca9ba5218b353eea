"""Text no database can store (NUL characters, lone UTF-16 surrogates) is cleaned before it is
stored, on SQLite and PostgreSQL alike: a chat message, a feedback text and a client message id
are kept without those characters, and a message made only of them, or of zero-width
characters, is refused as empty (422), never a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot import Assistant
from bot.config import Settings
from bot.store import Store
from index.embedders.fake import HashEmbedder
from ui.app import create_app

pytestmark = pytest.mark.unit


def post(client: TestClient, path: str, body: dict[str, Any]) -> Any:
    """``body`` as a client sends it: JSON with ``\\u`` escapes, so a lone surrogate travels too."""
    return client.post(path, content=json.dumps(body), headers={"content-type": "application/json"})


@pytest.fixture
def client(store: Store, settings: Settings) -> Iterator[TestClient]:
    url = store.engine.url.render_as_string(hide_password=False)
    assistant = Assistant(settings.model_copy(update={"database_url": url}), embedder=HashEmbedder())
    assistant.warm_up(progress=False)
    yield TestClient(create_app(assistant), raise_server_exceptions=False)
    assistant.store.engine.dispose()


def test_nul_and_lone_surrogates_are_dropped_and_the_turn_is_stored(client: TestClient) -> None:
    sent = post(
        client, "/api/v1/chat", {"message": "how do i reset my\x00 password\ud800", "client_message_id": "m\x001"}
    )
    assert sent.status_code == 200, sent.text
    conversation = sent.json()["conversation_id"]

    again = post(
        client,
        "/api/v1/chat",
        {"conversation_id": conversation, "message": "how do i reset my password", "client_message_id": "m1"},
    )
    feedback = post(
        client, "/api/v1/feedback", {"conversation_id": conversation, "helpful": False, "message": "bad\x00\udc80"}
    )

    assert again.json() == sent.json()  # the cleaned id is the same message: answered once
    assert feedback.status_code in (200, 204), feedback.text


@pytest.mark.parametrize("message", ["\x00\x00\x00", "\u200b\u200b", " \ufeff\u200d ", "\ud800"])
def test_a_message_of_nothing_visible_is_refused_as_empty(client: TestClient, message: str) -> None:
    response = post(client, "/api/v1/chat", {"message": message})

    assert response.status_code == 422
    assert "empty" in response.text
