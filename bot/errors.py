"""The conversation layer's errors, beside the family's root types it re-exports.

The root (``SupportbotError``) lives in the lowest layer, ``index.errors``; knowledge files have
``KnowledgeError``. Every error subclasses the built-in it resembles, so callers catch by type.
"""

from __future__ import annotations

from index.errors import ConfigError, Conflict, IndexStoreError, InputError, NotFound, SupportbotError
from knowledge.errors import KnowledgeError

__all__ = [
    "ConfigError",
    "Conflict",
    "IndexStoreError",
    "InputError",
    "KnowledgeError",
    "NotFound",
    "StaleConversation",
    "SupportbotError",
]


class StaleConversation(Conflict):
    """Another writer changed the conversation since it was read; the turn is redone."""
