"""Settings come from code defaults and SUPPORTBOT_* variables; a bad value names the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.errors import ConfigError

pytestmark = pytest.mark.unit


def test_environment_variables_override_defaults(monkeypatch: pytest.MonkeyPatch, kb_dir: Path) -> None:
    monkeypatch.setenv("SUPPORTBOT_KNOWLEDGE_DIR", str(kb_dir))
    monkeypatch.setenv("SUPPORTBOT_ANSWER_THRESHOLD", "0.61")
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", "/srv/bot")

    settings = load_settings(embedder="fake")

    assert settings.knowledge_dir == kb_dir
    assert settings.answer_threshold == 0.61
    assert settings.embedder == "fake"
    assert settings.resolved_index_dir == Path("/srv/bot/index")
    assert settings.model_cache_dir == Path("/srv/bot/models")


def test_dot_env_file_in_the_working_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SUPPORTBOT_THREADS=3\n", encoding="utf-8")

    assert load_settings().threads == 3


@pytest.mark.parametrize(
    ("variable", "value", "name"),
    [
        ("SUPPORTBOT_THREADS", "0", "THREADS"),
        ("SUPPORTBOT_EMBEDDER", "openai", "EMBEDDER"),
        ("SUPPORTBOT_MAX_SOURCES", "4", "MAX_SOURCES"),
        ("SUPPORTBOT_FUSION_WEIGHT", "-1", "FUSION_WEIGHT"),
        ("SUPPORTBOT_PORT", "http", "PORT"),
        ("SUPPORTBOT_KNOWLEDGE_DIR", "/no/such/folder", "KNOWLEDGE_DIR"),
    ],
)
def test_a_bad_setting_is_named_with_its_value(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, name: str
) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ConfigError) as info:
        load_settings()

    message = str(info.value)
    assert f"SUPPORTBOT_{name}=" in message
    assert value in message
    assert isinstance(info.value, ValueError)


def test_a_bad_override_is_named_too() -> None:
    with pytest.raises(ConfigError, match="SUPPORTBOT_CHUNK_WORDS=5"):
        load_settings(chunk_words=5)


def test_settings_are_frozen_and_hold_the_thresholds_code_used_to_keep(kb_dir: Path) -> None:
    settings = load_settings(knowledge_dir=kb_dir)

    with pytest.raises(ValueError, match="frozen"):
        settings.answer_threshold = 0.1
    assert (settings.retrieve_k, settings.answer_words, settings.source_margin, settings.related_margin) == (
        5, 160, 0.08, 0.25,
    )  # fmt: skip
    assert settings.model_copy(update={"answer_threshold": 0.1}).answer_threshold == 0.1
    assert settings.answer_threshold == 0.52


def test_the_advisor_weights_are_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPPORTBOT_ADVISOR_WEIGHTS", '{"speed": 2.0}')

    weights = load_settings().advisor_weights

    assert (weights.speed, weights.cost) == (2.0, 1.0)
