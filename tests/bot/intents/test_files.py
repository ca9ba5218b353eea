"""The model folder: saved and loaded atomically, and refused when it is not this model's."""

from __future__ import annotations

import json
from pathlib import Path

import joblib
import numpy as np
import pytest

from bot.intents.model import IntentClassifier
from bot.intents.training import train_from
from bot.intents.types import IntentModelError
from index.embedders.fake import HashEmbedder
from index.persist import sha256_file
from knowledge.intents import IntentSet, load_intents
from tests.bot.intents.helpers import BINARY, PARAPHRASES, predict, probabilities, write_yaml
from tests.helpers import INTENT_EXAMPLES as EXAMPLES
from tests.helpers import UNRELATED

pytestmark = pytest.mark.unit


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


def test_load_refuses_a_whole_file_this_version_cannot_unpickle(model: IntentClassifier, tmp_path: Path) -> None:
    # A folder written by older code: its checksum matches, but the class it names is gone.
    folder = model.save(tmp_path / "intents")
    (folder / "classifier.joblib").write_bytes(b"cbot.intents\nIntentClassifier\n.")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["checksum"] = sha256_file(folder / "classifier.joblib")
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    with pytest.raises(IntentModelError, match="cannot be read by this version"):
        IntentClassifier.load(folder, "fake-hash")
