"""Training the intent classifier: the head, its temperature, its out-of-scope threshold.

Decision values become probabilities by a softmax whose temperature is fitted on out-of-fold
scores (temperature scaling), so ``confidence`` means what it says. The out-of-scope threshold
is tuned on validation data or, without any, on out-of-fold predictions and the negatives.
Negatives also train an explicit out-of-scope class. ``ensure_model`` reuses the cached model
while the examples and the embedder are unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import log_softmax, softmax
from sklearn.model_selection import StratifiedKFold
from tqdm.auto import tqdm

from bot.intents.files import read_manifest
from bot.intents.model import IntentClassifier
from bot.intents.types import IntentModelError
from index.embedders.pooling import intent_features
from index.linear_head import HeadParams, decision_scores, fit_head, stack_features
from knowledge.intents import OUT_OF_SCOPE, IntentSet, load_intents

SEED = 0


def fit_temperature(scores: np.ndarray, targets: np.ndarray) -> float:
    """The softmax temperature minimising the negative log-likelihood of ``targets``."""
    grid = np.exp(np.linspace(np.log(0.01), np.log(10.0), 121))
    rows = np.arange(len(targets))
    nll = [-log_softmax(scores / t, axis=1)[rows, targets].mean() for t in grid]
    return float(grid[int(np.argmin(nll))])


def choose_threshold(
    in_scope_conf: np.ndarray,
    in_scope_correct: np.ndarray,
    oos_conf: np.ndarray,
    refuse_share: float,
    min_recall: float | None = None,
) -> float:
    """The out-of-scope threshold.

    With negatives: the threshold maximising in-scope accuracy (a refused message counts as
    wrong) plus out-of-scope recall; among ties the lowest. With ``min_recall``: the threshold
    with the best in-scope accuracy among those refusing at least that share of the negatives.
    Without negatives: the threshold that refuses ``refuse_share`` of the in-scope examples.
    """
    if len(oos_conf) == 0:
        return float(np.quantile(in_scope_conf, refuse_share)) if len(in_scope_conf) else 0.0
    candidates = np.unique(np.concatenate([[0.0], in_scope_conf, oos_conf + 1e-9]))
    best, best_t = -np.inf, 0.0
    for t in candidates:
        accuracy = (in_scope_correct & (in_scope_conf >= t)).mean()
        recall = (oos_conf < t).mean()
        score = accuracy + recall if min_recall is None else (accuracy if recall >= min_recall else -np.inf)
        if score > best + 1e-12:
            best, best_t = score, float(t)
    return best_t


def _oof_scores(
    texts: list[str], labels: list[str], vectors: np.ndarray, params: HeadParams, classes: list[str]
) -> np.ndarray:
    """Out-of-fold decision values of every training example, columns in ``classes`` order."""
    y = np.array(labels)
    smallest = int(min(np.unique(y, return_counts=True)[1]))
    if smallest < 2:
        # Too few examples to hold any out: calibrate on the training scores themselves.
        words, chars, svm = fit_head(texts, labels, vectors, params)
        scores = decision_scores(svm, stack_features(words, chars, params, texts, vectors))
        cols = [classes.index(c) for c in svm.classes_]
        out = np.full((len(texts), len(classes)), scores.min() - 1.0)
        out[:, cols] = scores
        return out
    folds = max(2, min(params.calibration_folds, smallest))
    out = np.zeros((len(texts), len(classes)), dtype=np.float64)
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train_idx, held_idx in split.split(np.zeros(len(y)), y):
        words, chars, svm = fit_head([texts[i] for i in train_idx], y[train_idx].tolist(), vectors[train_idx], params)
        scores = decision_scores(
            svm, stack_features(words, chars, params, [texts[i] for i in held_idx], vectors[held_idx])
        )
        cols = [classes.index(c) for c in svm.classes_]
        block = np.full((len(held_idx), len(classes)), scores.min() - 1.0)
        block[:, cols] = scores
        out[held_idx] = block
    return out


def train(
    data: IntentSet,
    vectors: np.ndarray,
    negative_vectors: np.ndarray | None = None,
    validation: tuple[IntentSet, np.ndarray, np.ndarray | None] | None = None,
    params: HeadParams | None = None,
    embedder: str = "",
    progress: bool = True,
) -> IntentClassifier:
    """Train a classifier on ``data`` whose texts' embeddings are ``vectors``.

    Args:
        negative_vectors: embeddings of ``data.negatives`` (out-of-scope examples).
        validation: a held-out set (its examples, their vectors, its negatives' vectors);
            calibration and the out-of-scope threshold are fitted on it when given,
            else on out-of-fold predictions of the training data.

    Raises:
        ValueError: when ``data`` has negatives but ``negative_vectors`` does not match them.
    """
    params = params or HeadParams()
    t0 = time.perf_counter()
    texts, labels, vectors = _with_negatives(data, vectors, negative_vectors)
    classes = sorted(set(labels))
    steps = tqdm(total=3, desc="training intents", unit="step", disable=not progress)
    steps.set_postfix_str("fitting")
    words, chars, svm = fit_head(texts, labels, vectors, params)
    steps.update()
    model = IntentClassifier(
        labels=sorted(set(data.labels)),
        routes=dict(data.routes),
        words=words,
        chars=chars,
        svm=svm,
        params=params,
        embedder=embedder,
        fingerprint=data.fingerprint(),
        topics=dict(data.topics),
    )
    steps.set_postfix_str("calibrating")
    if validation is None:
        cal_scores, cal_truth = _oof_scores(texts, labels, vectors, params, classes), np.array(labels)
    else:
        cal_scores, cal_truth = _validation_scores(model, *validation)
    steps.update()
    steps.set_postfix_str("threshold")
    _calibrate(model, classes, cal_scores, cal_truth)
    steps.update()
    steps.close()
    model.info = {
        "examples": len(data.texts),
        "intents": len(model.labels),
        "negatives": len(data.negatives),
        "calibrated_on": "validation" if validation is not None else "out-of-fold",
        "train_seconds": round(time.perf_counter() - t0, 2),
    }
    return model


def _with_negatives(
    data: IntentSet, vectors: np.ndarray, negative_vectors: np.ndarray | None
) -> tuple[list[str], list[str], np.ndarray]:
    """Examples and negatives as one labelled list, negatives labelled ``out_of_scope``."""
    texts, labels = list(data.texts), list(data.labels)
    if not data.negatives:
        return texts, labels, vectors
    if negative_vectors is None or len(negative_vectors) != len(data.negatives):
        raise ValueError("negative_vectors must hold one embedding per negative")
    texts += list(data.negatives)
    labels += [OUT_OF_SCOPE] * len(data.negatives)
    return texts, labels, np.vstack([vectors, negative_vectors])


def _validation_scores(
    model: IntentClassifier, data: IntentSet, vectors: np.ndarray, negative_vectors: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """``model``'s decision values on a held-out set and its negatives, with their true labels."""
    texts, labels, vectors = _with_negatives(data, vectors, negative_vectors)
    return decision_scores(model.svm, model.features(texts, vectors)), np.array(labels)


def _calibrate(model: IntentClassifier, classes: list[str], scores: np.ndarray, truth: np.ndarray) -> None:
    """Fit the temperature on the in-scope rows, then the out-of-scope threshold on all rows."""
    index = {c: i for i, c in enumerate(classes)}
    in_rows = np.array([t != OUT_OF_SCOPE and t in index for t in truth])
    if in_rows.any():
        model.temperature = fit_temperature(scores[in_rows], np.array([index[t] for t in truth[in_rows]]))
    probs = softmax(scores / model.temperature, axis=1)
    predicted = np.array(classes)[probs.argmax(axis=1)]
    # An explicit out-of-scope prediction is a refusal whatever its probability.
    conf = np.where(predicted == OUT_OF_SCOPE, -1.0, probs.max(axis=1))
    oos_rows = truth == OUT_OF_SCOPE
    model.threshold = choose_threshold(
        conf[in_rows], (predicted == truth)[in_rows], conf[oos_rows], model.params.refuse_in_scope
    )


def features_of(embedder: Any, texts: Sequence[str]) -> np.ndarray:
    """The intent features of ``texts``, from one encoder pass each."""
    return intent_features(embedder.encode_layers(list(texts), batch_size=128))


def encode_set(embedder: Any, data: IntentSet) -> tuple[np.ndarray, np.ndarray | None]:
    """Intent features of ``data``'s examples and of its negatives (None when it has none)."""
    return features_of(embedder, data.texts), features_of(embedder, data.negatives) if data.negatives else None


def train_from(
    embedder: Any, data: IntentSet, validation: IntentSet | None = None, progress: bool = True
) -> IntentClassifier:
    """Encode ``data`` (and ``validation``) with ``embedder`` and train on it."""
    vectors, negatives = encode_set(embedder, data)
    held = None
    if validation is not None:
        val_vectors, val_negatives = encode_set(embedder, validation)
        held = (validation, val_vectors, val_negatives)
    return train(data, vectors, negatives, held, embedder=embedder.name, progress=progress)


def ensure_model(data_path: Path, folder: Path, embedder: Any, progress: bool = True) -> IntentClassifier | None:
    """The intent model of ``data_path``, loaded from ``folder`` or trained and saved there.

    It is retrained when the examples (their fingerprint) or the embedder changed; a reworded
    ``label:`` is not trained on, so the cached model is kept and given the file's topics.
    Returns None when there is no intent file (an imported FAQ has none): routing then
    relies on retrieval alone.

    Raises:
        KnowledgeError: when the intent file is malformed.
    """
    if not data_path.is_file():
        return None
    data = load_intents(data_path)
    manifest = read_manifest(folder)
    if manifest and manifest.get("fingerprint") == data.fingerprint() and manifest.get("embedder") == embedder.name:
        try:
            model = IntentClassifier.load(folder, embedder.name)
        except IntentModelError:
            pass  # corrupt or stale: retrain below
        else:
            model.topics = dict(data.topics)
            return model
    model = train_from(embedder, data, progress=progress)
    model.save(folder)
    return model
