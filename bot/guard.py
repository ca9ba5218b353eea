"""The first step of every turn: refuse what is not a message the assistant can answer."""

from __future__ import annotations

from bot.config import Settings
from bot.errors import InputError


def check(text: object, settings: Settings) -> str:
    """The message with surrounding white space removed.

    Raises:
        InputError: when ``text`` is not a string, is empty, or is longer than
            ``settings.max_message_chars`` (the message names the length and the limit).
    """
    if not isinstance(text, str):
        raise InputError(f"a message must be text, got {type(text).__name__}")
    clean = text.strip()
    if not clean:
        raise InputError("the message is empty")
    limit = settings.max_message_chars
    if len(clean) > limit:
        raise InputError(f"the message has {len(clean)} characters; the limit is {limit}")
    return clean
