"""The tiny inline intent set of the classifier's tests, written as intents.yaml, and reading helpers."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.intents.model import IntentClassifier
from bot.intents.types import Prediction
from index.embedders.fake import HashEmbedder
from tests.helpers import INTENT_EXAMPLES as EXAMPLES

# Held-out paraphrases: each shares words with its intent's examples, none is an example.
PARAPHRASES = {
    "where is the invoice for april": "invoice",
    "reset my password link": "password_reset",
    "getting 429 rate limit errors": "rate_limit",
    "I want a human person": "human_handoff",
    "how long is my data kept": "data_retention",
}

BINARY = {k: EXAMPLES[k] for k in ("invoice", "password_reset")}


def label_of(intent: str) -> str:
    """The ``label:`` the inline files give ``intent``."""
    return f"About {intent.replace('_', ' ')}"


def write_yaml(
    path: Path,
    examples: dict[str, list[str]],
    routes: dict[str, str],
    negatives: list[str],
    labels: dict[str, str] | None = None,
) -> Path:
    """``examples`` as an intents.yaml at ``path``; each intent labelled ``labels[name]`` or ``label_of(name)``."""
    lines = ["intents:"]
    for name, texts in examples.items():
        lines.append(f"  {name}:")
        lines.append(f"    label: {(labels or {}).get(name, label_of(name))}")
        if name in routes:
            lines.append(f"    route: {routes[name]}")
        lines.append("    examples:")
        lines += [f"      - {t}" for t in texts]
    if negatives:
        lines.append("out_of_scope:")
        lines += [f"  - {t}" for t in negatives]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def predict(model: IntentClassifier, embedder: HashEmbedder, texts: list[str]) -> list[Prediction]:
    return model.predict(texts, embedder.encode(texts))


def probabilities(model: IntentClassifier, embedder: HashEmbedder, texts: list[str]) -> np.ndarray:
    return model.probabilities(texts, embedder.encode(texts))
