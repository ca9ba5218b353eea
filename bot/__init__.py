"""supportbot's conversation layer. ``Assistant`` is the one entry point for every front end.

Names load lazily so that importing a light module (``bot.errors``) pulls in nothing heavy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Assistant": "bot.assistant",
    "Settings": "bot.config",
    "load_settings": "bot.config",
    "Reply": "bot.types",
    "Route": "bot.types",
    "Source": "bot.types",
    # the staff side
    "SupportDesk": "bot.desk",
    "Activity": "bot.desk_types",
    "ConversationTranscript": "bot.desk_types",
    "FeedbackEntry": "bot.desk_types",
    "IntentActivity": "bot.desk_types",
    "StaffSession": "bot.desk_types",
    "TicketDetail": "bot.desk_types",
    "TicketSummary": "bot.desk_types",
    "TranscriptLine": "bot.desk_types",
    "UnansweredQuestion": "bot.desk_types",
    "WidgetKey": "bot.desk_types",
    "normalize_origin": "bot.origins",
    # errors
    "SupportbotError": "bot.errors",
    "InputError": "bot.errors",
    "NotFound": "bot.errors",
    "Conflict": "bot.errors",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
