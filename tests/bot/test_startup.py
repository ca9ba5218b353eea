"""Start-up: every sentence the code says is checked in assistant.yaml before the first customer."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import KnowledgeError
from bot.startup import REQUIRED_COPY, load_assistant_copy
from knowledge.copy import DEFAULT_COPY

pytestmark = pytest.mark.unit


def test_the_packaged_sentences_hold_every_key_the_code_asks_for() -> None:
    copy = load_assistant_copy(DEFAULT_COPY.parent)

    assert {"handoff.ticket_opened", "menus.person_offer", "flows.start", "smalltalk.greeting"} <= set(REQUIRED_COPY)
    assert copy.say("flows.start") == "Let's work through this one step at a time."


def test_a_knowledge_folder_without_sentences_speaks_the_packaged_ones(kb_dir: Path) -> None:
    assert load_assistant_copy(kb_dir).path == str(DEFAULT_COPY)


def test_a_missing_sentence_stops_the_start_up_naming_the_file_and_key(kb_dir: Path) -> None:
    text = DEFAULT_COPY.read_text(encoding="utf-8").replace("  declined: Alright.", "  refused: Alright.")
    (kb_dir / "assistant.yaml").write_text(text, encoding="utf-8")

    with pytest.raises(KnowledgeError, match=r"assistant\.yaml.*handoff\.declined"):
        load_assistant_copy(kb_dir)
