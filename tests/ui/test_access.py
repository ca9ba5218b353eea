"""Who may call the server from another site (ui/access.py): the shop's pages with their
publishable key may chat, read the transcript and give feedback; nothing else crosses origins.
Also that any site may load the embeddable script, ``/widget.js``."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot import Assistant
from tests.helpers import REPLY_FIELDS, UNRELATED
from ui.app import create_app

pytestmark = pytest.mark.unit

SHOP = "https://shop.example"
BLOG = "https://blog.example"
STAFF = ("agent", "a long enough password")
LOGIN = {"username": STAFF[0], "password": STAFF[1]}
QUESTION = {"message": "how do I download an invoice as PDF"}


@pytest.fixture
def keys(fake_assistant: Assistant) -> dict[str, str]:
    """A key for the shop and one for the blog, made before the app first reads the keys."""
    return {SHOP: fake_assistant.store.create_widget_key([SHOP]), BLOG: fake_assistant.store.create_widget_key([BLOG])}


@pytest.fixture
def client(fake_assistant: Assistant, keys: dict[str, str]) -> TestClient:
    fake_assistant.store.add_staff(*STAFF)
    return TestClient(create_app(fake_assistant), raise_server_exceptions=False)


def from_site(origin: str, key: str | None = None) -> dict[str, str]:
    """The headers the widget's fetch sends from a page of ``origin``."""
    return {"Origin": origin, **({"X-Supportbot-Key": key} if key else {})}


def handed_over(client: TestClient) -> dict[str, str]:
    """A conversation the bot handed over after two fallbacks in a row (no Origin: not a browser)."""
    first = client.post("/api/v1/chat", json={"message": UNRELATED}).json()
    return client.post(
        "/api/v1/chat", json={"conversation_id": first["conversation_id"], "message": UNRELATED + " again"}
    ).json()


def assert_refused(response: Any) -> None:
    """403 with a JSON error, and nothing that would let the other site's page read it."""
    assert response.status_code == 403
    assert response.json()["error"]
    assert "access-control-allow-origin" not in response.headers


def test_clients_that_send_no_origin_are_not_affected(client: TestClient) -> None:
    response = client.post("/api/v1/chat", json=QUESTION)

    assert response.status_code == 200 and response.json()["sources"][0]["id"] == "invoices"
    assert "access-control-allow-origin" not in response.headers


def test_the_servers_own_pages_chat_and_sign_in_without_a_key(client: TestClient) -> None:
    own = {"Origin": "http://testserver"}

    chat = client.post("/api/v1/chat", json=QUESTION, headers=own)
    login = client.post("/staff/login", data=LOGIN, headers=own, follow_redirects=False)

    assert chat.status_code == 200 and chat.json()["sources"][0]["id"] == "invoices"
    assert login.status_code == 303 and login.headers["location"] == "/staff"


def test_the_shop_with_its_key_chats_and_may_read_the_reply(client: TestClient, keys: dict[str, str]) -> None:
    response = client.post("/api/v1/chat", json=QUESTION, headers=from_site(SHOP, keys[SHOP]))

    assert response.status_code == 200 and set(response.json()) == REPLY_FIELDS | {"language"}
    assert response.headers["access-control-allow-origin"] == SHOP
    assert "Origin" in response.headers["vary"]


def test_the_shop_reads_its_transcript_and_gives_feedback_with_its_key(
    client: TestClient, keys: dict[str, str], fake_assistant: Assistant
) -> None:
    shop = from_site(SHOP, keys[SHOP])
    conversation = client.post("/api/v1/chat", json=QUESTION, headers=shop).json()["conversation_id"]

    transcript = client.get(f"/api/v1/conversations/{conversation}", headers=shop)
    feedback = client.post("/api/v1/feedback", json={"conversation_id": conversation, "helpful": True}, headers=shop)

    assert transcript.status_code == 200 and transcript.headers["access-control-allow-origin"] == SHOP
    assert [t["customer"] for t in transcript.json()["turns"]] == [QUESTION["message"]]
    assert feedback.status_code == 200 and feedback.headers["access-control-allow-origin"] == SHOP
    assert fake_assistant.store.feedback(conversation) == [{"message": "", "helpful": True}]


@pytest.mark.parametrize(
    ("origin", "key_of"),
    [(BLOG, SHOP), ("https://evil.example", SHOP), (SHOP, None), (SHOP, "pk_made_up")],
    ids=["another-sites-key", "unknown-site", "no-key", "made-up-key"],
)
def test_chat_from_another_site_without_a_key_for_it_is_refused_and_not_answered(
    client: TestClient, keys: dict[str, str], fake_assistant: Assistant, origin: str, key_of: str | None
) -> None:
    key = keys.get(key_of, key_of) if key_of else None

    response = client.post("/api/v1/chat", json=QUESTION, headers=from_site(origin, key))

    assert_refused(response)
    assert fake_assistant.store.count("turns") == 0


def test_transcript_and_feedback_from_another_site_need_a_key_for_it(
    client: TestClient, keys: dict[str, str], fake_assistant: Assistant
) -> None:
    conversation = client.post("/api/v1/chat", json=QUESTION).json()["conversation_id"]
    blog = from_site(BLOG, keys[SHOP])

    transcript = client.get(f"/api/v1/conversations/{conversation}", headers=blog)
    feedback = client.post("/api/v1/feedback", json={"conversation_id": conversation, "helpful": False}, headers=blog)

    assert_refused(transcript)
    assert_refused(feedback)
    assert fake_assistant.store.feedback(conversation) == []


def test_a_revoked_key_is_refused_by_a_server_started_after_the_revocation(
    fake_assistant: Assistant, keys: dict[str, str]
) -> None:
    shop = from_site(SHOP, keys[SHOP])
    before = TestClient(create_app(fake_assistant)).post("/api/v1/chat", json=QUESTION, headers=shop)
    fake_assistant.store.revoke_widget_key(keys[SHOP])

    # A running server reads the keys again within 10 seconds; a new one reads them at once.
    after = TestClient(create_app(fake_assistant)).post("/api/v1/chat", json=QUESTION, headers=shop)

    assert before.status_code == 200
    assert_refused(after)


def test_the_browsers_preflight_from_a_keyed_site_is_allowed(client: TestClient) -> None:
    response = client.options(
        "/api/v1/chat",
        headers={
            "Origin": SHOP,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-supportbot-key",
        },
    )

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == SHOP
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"content-type", "x-supportbot-key"} <= allowed


def test_the_browsers_preflight_from_an_unknown_site_is_refused(client: TestClient) -> None:
    response = client.options(
        "/api/v1/chat", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )

    assert_refused(response)


def test_another_site_cannot_sign_staff_in_even_with_the_right_password(
    client: TestClient, keys: dict[str, str]
) -> None:
    response = client.post(
        "/staff/login",
        data=LOGIN,
        headers=from_site(SHOP, keys[SHOP]),
        follow_redirects=False,
    )

    assert_refused(response)
    assert "set-cookie" not in response.headers


def test_another_site_cannot_act_on_tickets_even_with_valid_credentials(
    client: TestClient, keys: dict[str, str], fake_assistant: Assistant
) -> None:
    number = handed_over(client)["ticket"]

    claim = client.post(f"/api/v1/tickets/{number}/claim", auth=STAFF, headers=from_site(SHOP, keys[SHOP]))
    close = client.post(f"/api/v1/tickets/{number}/close", auth=STAFF, headers=from_site("https://evil.example"))

    assert_refused(claim)
    assert_refused(close)
    ticket = fake_assistant.store.ticket(number)
    assert ticket is not None and (ticket["status"], ticket["assignee"]) == ("open", None)


def test_a_page_with_an_opaque_origin_cannot_chat_even_with_a_key(
    client: TestClient, keys: dict[str, str], fake_assistant: Assistant
) -> None:
    # Sandboxed frames and file: pages send "Origin: null"; no key can be bound to them.
    response = client.post("/api/v1/chat", json=QUESTION, headers=from_site("null", keys[SHOP]))

    assert_refused(response)
    assert fake_assistant.store.count("turns") == 0


def test_origins_match_whatever_their_case_and_default_port(fake_assistant: Assistant) -> None:
    key = fake_assistant.store.create_widget_key(["https://Shop.Example:443/"])
    client = TestClient(create_app(fake_assistant))

    response = client.post("/api/v1/chat", json=QUESTION, headers=from_site("https://shop.example", key))

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://shop.example"


def test_any_site_may_load_the_widget_script(client: TestClient) -> None:
    response = client.get("/widget.js", headers={"Origin": "https://evil.example"})

    assert response.status_code == 200 and "SupportbotWidget" in response.text
