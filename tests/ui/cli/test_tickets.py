"""``supportbot tickets``: staff list handed-over conversations and give one back to the bot."""

from __future__ import annotations

import pytest

from bot.store import Store, TicketDraft
from ui.cli import main

pytestmark = pytest.mark.unit


@pytest.fixture
def store(cli_store: Store) -> Store:
    """The command line's database with one open ticket."""
    summary = {"reason": "asked", "customer_words": ["a person, please"]}
    cli_store.save_turn(
        "conv-1",
        "a person, please",
        {"route": "handoff"},
        {},
        "handoff",
        ticket=TicketDraft("SB-0A1B2C", "asked", summary),
    )
    return cli_store


def test_open_tickets_are_listed_with_the_customers_words(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tickets", "--status", "open"]) == 0

    out = capsys.readouterr().out
    assert "SB-0A1B2C" in out and "a person, please" in out


def test_release_gives_the_conversation_back_to_the_bot(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tickets", "--release", "SB-0A1B2C"]) == 0

    conversation = store.conversation("conv-1")
    assert conversation is not None and conversation.status == "bot"
    assert store.ticket("SB-0A1B2C")["status"] == "closed"  # type: ignore[index]


def test_releasing_an_unknown_ticket_says_so(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tickets", "--release", "SB-FFFFFF"]) == 2
    assert "no ticket SB-FFFFFF" in capsys.readouterr().err


def test_a_ticket_is_shown_with_its_summary_and_transcript(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["tickets", "--show", "SB-0A1B2C"]) == 0

    ticket = json.loads(capsys.readouterr().out)
    assert ticket["summary"]["customer_words"] == ["a person, please"]
    assert [t["customer"] for t in ticket["transcript"]] == ["a person, please"]
