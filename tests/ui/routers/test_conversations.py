"""A customer's own conversation under ``/api/v1`` (ui/routers/conversations.py): the transcript
and feedback on a reply."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot import Assistant
from tests.helpers import UNRELATED
from ui.app import create_app

pytestmark = pytest.mark.unit


@pytest.fixture
def client(fake_assistant: Assistant) -> TestClient:
    return TestClient(create_app(fake_assistant), raise_server_exceptions=False)


def test_the_transcript_lists_each_message_with_the_reply_it_got(client: TestClient) -> None:
    first = client.post("/api/v1/chat", json={"message": "how do I download an invoice as PDF"}).json()
    client.post("/api/v1/chat", json={"conversation_id": first["conversation_id"], "message": UNRELATED})

    transcript = client.get(f"/api/v1/conversations/{first['conversation_id']}").json()

    assert transcript["conversation_id"] == first["conversation_id"] and transcript["status"] == "bot"
    assert [(t["seq"], t["author"]) for t in transcript["turns"]] == [(1, "bot"), (2, "bot")]
    assert transcript["turns"][0]["reply"]["sources"][0]["id"] == "invoices"


def test_feedback_is_stored(client: TestClient, fake_assistant: Assistant) -> None:
    response = client.post("/api/v1/feedback", json={"conversation_id": "c-9", "helpful": False, "message": "meh"})

    assert response.status_code == 200
    assert fake_assistant.store.feedback("c-9") == [{"message": "meh", "helpful": False}]


def test_feedback_on_a_bad_conversation_id_is_a_422_with_a_json_error(client: TestClient) -> None:
    response = client.post("/api/v1/feedback", json={"conversation_id": "../x", "helpful": True})

    assert response.status_code == 422
    assert "conversation_id" in response.json()["error"]
