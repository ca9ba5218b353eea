"""Fixtures of the intent classifier's tests: the fake embedder and a model trained on the inline set."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.intents.model import IntentClassifier
from bot.intents.training import train_from
from index.embedders.fake import HashEmbedder
from knowledge.intents import IntentSet, load_intents
from tests.bot.intents.helpers import write_yaml
from tests.helpers import INTENT_EXAMPLES as EXAMPLES
from tests.helpers import INTENT_NEGATIVES as NEGATIVES
from tests.helpers import INTENT_ROUTES as ROUTES


@pytest.fixture
def embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture
def intents_file(tmp_path: Path) -> Path:
    return write_yaml(tmp_path / "intents.yaml", EXAMPLES, ROUTES, NEGATIVES)


@pytest.fixture
def data(intents_file: Path) -> IntentSet:
    return load_intents(intents_file)


@pytest.fixture
def model(embedder: HashEmbedder, data: IntentSet) -> IntentClassifier:
    return train_from(embedder, data, progress=False)
