"""The first step of every turn: refuse what is not a message the assistant can answer."""

from __future__ import annotations

import re

from bot.config import Settings
from bot.errors import InputError

# What no database stores: NUL, and lone UTF-16 surrogates (no text in UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# What shows nothing: white space, zero-width and direction marks, the byte-order mark.
_INVISIBLE = re.compile("[\\s\u200b-\u200f\u2028-\u202f\u205f-\u206f\ufeff]")


def storable(text: str) -> str:
    """``text`` without what a database cannot store (NUL characters, lone surrogates)."""
    return _UNSTORABLE.sub("", text)


def check(text: object, settings: Settings) -> str:
    """The message with surrounding white space and what no database stores removed.

    Raises:
        InputError: when ``text`` is not a string, shows nothing (empty, or only white space,
            zero-width characters or NULs), or is longer than ``settings.max_message_chars``
            (the message names the length and the limit).
    """
    if not isinstance(text, str):
        raise InputError(f"a message must be text, got {type(text).__name__}")
    clean = storable(text).strip()
    if not _INVISIBLE.sub("", clean):
        raise InputError("the message is empty")
    limit = settings.max_message_chars
    if len(clean) > limit:
        raise InputError(f"the message has {len(clean)} characters; the limit is {limit}")
    return clean
