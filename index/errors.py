"""The root of supportbot's one exception family; the lowest layer owns it so every layer can use it.

Each error also subclasses the built-in it resembles, so callers catch either ``SupportbotError``
or the familiar built-in, always by type and never by message text. Messages name the file,
the field and the bad value.
"""

from __future__ import annotations


class SupportbotError(Exception):
    """Base class of every error supportbot raises on purpose."""


class ConfigError(SupportbotError, ValueError):
    """A setting is missing or has a bad value."""


class InputError(SupportbotError, ValueError):
    """A request cannot be handled as given (an empty or too long message, a bad argument)."""


class NotFound(SupportbotError, LookupError):
    """The thing asked for (a ticket, a conversation, a document, a key) does not exist."""


class Conflict(SupportbotError, RuntimeError):
    """The request clashes with the current state (a closed ticket, a name already taken)."""


class IndexStoreError(SupportbotError, RuntimeError):
    """The on-disk index is missing, stale or corrupt."""
