"""``supportbot widget-key``: publishable keys for the embeddable widget, bound to origins."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from bot.assistant import Assistant
from bot.store import Store
from ui.app import create_app
from ui.cli import main

pytestmark = pytest.mark.unit


@pytest.fixture
def store(cli_store: Store) -> Store:
    return cli_store


def create(capsys: pytest.CaptureFixture[str], *origins: str) -> str:
    """The key ``widget-key create`` prints for ``origins``."""
    assert main(["widget-key", "create", *(arg for o in origins for arg in ("--origin", o))]) == 0
    return capsys.readouterr().out.strip()


def test_create_prints_an_active_key_for_the_origins_as_browsers_send_them(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["widget-key", "create", "--origin", "https://Shop.Example:443/", "--origin", "http://localhost:8000"])

    out, err = capsys.readouterr()
    key = out.strip()
    assert code == 0 and key.startswith("pk_") and "\n" not in key  # stdout is the key alone, for scripts
    assert store.active_widget_keys() == {key: frozenset({"https://shop.example", "http://localhost:8000"})}
    assert f'data-key="{key}"' in err and "/widget.js" in err  # how to embed it


def test_create_refuses_an_address_that_is_not_an_origin(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["widget-key", "create", "--origin", "https://shop.example", "--origin", "shop.example/help"])

    out, err = capsys.readouterr()
    assert code != 0 and out == ""
    assert "not an origin: 'shop.example/help'" in err and "http(s)://host[:port]" in err
    assert store.widget_keys() == []


def test_create_needs_an_origin(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["widget-key", "create"])

    assert exited.value.code != 0
    assert "--origin" in capsys.readouterr().err


def test_list_shows_every_key_with_its_state_and_origins(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    shop = create(capsys, "https://shop.example", "https://www.shop.example")
    blog = create(capsys, "https://blog.example")
    assert main(["widget-key", "revoke", blog]) == 0
    capsys.readouterr()

    assert main(["widget-key", "list"]) == 0
    lines = {line.split()[0]: line.split()[1:] for line in capsys.readouterr().out.splitlines()}
    assert main(["widget-key", "list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    assert lines == {
        shop: ["active", "https://shop.example", "https://www.shop.example"],
        blog: ["revoked", "https://blog.example"],
    }
    assert [(r["key"], r["origins"], r["revoked"]) for r in rows] == [
        (shop, ["https://shop.example", "https://www.shop.example"], False),
        (blog, ["https://blog.example"], True),
    ]


def test_revoke_stops_the_key_and_says_so(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    key = create(capsys, "https://shop.example")

    assert main(["widget-key", "revoke", key]) == 0

    assert f"revoked {key}" in capsys.readouterr().err
    assert store.active_widget_keys() == {}
    assert [k["revoked"] for k in store.widget_keys()] == [True]


def test_revoking_an_unknown_key_fails_with_its_name(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["widget-key", "revoke", "pk_unknown"]) == 2

    assert "no widget key pk_unknown" in capsys.readouterr().err


def test_a_key_made_on_the_command_line_lets_the_shops_pages_chat(
    fake_assistant: Assistant, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUPPORTBOT_KNOWLEDGE_DIR", str(fake_assistant.settings.knowledge_dir))
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", fake_assistant.settings.resolved_database_url)
    key = create(capsys, "https://shop.example")

    response = TestClient(create_app(fake_assistant)).post(
        "/api/v1/chat",
        json={"message": "how do I download an invoice as PDF"},
        headers={"Origin": "https://shop.example", "X-Supportbot-Key": key},
    )

    assert response.status_code == 200 and response.json()["sources"][0]["id"] == "invoices"
    assert response.headers["access-control-allow-origin"] == "https://shop.example"
