"""Training the intent classifier: what it remembers, calibration, the threshold, and ensure_model's cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.intents import training
from bot.intents.model import IntentClassifier
from bot.intents.training import choose_threshold, encode_set, ensure_model, fit_temperature, train, train_from
from index.embedders.fake import HashEmbedder
from index.linear_head import HeadParams
from knowledge.intents import IntentSet, load_intents
from tests.bot.intents.helpers import BINARY, PARAPHRASES, label_of, predict, probabilities, write_yaml
from tests.helpers import INTENT_EXAMPLES as EXAMPLES
from tests.helpers import INTENT_NEGATIVES as NEGATIVES
from tests.helpers import INTENT_ROUTES as ROUTES
from tests.helpers import UNRELATED

pytestmark = pytest.mark.unit


def test_model_remembers_routes_labels_and_training_facts(model: IntentClassifier, data: IntentSet) -> None:
    assert model.labels == sorted(EXAMPLES)
    assert model.routes["rate_limit"] == "troubleshoot"
    assert model.routes["human_handoff"] == "handoff"
    assert model.routes["invoice"] == "answer"
    assert model.embedder == "fake-hash"
    assert model.fingerprint == data.fingerprint()
    assert model.info["examples"] == 40 and model.info["intents"] == 5 and model.info["negatives"] == 6
    assert model.info["calibrated_on"] == "out-of-fold"
    assert 0.0 < model.threshold < 1.0
    assert model.temperature > 0.0


def test_training_is_reproducible(embedder: HashEmbedder, data: IntentSet) -> None:
    texts = [*PARAPHRASES, UNRELATED]

    first = train_from(embedder, data, progress=False)
    second = train_from(embedder, data, progress=False)

    assert np.array_equal(probabilities(first, embedder, texts), probabilities(second, embedder, texts))
    assert (first.threshold, first.temperature) == (second.threshold, second.temperature)


def test_validation_set_calibrates_the_threshold(embedder: HashEmbedder, data: IntentSet, tmp_path: Path) -> None:
    held = {name: texts[:2] for name, texts in EXAMPLES.items()}
    held["invoice"] = ["invoice for april please", "where is my receipt"]
    validation = load_intents(write_yaml(tmp_path / "val.yaml", held, ROUTES, ["cheap flights to rome", "a poem"]))

    model = train_from(embedder, data, validation, progress=False)

    assert model.info["calibrated_on"] == "validation"
    assert {p.text: p.intent for p in predict(model, embedder, list(PARAPHRASES))} == PARAPHRASES


def test_negatives_without_their_vectors_are_refused(embedder: HashEmbedder, data: IntentSet) -> None:
    vectors, _ = encode_set(embedder, data)

    with pytest.raises(ValueError, match="one embedding per negative"):
        train(data, vectors, None, progress=False)


def test_head_parameters_change_the_model(embedder: HashEmbedder, data: IntentSet) -> None:
    vectors, negatives = encode_set(embedder, data)
    texts = list(PARAPHRASES)

    default = train(data, vectors, negatives, progress=False)
    tuned = train(data, vectors, negatives, params=HeadParams(c=3.0, embedding_weight=0.5), progress=False)

    assert tuned.params.c == 3.0
    assert not np.allclose(probabilities(default, embedder, texts), probabilities(tuned, embedder, texts))
    assert [p.intent for p in predict(tuned, embedder, texts)] == list(PARAPHRASES.values())


# -- calibration and the threshold -----------------------------------------------------


def test_temperature_matches_the_known_optimum() -> None:
    # Three right and one wrong with a margin of 1: the likelihood peaks at p = 3/4, so T = 1 / ln 3.
    scores = np.array([[1.0, 0.0]] * 4)
    targets = np.array([0, 0, 0, 1])

    assert fit_temperature(scores, targets) == pytest.approx(1 / np.log(3), rel=0.05)


def test_temperature_sharpens_sure_scores_and_flattens_coin_flips() -> None:
    scores = np.array([[2.0, 0.0], [0.0, 2.0]] * 2)

    sure = fit_temperature(scores, np.array([0, 1, 0, 1]))
    coin = fit_temperature(scores, np.array([0, 1, 1, 0]))  # the top score is right half of the time

    assert sure < 0.1
    assert coin > 5.0


def test_threshold_with_negatives_separates_them_from_in_scope_examples() -> None:
    in_conf = np.array([0.9, 0.8, 0.7, 0.65])
    correct = np.array([True, True, True, True])
    oos_conf = np.array([0.3, 0.2, 0.4])

    t = choose_threshold(in_conf, correct, oos_conf, refuse_share=0.02)

    assert 0.4 < t <= 0.65
    assert t == pytest.approx(0.4, abs=1e-6)  # the lowest of the equally good thresholds


def test_threshold_without_negatives_refuses_the_asked_share() -> None:
    in_conf = np.linspace(0.1, 1.0, 101)

    t = choose_threshold(in_conf, np.ones(101, dtype=bool), np.array([]), refuse_share=0.1)

    assert (in_conf < t).mean() == pytest.approx(0.1, abs=0.011)
    assert choose_threshold(np.array([]), np.array([], dtype=bool), np.array([]), 0.1) == 0.0


# -- ensure_model: load when current, retrain when not ---------------------------------


def test_ensure_model_without_an_intent_file_is_none(embedder: HashEmbedder, tmp_path: Path) -> None:
    assert ensure_model(tmp_path / "missing.yaml", tmp_path / "model", embedder, progress=False) is None
    assert not (tmp_path / "model").exists()


def test_ensure_model_trains_once_then_loads(
    intents_file: Path, embedder: HashEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "model"
    first = ensure_model(intents_file, folder, embedder, progress=False)
    assert first is not None and (folder / "manifest.json").is_file()

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("retrained although nothing changed")

    monkeypatch.setattr(training, "train_from", no_training)
    second = ensure_model(intents_file, folder, embedder, progress=False)

    assert second is not None
    texts = list(PARAPHRASES)
    assert np.array_equal(probabilities(second, embedder, texts), probabilities(first, embedder, texts))


def test_ensure_model_retrains_when_the_examples_change(
    intents_file: Path, embedder: HashEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "model"
    ensure_model(intents_file, folder, embedder, progress=False)
    write_yaml(intents_file, BINARY, {}, [])

    model = ensure_model(intents_file, folder, embedder, progress=False)

    assert model is not None and model.labels == ["invoice", "password_reset"]
    assert IntentClassifier.load(folder, "fake-hash").labels == ["invoice", "password_reset"]


def test_ensure_model_retrains_a_corrupt_model_or_one_of_another_embedder(
    intents_file: Path, embedder: HashEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "model"
    ensure_model(intents_file, folder, embedder, progress=False)
    (folder / "classifier.joblib").write_bytes(b"garbage")

    repaired = ensure_model(intents_file, folder, embedder, progress=False)
    assert repaired is not None
    assert IntentClassifier.load(folder, "fake-hash").labels == sorted(EXAMPLES)

    other = HashEmbedder()
    other.name = "fake-hash-v2"
    ensure_model(intents_file, folder, other, progress=False)
    assert IntentClassifier.load(folder, "fake-hash-v2").embedder == "fake-hash-v2"


def test_the_model_carries_each_intents_label(model: IntentClassifier) -> None:
    assert model.topics == {name: label_of(name) for name in EXAMPLES}


def test_a_reworded_label_reaches_the_cached_model_without_retraining(
    intents_file: Path, embedder: HashEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "model"
    ensure_model(intents_file, folder, embedder, progress=False)
    write_yaml(intents_file, EXAMPLES, ROUTES, NEGATIVES, labels={"rate_limit": "Too many requests (429)"})

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("retrained although only a label changed")

    monkeypatch.setattr(training, "train_from", no_training)
    model = ensure_model(intents_file, folder, embedder, progress=False)

    assert model is not None
    assert model.topics["rate_limit"] == "Too many requests (429)"
    assert model.topics["invoice"] == label_of("invoice")
