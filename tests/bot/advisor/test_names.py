"""Model names in a customer's words, however they are written; ordinary words are no names."""

from __future__ import annotations

import pytest

from bot.advisor import resolve_models
from knowledge.catalog import Model

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("chat medium", ["mer-chat-m"]),
        ("Chat-M", ["mer-chat-m"]),
        ("mer chat m", ["mer-chat-m"]),
        ("what about Meridian Chat Large", ["mer-chat-l"]),
        ("embed lite", ["mer-embed-lite"]),
        ("mer-embed-3 or Embed 3 or embed-3", ["mer-embed-3"]),
        ("the vision edge one", ["mer-vision-edge"]),
        ("the speech one vs the speech edge one", ["mer-speech", "mer-speech-edge"]),
        ("classify multilingual vs classify base", ["mer-classify-multi", "mer-classify-base"]),
        ("Meridian Guard", ["mer-guard"]),
        ("mer-chat-m-2025-09", ["mer-chat-m"]),
        ("chat small and chat large", ["mer-chat-s", "mer-chat-l"]),
        # Ordinary words are not model names.
        ("we need to translate and summarise code with speech and vision", []),
        ("how many chats per day", []),
        ("we embed 3 million docs", []),
        ("the chat's history", []),
    ],
)
def test_resolve_models_is_tolerant_of_how_names_are_written(catalog: list[Model], text: str, ids: list[str]) -> None:
    assert resolve_models(text, catalog) == ids
