"""Staff accounts and console sessions in the store. SQLite always, PostgreSQL when
``SUPPORTBOT_TEST_DATABASE_URL`` points at one (see tests/bot/conftest.py)."""

from __future__ import annotations

import pytest

from bot.errors import InputError
from bot.store import Store


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


@pytest.mark.integration
def test_an_account_checks_its_password_and_a_new_one_replaces_it(store: Store) -> None:
    store.add_staff("agent", "a long enough password")
    assert store.check_staff("agent", "a long enough password")

    store.add_staff("agent", "another long password")

    assert not store.check_staff("agent", "a long enough password")
    assert store.check_staff("agent", "another long password")
    assert not store.check_staff("nobody", "another long password")


@pytest.mark.integration
@pytest.mark.parametrize(("username", "password"), [("", "long enough"), ("x" * 65, "long enough"), ("agent", "short")])
def test_an_account_needs_a_username_and_a_long_enough_password(store: Store, username: str, password: str) -> None:
    with pytest.raises(InputError, match="8 or more"):
        store.add_staff(username, password)

    assert not store.check_staff(username, password)
