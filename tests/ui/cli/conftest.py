"""Fixtures of the command-line tests: the CLI reads its settings from SUPPORTBOT_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store import Store


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, kb_dir: Path, tmp_path: Path) -> Path:
    """Point the CLI at the inline knowledge base with the fake embedder; returns the data folder."""
    data = tmp_path / "data"
    monkeypatch.setenv("SUPPORTBOT_KNOWLEDGE_DIR", str(kb_dir))
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", str(data))
    monkeypatch.setenv("SUPPORTBOT_EMBEDDER", "fake")
    monkeypatch.setenv("SUPPORTBOT_ANSWER_THRESHOLD", "0.45")  # tuned on the real encoder, not the fake
    return data


@pytest.fixture
def cli_store(monkeypatch: pytest.MonkeyPatch, kb_dir: Path, tmp_path: Path) -> Store:
    """The SQLite database the command line is pointed at (through the environment), migrated."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SUPPORTBOT_KNOWLEDGE_DIR", str(kb_dir))
    monkeypatch.setenv("SUPPORTBOT_DATABASE_URL", url)
    monkeypatch.setenv("SUPPORTBOT_EMBEDDER", "fake")
    s = Store(url)
    s.migrate()
    return s
