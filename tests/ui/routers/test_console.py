"""The staff console at ``/staff``: sign-in with a session cookie, the ticket queue, one ticket
with its transcript, suggested reply and actions, analytics, and sign-out."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient

from bot import Assistant
from tests.helpers import UNRELATED
from ui.app import create_app
from ui.deps import COOKIE

pytestmark = pytest.mark.unit

LOGIN = {"username": "agent", "password": "a long enough password"}
SCRIPT = "<script>alert(1)</script>"
# Answered from the password article, then two fallbacks in a row: handed over.
CUSTOMER = ["how do i reset my password", SCRIPT, UNRELATED]


@pytest.fixture
def client(fake_assistant: Assistant) -> TestClient:
    fake_assistant.store.add_staff(LOGIN["username"], LOGIN["password"])
    return TestClient(create_app(fake_assistant), raise_server_exceptions=False)


@pytest.fixture
def handoff(client: TestClient) -> dict[str, str]:
    """The customer's last reply: a handoff naming the ticket."""
    conversation = None
    for message in CUSTOMER:
        reply = client.post("/api/v1/chat", json={"message": message, "conversation_id": conversation}).json()
        conversation = reply["conversation_id"]
    assert reply["route"] == "handoff" and reply["ticket"]
    return reply


@pytest.fixture
def staff(client: TestClient) -> TestClient:
    """``client`` signed in to the console."""
    assert client.post("/staff/login", data=LOGIN, follow_redirects=False).status_code == 303
    return client


def act(client: TestClient, number: str, action: str, message: str = "") -> str:
    """Press an action button on the ticket page; returns the page it lands on."""
    response = client.post(f"/staff/tickets/{number}/{action}", data={"message": message})
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("path", ["/staff", "/staff/tickets/SB-000000", "/staff/analytics"])
def test_pages_send_a_visitor_without_a_session_to_sign_in(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)

    assert response.status_code == 303 and response.headers["location"] == "/staff/login"


def test_a_wrong_password_is_refused_without_a_session(client: TestClient) -> None:
    response = client.post("/staff/login", data={**LOGIN, "password": "not the password"}, follow_redirects=False)

    assert response.status_code == 401
    assert "Wrong username or password" in response.text
    assert "set-cookie" not in response.headers
    assert client.get("/staff", follow_redirects=False).status_code == 303


def test_signing_in_sets_a_cookie_scripts_and_other_sites_cannot_use(client: TestClient) -> None:
    response = client.post("/staff/login", data=LOGIN, follow_redirects=False)

    cookie = response.headers["set-cookie"]
    assert response.status_code == 303 and response.headers["location"] == "/staff"
    assert cookie.startswith(f"{COOKIE}=")
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()


def test_the_queue_links_each_open_ticket(staff: TestClient, handoff: dict[str, str]) -> None:
    number = handoff["ticket"]

    page = staff.get("/staff")

    assert page.status_code == 200
    assert f'<a href="/staff/tickets/{number}">{number}</a>' in page.text
    assert SCRIPT not in page.text  # the customer's last words are shown, escaped


def test_the_ticket_page_shows_the_conversation_summary_suggestion_and_actions(
    staff: TestClient, handoff: dict[str, str]
) -> None:
    page = staff.get(f"/staff/tickets/{handoff['ticket']}").text

    assert html.escape(SCRIPT) in page and SCRIPT not in page
    assert UNRELATED in page and "passed this conversation to the support team" in page
    assert handoff["conversation_id"] in page and "fallbacks" in page  # the summary: whose and why
    assert "Suggested reply" in page and 'href="/kb/reset-password"' in page
    for button in ("Send reply", "Take over", "Release to the bot", "Close ticket"):
        assert f">{button}</button>" in page


def test_a_reply_from_the_console_reaches_the_customers_transcript(staff: TestClient, handoff: dict[str, str]) -> None:
    page = act(staff, handoff["ticket"], "reply", "Hi, a person here. <b>Try again</b> now.")

    turns = staff.get(f"/api/v1/conversations/{handoff['conversation_id']}").json()["turns"]
    assert (turns[-1]["author"], turns[-1]["reply"]["reply"]) == ("staff", "Hi, a person here. <b>Try again</b> now.")
    assert "Reply sent to the customer." in page
    assert "Hi, a person here. &lt;b&gt;Try again&lt;/b&gt; now." in page and "staff · agent" in page


def test_an_empty_reply_is_not_sent(staff: TestClient, handoff: dict[str, str]) -> None:
    page = act(staff, handoff["ticket"], "reply", "   ")

    turns = staff.get(f"/api/v1/conversations/{handoff['conversation_id']}").json()["turns"]
    assert "Write a reply first." in page
    assert [t["author"] for t in turns] == ["bot"] * len(CUSTOMER)


def test_taking_over_assigns_the_ticket_to_the_signed_in_person(
    staff: TestClient, handoff: dict[str, str], fake_assistant: Assistant
) -> None:
    page = act(staff, handoff["ticket"], "claim")

    ticket = fake_assistant.store.ticket(handoff["ticket"])
    assert ticket is not None and (ticket["status"], ticket["assignee"]) == ("claimed", "agent")
    assert "<strong>Assignee:</strong> agent" in page
    assert ">Take over</button>" not in page and ">Send reply</button>" in page


def test_releasing_gives_the_conversation_back_to_the_bot(staff: TestClient, handoff: dict[str, str]) -> None:
    conversation = handoff["conversation_id"]

    page = act(staff, handoff["ticket"], "release")
    after = staff.post(
        "/api/v1/chat", json={"conversation_id": conversation, "message": "how do I download an invoice as PDF"}
    ).json()

    assert "the bot answers this conversation again" in page
    assert staff.get(f"/api/v1/conversations/{conversation}").json()["status"] == "bot"
    assert after["route"] == "answer" and after["sources"][0]["id"] == "invoices"


def test_a_closed_ticket_leaves_the_queue_and_offers_no_more_actions(
    staff: TestClient, handoff: dict[str, str], fake_assistant: Assistant
) -> None:
    number = handoff["ticket"]

    page = act(staff, number, "close")

    ticket = fake_assistant.store.ticket(number)
    assert ticket is not None and ticket["status"] == "closed"
    assert "Ticket closed." in page and "<strong>Status:</strong> closed" in page
    assert '<form method="post" action="/staff/tickets/' not in page and "Suggested reply" not in page
    assert f"/staff/tickets/{number}" not in staff.get("/staff").text
    assert f"/staff/tickets/{number}" in staff.get("/staff", params={"status": "closed"}).text

    staff.post("/api/v1/chat", json={"conversation_id": handoff["conversation_id"], "message": "hello? anyone?"})
    assert f"/staff/tickets/{number}" in staff.get("/staff").text  # the customer wrote again: back in the queue


def test_an_unknown_ticket_is_a_404_page(staff: TestClient) -> None:
    response = staff.get("/staff/tickets/SB-000000")

    assert response.status_code == 404
    assert "There is no ticket SB-000000" in response.text


def test_analytics_shows_the_figures_and_the_plots(staff: TestClient, handoff: dict[str, str]) -> None:
    conversation = handoff["conversation_id"]
    staff.post("/api/v1/feedback", json={"conversation_id": conversation, "helpful": False})

    page = staff.get("/staff/analytics", params={"days": 7}).text

    assert "<svg" in page
    figures = {
        "conversations": "1",
        "customer messages": "3",
        "bot replies": "3",
        "fallback rate": "33.3%",
        "handoff rate": "100.0%",
        "thumbs up / down": "0 / 1",
    }
    for name, value in figures.items():
        assert f'<div class="meta">{name}</div><div class="figure">{value}</div>' in page
    assert "Latest questions the bot could not answer" in page and html.escape(SCRIPT) in page
    assert SCRIPT not in page


def test_analytics_groups_the_questions_refused_into_knowledge_gaps(staff: TestClient) -> None:
    conversation = None
    for message in ("how do i pay with a llama", "can i pay with a llama?", "how do i reset my password"):
        reply = staff.post("/api/v1/chat", json={"message": message, "conversation_id": conversation}).json()
        conversation = reply["conversation_id"]

    page = staff.get("/staff/analytics", params={"days": 7}).text

    assert "Knowledge gaps" in page
    gaps = page.split("Knowledge gaps", 1)[1].split("</table>", 1)[0]
    assert "pay with a llama" in gaps and "reset my password" not in gaps


def test_signing_out_ends_the_session_for_the_console_and_the_api(staff: TestClient, handoff: dict[str, str]) -> None:
    token = staff.cookies[COOKIE]

    out = staff.post("/staff/logout", follow_redirects=False)
    staff.cookies.set(COOKIE, token)  # a copy of the old cookie, kept by someone

    assert out.status_code == 303 and out.headers["location"] == "/staff/login"
    assert staff.get("/staff", follow_redirects=False).status_code == 303
    assert staff.get("/api/v1/tickets").status_code == 401
    assert staff.post(f"/api/v1/tickets/{handoff['ticket']}/claim").status_code == 401


def test_the_staff_api_accepts_the_consoles_session(
    staff: TestClient, handoff: dict[str, str], fake_assistant: Assistant
) -> None:
    number = handoff["ticket"]

    queue = staff.get("/api/v1/tickets")
    claimed = staff.post(f"/api/v1/tickets/{number}/claim")

    assert queue.status_code == 200 and [t["number"] for t in queue.json()] == [number]
    assert claimed.status_code == 200 and claimed.json()["assignee"] == "agent"


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client: TestClient) -> None:
    for _ in range(5):
        assert client.post("/staff/login", data={**LOGIN, "password": "guess"}).status_code == 401

    locked = client.post("/staff/login", data=LOGIN, follow_redirects=False)  # even the right one

    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text and int(locked.headers["retry-after"]) > 0
    assert "set-cookie" not in locked.headers


def test_the_suggestion_can_be_used_as_the_reply_with_its_links_written_out(
    staff: TestClient, handoff: dict[str, str]
) -> None:
    page = staff.get(f"/staff/tickets/{handoff['ticket']}").text

    assert "Use as reply" in page
    suggested = html.unescape(page.split('<textarea id="suggested" hidden>')[1].split("</textarea>")[0])
    assert "reset" in suggested.lower() and "http://testserver/kb/" in suggested
    assert "**" not in suggested  # written for a customer's eyes, not as Markdown
