"""Who may use supportbot, as the database keeps it: origins (bot/origins.py), publishable widget
keys, staff console sessions, and the console's analytics (bot/store/analytics.py).

The store cases run on SQLite always and on PostgreSQL when ``SUPPORTBOT_TEST_DATABASE_URL``
points at one (in CI its absence is an error), as tests/bot/test_store.py does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.errors import SupportbotError
from bot.origins import normalize_origin
from bot.store import Store, TicketDraft
from bot.store.analytics import activity
from bot.store.tables import Conversation, Feedback, Turn


def turn(
    store: Store, conversation: str, text: str, route: str, ticket: str | None = None, intent: str | None = None
) -> None:
    """One customer message and the bot's reply on ``route`` (opening ``ticket`` when given)."""
    draft = TicketDraft(ticket, "fallbacks", {"customer_words": [text]}) if ticket else None
    status = "handoff" if ticket else "bot"
    reply = {"reply": "...", "route": route, "intent": intent}
    store.save_turn(conversation, text, reply, {}, status, ticket=draft)


def move_back(store: Store, conversation: str, when: datetime) -> None:
    """Pretend everything about ``conversation`` happened at ``when``."""
    with store.engine.begin() as c:
        c.execute(update(Conversation).where(Conversation.id == conversation).values(created_at=when))
        c.execute(update(Turn).where(Turn.conversation_id == conversation).values(created_at=when))
        c.execute(update(Feedback).where(Feedback.conversation_id == conversation).values(created_at=when))


# -- origins ------------------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("written", "origin"),
    [
        ("https://shop.example", "https://shop.example"),
        ("HTTPS://Shop.Example:443/", "https://shop.example"),
        ("http://shop.example:80", "http://shop.example"),
        ("  https://shop.example/  ", "https://shop.example"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("https://shop.example:8443", "https://shop.example:8443"),
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("https://[2001:DB8::1]:443", "https://[2001:db8::1]"),
    ],
)
def test_an_origin_is_written_as_the_browser_sends_it(written: str, origin: str) -> None:
    assert normalize_origin(written) == origin


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "https://shop.example/help",
        "https://shop.example?page=1",
        "https://shop.example/#chat",
        "ftp://shop.example",
        "shop.example",
        "https://",
        "https://user@shop.example",
        "https://shop.example:99999",
        "http://[::1",
        "null",
        "",
    ],
    ids=["path", "query", "fragment", "ftp", "no-scheme", "no-host", "user", "bad-port", "bad-ipv6", "null", "empty"],
)
def test_what_is_not_an_origin_is_refused_by_name(text: str) -> None:
    with pytest.raises(SupportbotError, match="not an origin") as refused:
        normalize_origin(text)

    assert repr(text) in str(refused.value)


# -- widget keys --------------------------------------------------------------------------------


@pytest.mark.integration
def test_a_new_key_is_active_for_its_origins_written_as_browsers_send_them(store: Store) -> None:
    key = store.create_widget_key(["https://Shop.Example:443/", "http://localhost:8000", "https://shop.example"])
    other = store.create_widget_key(["https://blog.example"])

    assert key.startswith("pk_") and other.startswith("pk_") and key != other
    assert store.active_widget_keys() == {
        key: frozenset({"https://shop.example", "http://localhost:8000"}),
        other: frozenset({"https://blog.example"}),
    }
    listed = {k["key"]: k for k in store.widget_keys()}
    assert listed[key]["origins"] == ["http://localhost:8000", "https://shop.example"]
    assert listed[key]["revoked"] is False and listed[key]["created_at"]


@pytest.mark.integration
def test_a_revoked_key_is_listed_as_revoked_and_no_longer_active(store: Store) -> None:
    key = store.create_widget_key(["https://shop.example"])
    kept = store.create_widget_key(["https://blog.example"])

    store.revoke_widget_key(key)
    store.revoke_widget_key(key)  # revoking twice is harmless

    assert set(store.active_widget_keys()) == {kept}
    assert {k["key"]: k["revoked"] for k in store.widget_keys()} == {key: True, kept: False}


@pytest.mark.integration
def test_revoking_an_unknown_key_says_so(store: Store) -> None:
    with pytest.raises(SupportbotError, match="no widget key pk_unknown"):
        store.revoke_widget_key("pk_unknown")


@pytest.mark.integration
@pytest.mark.parametrize(
    ("origins", "message"),
    [([], "at least one origin"), (["https://shop.example", "shop.example/help"], "'shop.example/help'")],
    ids=["none", "one-bad"],
)
def test_a_key_needs_origins_that_are_all_valid(store: Store, origins: list[str], message: str) -> None:
    with pytest.raises(SupportbotError, match=message):
        store.create_widget_key(origins)

    assert store.widget_keys() == []


# -- staff sessions -----------------------------------------------------------------------------


@pytest.mark.integration
def test_a_session_names_its_staff_member_until_it_ends(store: Store) -> None:
    token = store.start_session("agent")
    other = store.start_session("lead")

    assert (store.session_user(token), store.session_user(other)) == ("agent", "lead")
    store.end_session(token)
    assert (store.session_user(token), store.session_user(other)) == (None, "lead")


@pytest.mark.integration
def test_an_unknown_token_names_nobody(store: Store) -> None:
    store.start_session("agent")

    assert store.session_user("not-a-token") is None
    assert store.session_user("") is None
    store.end_session("not-a-token")  # signing out twice is harmless


@pytest.mark.integration
@pytest.mark.parametrize("hours", [-1.0, 1e-9], ids=["expired-long-ago", "expired-just-now"])
def test_an_expired_session_names_nobody(store: Store, hours: float) -> None:
    token = store.start_session("agent", hours=hours)

    assert store.session_user(token) is None


@pytest.mark.integration
def test_the_database_keeps_no_session_token(store: Store) -> None:
    token = store.start_session("agent")

    with store.engine.connect() as c:
        stored = [str(value) for row in c.exec_driver_sql("SELECT * FROM staff_sessions") for value in row]

    assert "agent" in stored  # the row is there...
    assert not any(token in value for value in stored)  # ...but not the cookie's value


# -- analytics ------------------------------------------------------------------------------------


@pytest.mark.integration
def test_analytics_count_todays_conversations_routes_handoffs_and_thumbs(store: Store) -> None:
    turn(store, "c1", "how do i reset my password", "answer")
    turn(store, "c1", "zebra", "fallback")
    turn(store, "c1", "zebra again", "handoff", ticket="SB-00000A")
    store.staff_reply("SB-00000A", "agent", "Hi, a person here.")  # neither a customer message nor a bot reply
    turn(store, "c2", "where is my invoice", "answer")
    store.add_feedback("c1", True)
    store.add_feedback("c2", True)
    store.add_feedback("c2", False)

    figures = activity(store, days=7)

    assert figures["days"][-1] == datetime.now(UTC).date().isoformat()
    assert (figures["conversations"][-1], figures["messages"][-1]) == (2, 4)
    assert figures["routes"] == {"answer": 2, "fallback": 1, "handoff": 1}
    assert figures["replies"] == 4
    assert figures["fallback_rate"] == pytest.approx(0.25)
    assert figures["handoff_rate"] == pytest.approx(0.5)
    assert (figures["thumbs_up"], figures["thumbs_down"]) == (2, 1)


@pytest.mark.integration
def test_analytics_rank_intents_and_list_the_latest_unanswered_questions(store: Store) -> None:
    turn(store, "c1", "invoice pdf?", "answer", intent="pricing_billing")
    turn(store, "c1", "refund for march", "fallback", intent="pricing_billing")
    turn(store, "c2", "key leaked", "answer", intent="account_keys")
    turn(store, "c3", "weather in paris", "fallback")

    figures = activity(store, days=7)

    assert figures["intents"][0] == {"intent": "pricing_billing", "replies": 2, "fallback": 1, "handoff": 0}
    assert {r["intent"] for r in figures["intents"]} == {"pricing_billing", "account_keys", "(none)"}
    assert [u["text"] for u in figures["unanswered"]] == ["weather in paris", "refund for march"]  # newest first


@pytest.mark.integration
def test_analytics_list_every_day_of_the_period_even_without_activity(store: Store) -> None:
    figures = activity(store, days=5)

    today = datetime.now(UTC).date()
    assert figures["days"] == [(today - timedelta(days=n)).isoformat() for n in range(4, -1, -1)]
    assert figures["conversations"] == figures["messages"] == [0] * 5
    assert (figures["replies"], figures["routes"], figures["fallback_rate"], figures["handoff_rate"]) == (0, {}, 0, 0)


@pytest.mark.integration
def test_analytics_leave_out_what_happened_before_the_period(store: Store) -> None:
    turn(store, "old", "zebra", "fallback")
    store.add_feedback("old", False)
    move_back(store, "old", datetime.now(UTC) - timedelta(days=40))
    turn(store, "new", "where is my invoice", "answer")

    figures = activity(store, days=30)

    assert sum(figures["conversations"]) == sum(figures["messages"]) == 1
    assert figures["routes"] == {"answer": 1}
    assert (figures["fallback_rate"], figures["thumbs_down"]) == (0, 0)


@pytest.mark.integration
def test_analytics_totals_agree_with_the_days_they_list(store: Store) -> None:
    # The page says "Last 7 days" and plots seven days: every figure covers those days and no
    # others. This turn came in the last minute of the day before the first of them.
    day = datetime.now(UTC).date() - timedelta(days=7)
    turn(store, "old", "zebra", "fallback")
    store.add_feedback("old", False)
    move_back(store, "old", datetime(day.year, day.month, day.day, 23, 59, tzinfo=UTC))

    figures = activity(store, days=7)

    assert sum(figures["messages"]) == 0
    assert (figures["replies"], figures["routes"], figures["thumbs_down"]) == (0, {}, 0)
