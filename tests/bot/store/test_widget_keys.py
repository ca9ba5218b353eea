"""Publishable widget keys in the store: origins written as browsers send them, revoking,
refusals. SQLite always, PostgreSQL when ``SUPPORTBOT_TEST_DATABASE_URL`` points at one (in CI
its absence is an error; see tests/bot/conftest.py)."""

from __future__ import annotations

import pytest

from bot.errors import InputError, NotFound, SupportbotError
from bot.store import Store


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
    with pytest.raises(SupportbotError, match="no widget key pk_unknown") as refused:
        store.revoke_widget_key("pk_unknown")

    assert isinstance(refused.value, NotFound)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("origins", "message"),
    [([], "at least one origin"), (["https://shop.example", "shop.example/help"], "'shop.example/help'")],
    ids=["none", "one-bad"],
)
def test_a_key_needs_origins_that_are_all_valid(store: Store, origins: list[str], message: str) -> None:
    with pytest.raises(SupportbotError, match=message) as refused:
        store.create_widget_key(origins)

    assert isinstance(refused.value, InputError)
    assert store.widget_keys() == []
