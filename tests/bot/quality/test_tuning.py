"""Tuning on the train split returns new settings and leaves the assistant it measured as it was."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.quality.tuning import ROUTING, best_threshold, tune, tune_on_train
from index.embedders.fake import HashEmbedder
from tests.bot.intents.helpers import write_yaml
from tests.helpers import INTENT_EXAMPLES, INTENT_NEGATIVES, INTENT_ROUTES, UNRELATED

pytestmark = pytest.mark.unit

TRAIN = [
    ("where can I download my invoice", "invoices"),
    ("I forgot my password", "reset-password"),
    ("why do I get 429 errors", "rate-limits"),
    ("I lost my secret key", "api-keys"),
    ("do you store my prompts", "data-retention"),
    ("the reset e-mail never arrives", "reset-password"),
]
OUT_OF_SCOPE = [UNRELATED, "recommend a good pasta recipe", "who won the football match yesterday"]


def _jsonl(path: Path, rows: Sequence[Mapping[str, object]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def tuned_kb(kb_dir: Path) -> Path:
    """The inline knowledge with an evaluation set and intent examples."""
    folder = kb_dir / "eval"
    folder.mkdir()
    questions = [{"text": t, "ids": [i]} for t, i in TRAIN]
    _jsonl(folder / "train.jsonl", questions)
    _jsonl(folder / "test.jsonl", questions)
    for split in ("train", "test"):
        _jsonl(folder / f"out_of_scope_{split}.jsonl", [{"text": t} for t in OUT_OF_SCOPE])
    write_yaml(kb_dir / "intents.yaml", INTENT_EXAMPLES, INTENT_ROUTES, INTENT_NEGATIVES)
    return kb_dir


def test_tuning_returns_new_settings_and_changes_nothing(tuned_kb: Path, settings: Settings) -> None:
    assistant = Assistant(settings.model_copy(update={"knowledge_dir": tuned_kb}), embedder=HashEmbedder())
    assistant.warm_up(progress=False)
    before, weights = assistant.settings.model_dump(), assistant.retriever.weights

    tuning = tune(assistant)

    assert assistant.settings.model_dump() == before and assistant.retriever.weights == weights
    chosen = tuning.settings
    assert tuning.chosen["SUPPORTBOT_FUSION_WEIGHT"] == chosen.fusion_weight
    for name in ROUTING:  # with intents, the routing thresholds are tuned too
        assert tuning.chosen[f"SUPPORTBOT_{name.upper()}"] == getattr(chosen, name)
    assert chosen.knowledge_dir == tuned_kb  # everything not tuned is carried over
    report = tune_on_train(assistant)
    assert set(report) == {*tuning.chosen, "train_heldout", "objective"}
    assert {"refused_in_scope", "answered_out_of_scope"} <= set(report["train_heldout"])


def test_the_best_threshold_separates_the_two_populations() -> None:
    threshold, rates = best_threshold(np.array([0.7, 0.8, 0.9]), np.array([0.1, 0.2, 0.65]))

    assert 0.65 < threshold <= 0.7
    assert rates == {"refused_in_scope": 0.0, "answered_out_of_scope": 0.0}
