"""What the console's pages show (ui/pages/console.py) and that their templates escape it."""

from __future__ import annotations

import pytest

from bot import TicketSummary
from ui.pages.console import last_words, page, plain, queue_rows

pytestmark = pytest.mark.unit

SCRIPT = "<script>alert(1)</script>"


def ticket(number: str, status: str, created_at: str) -> TicketSummary:
    return TicketSummary(number, "c-" + number, status, "fallbacks", {"intent": "billing"}, None, created_at)


def test_the_queue_shows_oldest_first_and_closed_tickets_newest_first() -> None:
    tickets = [
        ticket("SB-2", "open", "2025-01-02T10:00:00"),
        ticket("SB-1", "claimed", "2025-01-01T10:00:00"),
        ticket("SB-3", "closed", "2025-01-01T09:00:00"),
        ticket("SB-4", "closed", "2025-01-03T09:00:00"),
    ]

    assert [r.number for r in queue_rows(tickets, "active")] == ["SB-1", "SB-2"]
    assert [r.number for r in queue_rows(tickets, "no such tab")] == ["SB-1", "SB-2"]
    assert [r.number for r in queue_rows(tickets, "closed")] == ["SB-4", "SB-3"]
    assert queue_rows(tickets, "open")[0].opened == "2025-01-02 10:00"


def test_the_customers_last_words_are_the_last_two_messages_shortened() -> None:
    assert last_words({"customer_words": ["one", "two", "three"]}) == "two / three"
    long = last_words({"customer_words": ["x" * 200]})
    assert len(long) == 118 and long.endswith("…")
    assert last_words({}) == ""


def test_summary_values_read_as_one_line() -> None:
    assert plain(["a", {"plan": "Growth", "tried": ["x", "y"]}]) == "a; plan: Growth, tried: x; y"


def test_console_templates_escape_what_people_wrote() -> None:
    response = page("message.html", SCRIPT, user=SCRIPT, message=SCRIPT)
    text = bytes(response.body).decode()

    assert SCRIPT not in text and text.count("&lt;script&gt;") == 4  # title, heading, user, message
    assert response.headers["cache-control"] == "no-store" and response.headers["x-frame-options"] == "DENY"
