"""What the intent classifier says: intents, refusals, probabilities, the single-message path."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.intents.model import IntentClassifier
from bot.intents.training import train_from
from index.embedders.fake import HashEmbedder
from knowledge.intents import OUT_OF_SCOPE, load_intents
from tests.bot.intents.helpers import BINARY, PARAPHRASES, predict, probabilities, write_yaml
from tests.helpers import INTENT_EXAMPLES as EXAMPLES
from tests.helpers import INTENT_NEGATIVES as NEGATIVES
from tests.helpers import INTENT_ROUTES as ROUTES
from tests.helpers import UNRELATED

pytestmark = pytest.mark.unit


def test_held_out_paraphrases_get_their_intent(model: IntentClassifier, embedder: HashEmbedder) -> None:
    predictions = predict(model, embedder, list(PARAPHRASES))

    assert {p.text: p.intent for p in predictions} == PARAPHRASES
    assert not any(p.out_of_scope for p in predictions)
    assert all(p.confidence >= model.threshold for p in predictions)


@pytest.mark.parametrize("text", [UNRELATED, "recommend a chocolate cake recipe", "what is the weather in paris"])
def test_clearly_unrelated_text_is_out_of_scope(model: IntentClassifier, embedder: HashEmbedder, text: str) -> None:
    (p,) = predict(model, embedder, [text])

    assert p.out_of_scope is True
    assert p.intent is None
    assert p.best in EXAMPLES  # the closest intent is still reported, for clarifying or logging


def test_probabilities_are_one_column_per_class_and_sum_to_one(model: IntentClassifier, embedder: HashEmbedder) -> None:
    texts = [*PARAPHRASES, UNRELATED]

    probs = probabilities(model, embedder, texts)

    assert list(model.svm.classes_) == sorted([*EXAMPLES, OUT_OF_SCOPE])
    assert probs.shape == (len(texts), len(EXAMPLES) + 1)
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert ((probs >= 0.0) & (probs <= 1.0)).all()
    classes = list(model.svm.classes_)
    for text, row in zip(texts[:-1], probs[:-1], strict=True):
        assert classes[int(row.argmax())] == PARAPHRASES[text]


def test_prediction_carries_runner_up_and_margin(model: IntentClassifier, embedder: HashEmbedder) -> None:
    for p in predict(model, embedder, [*PARAPHRASES, UNRELATED]):
        assert p.runner_up in EXAMPLES and p.runner_up != p.best
        assert 0.0 <= p.runner_up_confidence <= p.confidence <= 1.0
        assert p.margin == pytest.approx(p.confidence - p.runner_up_confidence)


@pytest.mark.parametrize(
    ("examples", "negatives"),
    [(EXAMPLES, NEGATIVES), ({k: EXAMPLES[k] for k in ("invoice", "password_reset")}, [])],
    ids=["five-intents-and-negatives", "two-intents"],  # the second is sklearn's one-column binary case
)
def test_predict_one_reads_a_message_as_the_batch_does(
    embedder: HashEmbedder, tmp_path: Path, examples: dict[str, list[str]], negatives: list[str]
) -> None:
    data = load_intents(write_yaml(tmp_path / "intents.yaml", examples, ROUTES, negatives))
    model = train_from(embedder, data, progress=False)
    texts = [*PARAPHRASES, UNRELATED, "invoice", "???", "Reset PASSWORD, 429!", *examples["invoice"][:2]]

    one = [model.predict_one(t, v) for t, v in zip(texts, embedder.encode(texts), strict=True)]
    batch = predict(model, embedder, texts)

    for fast, slow in zip(one, batch, strict=True):
        assert (fast.text, fast.intent, fast.best, fast.out_of_scope) == (
            slow.text,
            slow.intent,
            slow.best,
            slow.out_of_scope,
        )
        assert fast.runner_up == slow.runner_up
        assert fast.confidence == pytest.approx(slow.confidence, abs=1e-6)
        assert fast.runner_up_confidence == pytest.approx(slow.runner_up_confidence, abs=1e-6)


def test_prediction_json_has_exactly_the_contract_fields(model: IntentClassifier, embedder: HashEmbedder) -> None:
    inside, outside = predict(model, embedder, ["getting 429 rate limit errors", UNRELATED])

    assert inside.to_json() == {
        "text": "getting 429 rate limit errors",
        "intent": "rate_limit",
        "confidence": round(inside.confidence, 4),
        "out_of_scope": False,
    }
    assert outside.to_json()["intent"] is None and outside.to_json()["out_of_scope"] is True
    json.dumps([inside.to_json(), outside.to_json()])  # plain JSON types only


# -- two intents -----------------------------------------------------------------------


@pytest.mark.parametrize("negatives", [[], NEGATIVES], ids=["no-negatives", "with-negatives"])
def test_two_intents_are_told_apart(embedder: HashEmbedder, tmp_path: Path, negatives: list[str]) -> None:
    data = load_intents(write_yaml(tmp_path / "two.yaml", BINARY, {}, negatives))
    texts = ["where is the invoice for april", "forgot my password again", "invoice pdf", "reset password"]
    expected = ["invoice", "password_reset", "invoice", "password_reset"]

    model = train_from(embedder, data, progress=False)
    predictions = predict(model, embedder, texts)
    probs = probabilities(model, embedder, texts)

    assert [p.intent for p in predictions] == expected
    assert [p.runner_up for p in predictions] == ["password_reset", "invoice", "password_reset", "invoice"]
    assert probs.shape == (4, 2 + bool(negatives))
    assert np.allclose(probs.sum(axis=1), 1.0)
    classes = list(model.svm.classes_)
    # Each text's own column holds its probability: sklearn's single binary score is not flipped.
    assert [probs[i, classes.index(label)] > 0.5 for i, label in enumerate(expected)] == [True] * 4


def test_two_intents_with_negatives_still_refuse_unrelated_text(embedder: HashEmbedder, tmp_path: Path) -> None:
    data = load_intents(write_yaml(tmp_path / "two.yaml", BINARY, {}, NEGATIVES))
    model = train_from(embedder, data, progress=False)

    (p,) = predict(model, embedder, ["what is the weather in rome tomorrow"])

    assert p.out_of_scope and p.intent is None
