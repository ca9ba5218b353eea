"""The one staff sign-in check (ui/deps.py), shared by the console and the staff API: a console
session cookie or HTTP Basic credentials of a staff account; and the sign-in lockout."""

from __future__ import annotations

import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot import Assistant
from ui.app import create_app
from ui.deps import COOKIE, MaybeStaff, SignInLimit, SignInRequired, StaffUser

pytestmark = pytest.mark.unit

STAFF = ("agent", "a long enough password")


def probe(assistant: Assistant) -> TestClient:
    """An app with only two endpoints that say who the dependencies found signed in."""
    app = FastAPI()
    app.state.assistant = assistant

    @app.get("/who")
    def who(user: MaybeStaff) -> dict[str, str | None]:
        return {"user": user}

    @app.get("/staff-only")
    def staff_only(user: StaffUser) -> dict[str, str]:
        return {"user": user}

    return TestClient(app, raise_server_exceptions=True)


@pytest.fixture
def assistant(fake_assistant: Assistant) -> Assistant:
    fake_assistant.desk.add_staff(*STAFF)
    return fake_assistant


@pytest.mark.parametrize(
    ("auth", "user"),
    [(None, None), (STAFF, "agent"), (("agent", "wrong password"), None), (("nobody", STAFF[1]), None)],
    ids=["nothing", "basic", "wrong-password", "unknown-account"],
)
def test_basic_credentials_sign_a_staff_member_in(
    assistant: Assistant, auth: tuple[str, str] | None, user: str | None
) -> None:
    assert probe(assistant).get("/who", auth=auth).json() == {"user": user}


def test_a_session_cookie_signs_in_until_the_session_ends(assistant: Assistant) -> None:
    client = probe(assistant)
    session = assistant.desk.start_session("agent")

    client.cookies.set(COOKIE, session.token)
    before = client.get("/who").json()
    assistant.desk.end_session(session.token)
    after = client.get("/who").json()

    assert (before, after) == ({"user": "agent"}, {"user": None})


def test_a_forged_cookie_does_not_sign_in_but_basic_beside_it_does(assistant: Assistant) -> None:
    client = probe(assistant)
    client.cookies.set(COOKIE, "not-a-session")

    assert client.get("/who").json() == {"user": None}
    assert client.get("/who", auth=STAFF).json() == {"user": "agent"}


def test_a_staff_only_endpoint_raises_sign_in_required_without_a_staff_member(assistant: Assistant) -> None:
    client = probe(assistant)

    assert client.get("/staff-only", auth=STAFF).json() == {"user": "agent"}
    with pytest.raises(SignInRequired):
        client.get("/staff-only")


def test_the_console_and_the_staff_api_accept_the_same_sign_ins(assistant: Assistant) -> None:
    client = TestClient(create_app(assistant))
    assert client.post("/staff/login", data=dict(zip(("username", "password"), STAFF, strict=True))).status_code == 200
    signed_in = client.cookies[COOKIE]
    client.cookies.clear()

    console_by_basic = client.get("/staff", auth=STAFF, follow_redirects=False)
    api_by_basic = client.get("/api/v1/tickets", auth=STAFF)
    client.cookies.set(COOKIE, signed_in)
    console_by_cookie = client.get("/staff", follow_redirects=False)
    api_by_cookie = client.get("/api/v1/tickets")

    for response in (console_by_basic, api_by_basic, console_by_cookie, api_by_cookie):
        assert response.status_code == 200
    assert "Signed in as agent" in console_by_basic.text and "Signed in as agent" in console_by_cookie.text


def test_a_lock_ends_when_its_window_has_passed() -> None:
    limit = SignInLimit(per_account=2, per_client=100, window=0.2)
    limit.failed("agent", "10.0.0.1")
    limit.failed("Agent", "10.0.0.1")  # accounts are counted without case

    assert limit.wait("agent", "10.0.0.2") > 0
    time.sleep(0.25)
    assert limit.wait("agent", "10.0.0.2") == 0
