"""Errors of the knowledge files: every one names the file, and the line and field where known."""

from __future__ import annotations

from pathlib import Path

from index.errors import SupportbotError


class KnowledgeError(SupportbotError, ValueError):
    """A knowledge file (article, catalog, flow, intents, evaluation set, FAQ import) is malformed."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None, field: str | None = None):
        self.path = str(path)
        self.line = line
        self.field = field
        self.reason = reason
        where = self.path if line is None else f"{self.path}:{line}"
        what = f" field '{field}':" if field else ""
        super().__init__(f"{where}:{what} {reason}")
