"""Understanding a message on its own: small talk is recognised only as a whole message."""

from __future__ import annotations

import pytest

from bot.understanding import smalltalk_intent

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hi", "greeting"),
        ("Hey there!", "greeting"),
        ("good morning, team", "greeting"),
        ("Thank you so much!", "thanks"),
        ("cheers", "thanks"),
        ("Goodbye.", "goodbye"),
        ("have a nice day", "goodbye"),
        ("hi, my key fails", None),
        ("thanks but the 429 is still there", None),
        ("hello world program in python", None),
    ],
)
def test_small_talk_is_recognised_only_as_a_whole_message(text: str, intent: str | None) -> None:
    assert smalltalk_intent(text) == intent
