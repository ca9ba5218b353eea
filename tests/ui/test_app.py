"""The application as a whole (ui/app.py): one mapping of error types to status codes, the
routers it serves, its OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot import Assistant, Conflict, InputError, NotFound
from ui.app import create_app

pytestmark = pytest.mark.unit


@pytest.fixture
def client(fake_assistant: Assistant) -> TestClient:
    return TestClient(create_app(fake_assistant), raise_server_exceptions=False)


def test_unknown_conversation_is_404_and_readiness_is_reported(client: TestClient) -> None:
    assert client.get("/api/v1/conversations/nobody").status_code == 404
    assert client.get("/readyz").json() == {"ok": True}


def test_the_openapi_document_types_every_request_and_response(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]

    assert {"ChatRequest", "ChatResponse", "TranscriptOut", "FeedbackRequest", "ErrorOut"} <= set(schemas)
    assert schemas["ChatResponse"]["properties"]["flow"]["anyOf"][0]["$ref"].endswith("FlowOut")


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFound("no ticket SB-000001"), 404),
        (Conflict("no ticket SB-000001"), 409),  # the type decides, never the message
        (InputError("the message is empty"), 422),
        (RuntimeError("secret detail"), 500),
    ],
)
def test_each_error_type_is_answered_with_its_status_and_a_json_error(
    client: TestClient, fake_assistant: Assistant, monkeypatch: pytest.MonkeyPatch, error: Exception, status: int
) -> None:
    def fail(*_: Any) -> None:
        raise error

    monkeypatch.setattr(fake_assistant, "reply", fail)

    response = client.post("/api/v1/chat", json={"message": "hello"})

    assert response.status_code == status
    expected = str(error) if status != 500 else "internal error (RuntimeError)"
    assert response.json() == {"error": expected}


def test_without_a_sign_in_the_console_sends_to_the_form_and_the_api_asks_for_credentials(client: TestClient) -> None:
    page = client.get("/staff/analytics", follow_redirects=False)
    api = client.get("/api/v1/tickets")

    assert page.status_code == 303 and page.headers["location"] == "/staff/login"
    assert api.status_code == 401 and api.headers["www-authenticate"] == "Basic"
    assert api.json() == {"error": "staff sign-in required"}


def test_one_app_serves_the_chat_page_the_api_docs_and_the_console(client: TestClient) -> None:
    for path in ("/", "/docs", "/staff/login", "/healthz", "/widget.js"):
        assert client.get(path).status_code == 200, path
    paths = client.get("/openapi.json").json()["paths"]
    api = {"/api/v1/chat", "/api/v1/chat/stream", "/api/v1/conversations/{conversation_id}", "/api/v1/feedback"}
    staff = {"/api/v1/tickets", "/api/v1/tickets/{number}/claim", "/api/v1/tickets/{number}/close"}
    assert api | staff | {"/healthz", "/readyz", "/metrics", "/kb/{doc_id}"} <= set(paths)
    assert not any(p.startswith("/staff") or p == "/widget.js" for p in paths)
