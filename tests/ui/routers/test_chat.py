"""The customer's chat under ``/api/v1`` (ui/routers/chat.py) through HTTP: FastAPI's test client
over the real app and a real SQLite store."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from bot import Assistant
from tests.helpers import REPLY_FIELDS, UNRELATED
from ui.app import create_app

pytestmark = pytest.mark.unit


@pytest.fixture
def client(fake_assistant: Assistant) -> TestClient:
    return TestClient(create_app(fake_assistant), raise_server_exceptions=False)


def test_chat_answers_with_every_reply_field_and_remembers_the_conversation(client: TestClient) -> None:
    first = client.post("/api/v1/chat", json={"message": "how do I download an invoice as PDF"})
    second = client.post(
        "/api/v1/chat", json={"conversation_id": first.json()["conversation_id"], "message": UNRELATED}
    )

    assert first.status_code == 200 and set(first.json()) == REPLY_FIELDS | {"language"}
    assert first.json()["sources"][0]["id"] == "invoices"
    assert second.json()["conversation_id"] == first.json()["conversation_id"]
    transcript = client.get(f"/api/v1/conversations/{first.json()['conversation_id']}").json()
    assert [t["customer"] for t in transcript["turns"]] == ["how do I download an invoice as PDF", UNRELATED]
    assert transcript["turns"][0]["reply"]["reply"] == first.json()["reply"]


def test_a_repeated_client_message_id_is_answered_once(client: TestClient, fake_assistant: Assistant) -> None:
    body = {"conversation_id": "conv-42", "message": "how do I download an invoice", "client_message_id": "m-1"}

    replies = [client.post("/api/v1/chat", json=body).json() for _ in range(3)]

    assert replies[0] == replies[1] == replies[2]
    assert len(client.get("/api/v1/conversations/conv-42").json()["turns"]) == 1


def test_an_oversized_message_gets_413_with_a_json_error(client: TestClient, fake_assistant: Assistant) -> None:
    limit = fake_assistant.settings.max_message_chars

    response = client.post("/api/v1/chat", json={"message": "x" * (limit + 1)})

    assert response.status_code == 413
    assert str(limit) in response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        json.dumps({"message": 42}).encode(),
        json.dumps({"text": "the wrong field"}).encode(),
        json.dumps({"message": "   "}).encode(),
        json.dumps({"message": "hi", "conversation_id": "../../etc/passwd"}).encode(),
    ],
    ids=["malformed", "wrong-type", "missing-field", "blank", "bad-id"],
)
def test_bad_requests_get_422_with_a_json_error_and_no_trace(client: TestClient, body: bytes) -> None:
    response = client.post("/api/v1/chat", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 422
    assert response.json()["error"]
    assert "Traceback" not in response.text


def test_streaming_sends_the_text_in_pieces_then_the_whole_reply(client: TestClient) -> None:
    with client.stream("POST", "/api/v1/chat/stream", json={"message": "how do I download an invoice"}) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        raw = "".join(r.iter_text())

    events = [block.split("\n", 1) for block in raw.strip().split("\n\n")]
    names = [e[0].removeprefix("event: ") for e in events]
    datas = [json.loads(e[1].removeprefix("data: ")) for e in events]
    assert names[-1] == "reply" and set(names[:-1]) == {"delta"} and len(names) > 2
    assert "".join(d["text"] for d in datas[:-1]) == datas[-1]["reply"]
