"""One exception family for the whole project.

Each error subclasses the built-in it resembles, so callers can catch either
``SupportbotError`` or the familiar built-in. Messages name the file, field and bad value.
"""

from __future__ import annotations

from pathlib import Path


class SupportbotError(Exception):
    """Base class of every error supportbot raises on purpose."""


class ConfigError(SupportbotError, ValueError):
    """A setting is missing or has a bad value."""


class KnowledgeError(SupportbotError, ValueError):
    """A knowledge file (article, catalog, evaluation set, FAQ import) is malformed."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None, field: str | None = None):
        self.path = str(path)
        self.line = line
        self.field = field
        self.reason = reason
        where = self.path if line is None else f"{self.path}:{line}"
        what = f" field '{field}':" if field else ""
        super().__init__(f"{where}:{what} {reason}")


class IndexError_(SupportbotError, RuntimeError):
    """The on-disk index is missing, stale or corrupt."""


class InputError(SupportbotError, ValueError):
    """A customer message or request cannot be handled as given (empty, too long)."""
