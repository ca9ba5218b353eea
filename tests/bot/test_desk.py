"""The staff side through ``SupportDesk``: typed tickets, transcripts, accounts, sessions, widget keys
and analytics; what is missing raises ``NotFound``, a clash with the state ``Conflict``. The database
cases run on SQLite always and on PostgreSQL when ``SUPPORTBOT_TEST_DATABASE_URL`` points at one
(see tests/bot/conftest.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime

import pytest

import bot
from bot.assistant import Assistant
from bot.config import Settings
from bot.desk import SupportDesk
from bot.desk_types import Activity, StaffSession, TicketDetail, TicketSummary, WidgetKey
from bot.errors import Conflict, InputError, NotFound, SupportbotError
from bot.store import Store, TicketDraft
from tests.helpers import UNRELATED

pytestmark = pytest.mark.integration

SUMMARY = {"reason": "asked", "customer_words": ["a person please"]}


@pytest.fixture
def desk(store: Store) -> SupportDesk:
    """A desk over an empty database with one open ticket, SB-1, of conversation c1."""
    store.save_turn("c1", "hello", {"reply": "hi", "route": "answer", "intent": "greeting"}, {}, "bot")
    store.save_turn(
        "c1", "a person please", {"reply": "ok", "route": "handoff"}, {}, "handoff",
        ticket=TicketDraft("SB-1", "asked", SUMMARY),
    )  # fmt: skip
    return SupportDesk(store)


def test_tickets_come_typed_and_in_the_json_the_staff_api_and_command_line_print(
    desk: SupportDesk, store: Store
) -> None:
    [queued] = desk.tickets("open")
    ticket = desk.ticket("SB-1")

    assert isinstance(queued, TicketSummary) and isinstance(ticket, TicketDetail)
    assert (queued.number, queued.conversation_id, queued.status, queued.assignee) == ("SB-1", "c1", "open", None)
    assert queued.summary == SUMMARY and queued.to_json() == store.tickets("open")[0]
    assert [(t.seq, t.customer, t.author, t.text) for t in ticket.transcript] == [
        (1, "hello", "bot", "hi"),
        (2, "a person please", "bot", "ok"),
    ]
    assert ticket.customer_messages == ["hello", "a person please"]
    assert ticket.to_json() == store.ticket("SB-1")
    assert json.loads(json.dumps(ticket.to_json()))["transcript"][1]["reply"]["route"] == "handoff"
    with pytest.raises(FrozenInstanceError):
        ticket.status = "closed"  # type: ignore[misc]
    with pytest.raises(TypeError):  # the summary is read-only too
        ticket.summary["reason"] = "changed"  # type: ignore[index]


def test_a_person_takes_over_replies_and_releases_the_conversation(desk: SupportDesk) -> None:
    claimed = desk.claim("SB-1", "agent")
    desk.reply("SB-1", "agent", "Hi, a person here.")
    during = desk.conversation("c1")
    desk.release("SB-1")
    after = desk.conversation("c1")

    assert (claimed.status, claimed.assignee) == ("claimed", "agent")
    assert during.status == "handoff" and during.last_seq == 3
    assert (during.turns[-1].author, during.turns[-1].text, during.turns[-1].reply["staff"]) == (
        "staff", "Hi, a person here.", "agent",
    )  # fmt: skip
    assert after.status == "bot" and desk.ticket("SB-1").status == "closed"
    assert desk.tickets("open") == [] and [t.number for t in desk.tickets("closed")] == ["SB-1"]


def test_closing_keeps_the_conversation_with_people_and_a_closed_ticket_refuses_changes(desk: SupportDesk) -> None:
    desk.close("SB-1")

    assert desk.conversation("c1").status == "handoff" and desk.ticket("SB-1").status == "closed"
    for change in (
        lambda: desk.claim("SB-1", "agent"),
        lambda: desk.reply("SB-1", "agent", "hi"),
        lambda: desk.close("SB-1"),
    ):
        with pytest.raises(Conflict, match="ticket SB-1 is closed") as refused:
            change()
        assert isinstance(refused.value, RuntimeError)
    desk.release("SB-1")  # giving the conversation back still works
    assert desk.conversation("c1").status == "bot"


def test_what_does_not_exist_is_not_found(desk: SupportDesk) -> None:
    missing = [
        (lambda: desk.ticket("SB-FFFFFF"), "no ticket SB-FFFFFF"),
        (lambda: desk.claim("SB-FFFFFF", "agent"), "no ticket SB-FFFFFF"),
        (lambda: desk.reply("SB-FFFFFF", "agent", "hi"), "no ticket SB-FFFFFF"),
        (lambda: desk.release("SB-FFFFFF"), "no ticket SB-FFFFFF"),
        (lambda: desk.close("SB-FFFFFF"), "no ticket SB-FFFFFF"),
        (lambda: desk.conversation("nobody"), "no conversation 'nobody'"),
        (lambda: desk.revoke_widget_key("pk_unknown"), "no widget key pk_unknown"),
    ]
    for call, message in missing:
        with pytest.raises(NotFound, match=message) as refused:
            call()
        assert isinstance(refused.value, LookupError) and isinstance(refused.value, SupportbotError)
    assert desk.transcript("nobody") == ()


def test_feedback_is_listed_oldest_first(desk: SupportDesk, store: Store) -> None:
    store.add_feedback("c1", True, "hi")
    store.add_feedback("c1", False)

    assert [(f.helpful, f.message) for f in desk.feedback("c1")] == [(True, "hi"), (False, "")]
    assert [f.to_json() for f in desk.feedback("c1")] == store.feedback("c1")


def test_staff_sign_in_with_their_password_and_sessions_name_them_until_they_end(desk: SupportDesk) -> None:
    desk.add_staff("agent", "a long enough password")
    session = desk.start_session("agent", hours=2)

    assert desk.check_staff("agent", "a long enough password") and not desk.check_staff("agent", "wrong password")
    assert isinstance(session, StaffSession) and (session.username, session.max_age) == ("agent", 7200)
    assert desk.session_user(session.token) == "agent"
    assert desk.session_user(None) is None and desk.session_user("") is None
    desk.end_session(session.token)
    assert desk.session_user(session.token) is None
    with pytest.raises(InputError, match="8 or more") as refused:
        desk.add_staff("lead", "short")
    assert isinstance(refused.value, ValueError)


def test_widget_keys_are_typed_and_bound_to_origins_as_browsers_send_them(desk: SupportDesk) -> None:
    key = desk.create_widget_key(["https://Shop.Example:443/", "http://localhost:8000"])
    other = desk.create_widget_key(["https://blog.example"])
    desk.revoke_widget_key(other.key)

    assert isinstance(key, WidgetKey) and key.key.startswith("pk_")
    assert key.origins == ("http://localhost:8000", "https://shop.example") and not key.revoked
    assert [(k.key, k.revoked) for k in desk.widget_keys()] == [(key.key, False), (other.key, True)]
    assert desk.active_widget_origins() == {key.key: frozenset(key.origins)}
    assert desk.widget_keys()[0].to_json() == {
        "key": key.key, "origins": list(key.origins), "created_at": key.created_at, "revoked": False,
    }  # fmt: skip
    for origins, message in (([], "at least one origin"), (["shop.example/help"], "not an origin")):
        with pytest.raises(InputError, match=message):
            desk.create_widget_key(origins)
    assert len(desk.widget_keys()) == 2


def test_analytics_come_as_a_typed_report(desk: SupportDesk, store: Store) -> None:
    store.add_feedback("c1", True)

    report = desk.activity(days=7)

    assert isinstance(report, Activity)
    assert report.days[-1] == datetime.now(UTC).date().isoformat() and len(report.days) == 7
    assert (report.conversations[-1], report.messages[-1], report.replies) == (1, 2, 2)
    assert dict(report.routes) == {"answer": 1, "handoff": 1}
    assert (report.handoff_rate, report.fallback_rate, report.thumbs_up, report.thumbs_down) == (1.0, 0.0, 1, 0)
    assert {(i.intent, i.replies, i.handoff) for i in report.intents} == {("greeting", 1, 0), ("(none)", 1, 1)}
    assert report.unanswered == ()


@pytest.mark.unit
def test_the_desk_and_its_values_are_exported_by_the_package() -> None:
    from bot import desk, desk_types, errors

    assert bot.SupportDesk is desk.SupportDesk and bot.TicketDetail is desk_types.TicketDetail
    assert (bot.NotFound, bot.Conflict, bot.InputError, bot.SupportbotError) == (
        errors.NotFound, errors.Conflict, errors.InputError, errors.SupportbotError,
    )  # fmt: skip


def test_an_assistants_desk_sees_the_tickets_its_conversations_open(fake_assistant: Assistant) -> None:
    first = fake_assistant.reply(None, UNRELATED)
    handed = fake_assistant.reply(first.conversation_id, UNRELATED + " again")

    [ticket] = fake_assistant.desk.tickets()

    assert handed.ticket and (ticket.number, ticket.conversation_id) == (handed.ticket, first.conversation_id)


def test_a_desk_opened_from_the_settings_migrates_the_database_and_loads_no_model(settings: Settings) -> None:
    script = (
        "import sys\n"
        "from bot import Settings, SupportDesk\n"
        f"desk = SupportDesk.open(Settings(data_dir={str(settings.data_dir)!r}))\n"
        "print(desk.tickets(), desk.ping())\n"
        "heavy = {'numpy', 'sklearn', 'torch', 'faiss', 'onnxruntime', 'nltk', 'bm25s'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)

    assert done.stdout.splitlines() == ["[] True", "[]"]
