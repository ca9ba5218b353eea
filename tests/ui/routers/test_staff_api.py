"""Staff endpoints: sign-in required, then the ticket queue, claim, reply, release and close."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient

from bot import Assistant
from tests.helpers import UNRELATED
from ui.app import create_app
from ui.cli import main

pytestmark = pytest.mark.unit

STAFF = ("agent", "a long enough password")


@pytest.fixture
def client(fake_assistant: Assistant) -> TestClient:
    fake_assistant.store.add_staff(*STAFF)
    return TestClient(create_app(fake_assistant), raise_server_exceptions=False)


def handed_over(client: TestClient) -> dict[str, str]:
    """A conversation the bot handed over after two fallbacks in a row."""
    first = client.post("/api/v1/chat", json={"message": UNRELATED}).json()
    return client.post(
        "/api/v1/chat", json={"conversation_id": first["conversation_id"], "message": UNRELATED + " again"}
    ).json()


@pytest.mark.parametrize("auth", [None, ("agent", "wrong password"), ("nobody", "a long enough password")])
def test_staff_endpoints_need_valid_credentials(client: TestClient, auth: tuple[str, str] | None) -> None:
    handoff = handed_over(client)
    number = handoff["ticket"]

    for method, path in [("get", "/api/v1/tickets"), ("post", f"/api/v1/tickets/{number}/claim")]:
        response = getattr(client, method)(path, auth=auth)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Basic"


def test_a_person_takes_over_replies_and_gives_the_conversation_back(client: TestClient) -> None:
    handoff = handed_over(client)
    number, conversation = handoff["ticket"], handoff["conversation_id"]

    queue = client.get("/api/v1/tickets", params={"status": "open"}, auth=STAFF).json()
    claimed = client.post(f"/api/v1/tickets/{number}/claim", auth=STAFF).json()
    client.post(f"/api/v1/tickets/{number}/reply", json={"message": "Hi, a person here."}, auth=STAFF)
    quiet = client.post("/api/v1/chat", json={"conversation_id": conversation, "message": "thanks"}).json()
    transcript = client.get(f"/api/v1/conversations/{conversation}").json()["turns"]
    client.post(f"/api/v1/tickets/{number}/release", auth=STAFF)
    after = client.post("/api/v1/chat", json={"conversation_id": conversation, "message": UNRELATED}).json()

    assert [t["number"] for t in queue] == [number]
    assert (claimed["status"], claimed["assignee"]) == ("claimed", "agent")
    assert quiet["route"] == "handoff" and quiet["ticket"] == number
    assert [t["author"] for t in transcript][-2:] == ["staff", "bot"]
    assert transcript[-2]["reply"]["reply"] == "Hi, a person here."
    assert after["route"] == "fallback"
    assert client.get("/api/v1/tickets", params={"status": "closed"}, auth=STAFF).json()[0]["number"] == number


def test_unknown_or_closed_tickets_are_refused(client: TestClient) -> None:
    number = handed_over(client)["ticket"]
    client.post(f"/api/v1/tickets/{number}/close", auth=STAFF)

    assert client.post("/api/v1/tickets/SB-000000/claim", auth=STAFF).status_code == 404
    assert client.post(f"/api/v1/tickets/{number}/reply", json={"message": "hi"}, auth=STAFF).status_code == 409


def test_staff_add_stores_a_memory_hard_hash(
    fake_assistant: Assistant, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = fake_assistant.settings
    monkeypatch.setenv("SUPPORTBOT_KNOWLEDGE_DIR", str(settings.knowledge_dir))
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("another long password\n"))

    assert main(["staff", "add", "lead", "--password-stdin"]) == 0

    store = fake_assistant.store
    assert store.check_staff("lead", "another long password")
    assert not store.check_staff("lead", "another long passwore")
    with store.engine.connect() as c:
        stored = c.exec_driver_sql("SELECT password_hash FROM staff_accounts WHERE username = 'lead'").scalar()
    assert isinstance(stored, str)
    assert stored.startswith("scrypt$32768$8$1$") and "another long password" not in stored
