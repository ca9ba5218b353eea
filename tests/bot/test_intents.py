"""The intent classifier, trained on a tiny inline set with the deterministic fake embedder."""

from __future__ import annotations

import json
from pathlib import Path

import joblib
import numpy as np
import pytest

from bot import intents as intents_module
from bot.intents import (
    HeadParams,
    IntentClassifier,
    IntentModelError,
    Prediction,
    choose_threshold,
    cross_validate,
    encode_set,
    ensure_model,
    fit_temperature,
    train,
    train_from,
)
from index.embedder import HashEmbedder
from knowledge.intents import OUT_OF_SCOPE, IntentSet, load_intents
from tests.helpers import INTENT_EXAMPLES as EXAMPLES
from tests.helpers import INTENT_NEGATIVES as NEGATIVES
from tests.helpers import INTENT_ROUTES as ROUTES
from tests.helpers import REFUND_INTENTS, UNRELATED

pytestmark = pytest.mark.unit

# Held-out paraphrases: each shares words with its intent's examples, none is an example.
PARAPHRASES = {
    "where is the invoice for april": "invoice",
    "reset my password link": "password_reset",
    "getting 429 rate limit errors": "rate_limit",
    "I want a human person": "human_handoff",
    "how long is my data kept": "data_retention",
}


def write_yaml(path: Path, examples: dict[str, list[str]], routes: dict[str, str], negatives: list[str]) -> Path:
    lines = ["intents:"]
    for name, texts in examples.items():
        lines.append(f"  {name}:")
        if name in routes:
            lines.append(f"    route: {routes[name]}")
        lines.append("    examples:")
        lines += [f"      - {t}" for t in texts]
    if negatives:
        lines.append("out_of_scope:")
        lines += [f"  - {t}" for t in negatives]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


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


def predict(model: IntentClassifier, embedder: HashEmbedder, texts: list[str]) -> list[Prediction]:
    return model.predict(texts, embedder.encode(texts))


def probabilities(model: IntentClassifier, embedder: HashEmbedder, texts: list[str]) -> np.ndarray:
    return model.probabilities(texts, embedder.encode(texts))


# -- what the classifier says --------------------------------------------------------------


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


# -- two intents ---------------------------------------------------------------------------

BINARY = {k: EXAMPLES[k] for k in ("invoice", "password_reset")}


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


# -- saving and loading --------------------------------------------------------------------


def test_save_and_load_give_identical_probabilities(
    model: IntentClassifier, embedder: HashEmbedder, data: IntentSet, tmp_path: Path
) -> None:
    texts = [*PARAPHRASES, UNRELATED]
    vectors = embedder.encode(texts)
    before = [model.predict_one(t, v) for t, v in zip(texts, vectors, strict=True)]  # warms the single-text path
    folder = model.save(tmp_path / "models" / "intents")

    loaded = IntentClassifier.load(folder, "fake-hash")

    assert np.array_equal(probabilities(loaded, embedder, texts), probabilities(model, embedder, texts))
    assert predict(loaded, embedder, texts) == predict(model, embedder, texts)
    assert [loaded.predict_one(t, v) for t, v in zip(texts, vectors, strict=True)] == before
    assert (loaded.labels, loaded.routes, loaded.threshold) == (model.labels, model.routes, model.threshold)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embedder"] == "fake-hash"
    assert manifest["fingerprint"] == data.fingerprint()
    assert manifest["labels"] == sorted(EXAMPLES)
    assert manifest["routes"]["human_handoff"] == "handoff"
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == ["intents"]  # no temporary folder left


def test_load_refuses_a_tampered_classifier_file(model: IntentClassifier, tmp_path: Path) -> None:
    folder = model.save(tmp_path / "intents")
    with (folder / "classifier.joblib").open("ab") as f:
        f.write(b"\0")

    with pytest.raises(IntentModelError, match="checksum differs"):
        IntentClassifier.load(folder, "fake-hash")


def test_load_refuses_a_model_of_another_embedder(model: IntentClassifier, tmp_path: Path) -> None:
    folder = model.save(tmp_path / "intents")

    with pytest.raises(IntentModelError) as info:
        IntentClassifier.load(folder, "sentence-transformers/all-MiniLM-L6-v2")

    assert "'fake-hash'" in str(info.value)
    assert "all-MiniLM-L6-v2" in str(info.value)


@pytest.mark.parametrize("damage", ["no-folder", "no-manifest", "bad-json", "other-format", "no-classifier"])
def test_load_refuses_a_folder_without_a_usable_model(model: IntentClassifier, tmp_path: Path, damage: str) -> None:
    folder = model.save(tmp_path / "intents")
    manifest = folder / "manifest.json"
    if damage == "no-folder":
        folder = tmp_path / "elsewhere"
    elif damage == "no-manifest":
        manifest.unlink()
    elif damage == "bad-json":
        manifest.write_text("{not json", encoding="utf-8")
    elif damage == "other-format":
        manifest.write_text(json.dumps({**json.loads(manifest.read_text(encoding="utf-8")), "format": 99}))
    else:
        (folder / "classifier.joblib").unlink()

    with pytest.raises(IntentModelError, match=str(folder.name)):
        IntentClassifier.load(folder, "fake-hash")


def test_a_new_save_replaces_the_previous_model(
    model: IntentClassifier, embedder: HashEmbedder, tmp_path: Path
) -> None:
    other = train_from(embedder, load_intents(write_yaml(tmp_path / "two.yaml", BINARY, {}, [])), progress=False)
    folder = model.save(tmp_path / "store" / "intents")

    other.save(folder)

    assert IntentClassifier.load(folder, "fake-hash").labels == ["invoice", "password_reset"]
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == ["intents"]


def test_a_failed_save_leaves_the_previous_model_intact(
    model: IntentClassifier, embedder: HashEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [*PARAPHRASES, UNRELATED]
    folder = model.save(tmp_path / "store" / "intents")
    before = probabilities(model, embedder, texts)
    other = train_from(embedder, load_intents(write_yaml(tmp_path / "two.yaml", BINARY, {}, [])), progress=False)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch, pytest.raises(OSError, match="No space left"):
        patch.setattr(joblib, "dump", disk_full)
        other.save(folder)

    loaded = IntentClassifier.load(folder, "fake-hash")
    assert loaded.labels == sorted(EXAMPLES)
    assert np.array_equal(probabilities(loaded, embedder, texts), before)
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == ["intents"]  # the half-written copy is gone


# -- ensure_model: load when current, retrain when not -------------------------------------


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

    monkeypatch.setattr(intents_module, "train_from", no_training)
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


# -- cross-validation, calibration and the threshold ----------------------------------------


def test_cross_validation_of_distinct_intents_is_accurate(embedder: HashEmbedder, data: IntentSet) -> None:
    vectors, negatives = encode_set(embedder, data)

    report = cross_validate(data, vectors, negatives, folds=2, progress=False)

    assert report.accuracy >= 0.85
    assert report.macro_f1 >= 0.85
    assert report.folds == 2 and report.examples == 40
    assert report.out_of_scope_recall is not None and 0.0 <= report.out_of_scope_recall <= 1.0
    assert 0.0 <= report.in_scope_refused <= 0.2
    as_json = json.loads(json.dumps(report.as_dict()))
    assert set(as_json) == {
        "accuracy",
        "macro_f1",
        "out_of_scope_recall",
        "in_scope_refused",
        "confused",
        "folds",
        "examples",
    }


def test_cross_validation_names_the_intents_it_confuses(embedder: HashEmbedder, tmp_path: Path) -> None:
    examples = {
        **EXAMPLES,
        **REFUND_INTENTS,
    }
    data = load_intents(write_yaml(tmp_path / "intents.yaml", examples, ROUTES, NEGATIVES))
    vectors, negatives = encode_set(embedder, data)

    report = cross_validate(data, vectors, negatives, folds=3, progress=False)

    assert report.accuracy < 1.0
    pairs = [{a, b} for a, b, _ in report.confused]
    assert {"refund_status", "refund_request"} in pairs
    counts = [n for _, _, n in report.confused]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == round((1 - report.accuracy) * report.examples)


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


def test_head_parameters_change_the_model(embedder: HashEmbedder, data: IntentSet) -> None:
    vectors, negatives = encode_set(embedder, data)
    texts = list(PARAPHRASES)

    default = train(data, vectors, negatives, progress=False)
    tuned = train(data, vectors, negatives, params=HeadParams(c=3.0, embedding_weight=0.5), progress=False)

    assert tuned.params.c == 3.0
    assert not np.allclose(probabilities(default, embedder, texts), probabilities(tuned, embedder, texts))
    assert [p.intent for p in predict(tuned, embedder, texts)] == list(PARAPHRASES.values())
