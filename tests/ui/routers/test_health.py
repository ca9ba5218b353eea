"""Liveness, readiness and Prometheus metrics (ui/routers/health.py)."""

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


def test_healthz_reports_ok(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_metrics_count_requests_latency_and_routes(client: TestClient) -> None:
    routes = [client.post("/api/v1/chat", json={"message": m}).json()["route"] for m in ("invoice as PDF", UNRELATED)]
    client.post("/api/v1/chat", json={"message": "x" * 5000})

    text = client.get("/metrics").text
    assert routes[1] == "fallback"

    assert 'supportbot_requests_total{method="POST",path="/api/v1/chat",status="200"} 2' in text
    assert 'supportbot_requests_total{method="POST",path="/api/v1/chat",status="413"} 1' in text
    assert 'supportbot_request_seconds_bucket{le="+Inf"} 3' in text
    fallbacks = routes.count("fallback")
    assert f'supportbot_replies_total{{route="fallback"}} {fallbacks}' in text
    assert f"supportbot_fallbacks_total {fallbacks}" in text and "supportbot_handoffs_total 0" in text


def test_readiness_is_503_when_the_database_does_not_answer(
    client: TestClient, fake_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(type(fake_assistant.desk), "ping", lambda self: False)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"error": "not ready: the database does not answer"}
