"""Intent classification on the encoder pass the retriever already paid for.

The head is a linear SVM over three views of a message: its encoder features (the mean of
every layer of the pass whose last layer is the retriever's sentence vector, see
``index.embedder.intent_features``, scaled by ``embedding_weight``), TF-IDF of its word uni-
and bigrams and TF-IDF of its character 2-5-grams. The lexical views catch what a frozen
embedding blurs (error codes, product names, "refund" against "refund status"), and cost
well under a millisecond. Decision values become probabilities by a softmax whose
temperature is fitted on out-of-fold scores (temperature scaling), so ``confidence`` means
what it says. A message is out of scope when its top probability falls below a threshold
tuned on validation data or, without any, on out-of-fold predictions and the negatives.
Negatives also train an explicit out-of-scope class.

The benchmark (benchmarks/intents.py) measured the alternatives: logistic regression on the
embedding alone, and fine-tuning the encoder's top layers (see benchmarks/README.md).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy import sparse
from scipy.special import log_softmax, softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC
from tqdm.auto import tqdm

from bot.errors import SupportbotError
from index.embedder import intent_features
from index.head import HeadParams, SingleScorer, decision_scores, fit_head, stack_features
from index.store import building, sha256_file
from knowledge.intents import OUT_OF_SCOPE, IntentSet, load_intents

FORMAT_VERSION = 2  # 2: features are every encoder layer's mean (index.embedder.intent_features)
SEED = 0


class IntentModelError(SupportbotError, RuntimeError):
    """An intent model folder is missing, corrupt, or made for another embedder."""


class IntentDataError(SupportbotError, ValueError):
    """Intent examples cannot be used as asked (too few for the requested folds)."""


@dataclass(frozen=True)
class Prediction:
    """The classifier's reading of one message."""

    text: str
    intent: str | None
    confidence: float
    out_of_scope: bool
    best: str = ""  # the most likely intent, also when out of scope
    negative: bool = False  # the out-of-scope class (trained on negatives) won outright
    threshold: float = 0.0  # the model's own out-of-scope threshold
    runner_up: str | None = None
    runner_up_confidence: float = 0.0

    @property
    def margin(self) -> float:
        return self.confidence - self.runner_up_confidence

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "out_of_scope": self.out_of_scope,
        }


@dataclass
class IntentClassifier:
    """A trained intent head; see the module docstring."""

    labels: list[str]
    routes: dict[str, str]
    words: TfidfVectorizer
    chars: TfidfVectorizer
    svm: LinearSVC
    params: HeadParams
    temperature: float = 1.0
    threshold: float = 0.0
    embedder: str = ""
    fingerprint: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    _fast: SingleScorer | None = field(default=None, repr=False, compare=False)

    # -- features and scores -------------------------------------------------------------
    def _features(self, texts: Sequence[str], vectors: np.ndarray) -> sparse.csr_matrix:
        return stack_features(self.words, self.chars, self.params, texts, vectors)

    def probabilities(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """Calibrated probabilities, one column per entry of ``svm.classes_``."""
        scores = decision_scores(self.svm, self._features(texts, vectors))
        return softmax(scores / self.temperature, axis=1)

    def predict(self, texts: Sequence[str], vectors: np.ndarray) -> list[Prediction]:
        """Each text's best intent; out of scope when the out-of-scope class wins or the best
        intent's probability is below the model's threshold."""
        probs = self.probabilities(texts, vectors)
        return [self._read(text, row) for text, row in zip(texts, probs, strict=True)]

    def predict_one(self, text: str, vector: np.ndarray) -> Prediction:
        """``predict`` for one message, on a path without sparse-matrix overhead (same result)."""
        if self._fast is None:
            self._fast = SingleScorer(self.words, self.chars, self.svm, self.params.embedding_weight)
        scores = self._fast.scores(text, vector)
        return self._read(text, softmax(scores / self.temperature))

    def _read(self, text: str, row: np.ndarray) -> Prediction:
        classes = self.svm.classes_
        in_scope = self._in_scope
        order = in_scope[np.argsort(-row[in_scope])]
        best = str(classes[order[0]])
        confidence = float(row[order[0]])
        explicit = len(in_scope) < len(classes) and row.argmax() not in in_scope
        oos = bool(explicit or confidence < self.threshold)
        second = str(classes[order[1]]) if len(order) > 1 else None
        return Prediction(
            text=text,
            intent=None if oos else best,
            confidence=confidence,
            out_of_scope=oos,
            best=best,
            negative=bool(explicit),
            threshold=self.threshold,
            runner_up=second,
            runner_up_confidence=float(row[order[1]]) if second is not None else 0.0,
        )

    @property
    def _in_scope(self) -> np.ndarray:
        return np.flatnonzero(np.asarray(self.svm.classes_) != OUT_OF_SCOPE)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_fast"] = None
        return state

    # -- persistence ---------------------------------------------------------------------
    def save(self, folder: str | Path) -> Path:
        """Write the model to ``folder`` atomically: a temporary sibling renamed into place."""
        with building(folder) as tmp:
            joblib.dump(self, tmp / "classifier.joblib")
            manifest = {
                "format": FORMAT_VERSION,
                "embedder": self.embedder,
                "fingerprint": self.fingerprint,
                "labels": self.labels,
                "routes": self.routes,
                "threshold": self.threshold,
                "temperature": self.temperature,
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "info": self.info,
                "checksum": sha256_file(tmp / "classifier.joblib"),
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        return Path(folder)

    @classmethod
    def load(cls, folder: str | Path, embedder: str | None = None) -> IntentClassifier:
        """The model saved in ``folder``.

        The file is a pickle: load only folders this installation wrote. Its checksum is
        verified against the manifest first.

        Raises:
            IntentModelError: when the folder has no model, the checksum differs, or it was
                trained on another embedder than ``embedder``.
        """
        manifest = read_manifest(folder)
        if manifest is None:
            raise IntentModelError(f"{folder}: no intent model here (manifest.json missing or unreadable)")
        if manifest.get("format") != FORMAT_VERSION:
            raise IntentModelError(f"{folder}: model format {manifest.get('format')!r}, expected {FORMAT_VERSION}")
        path = Path(folder) / "classifier.joblib"
        if not path.is_file() or sha256_file(path) != manifest.get("checksum"):
            raise IntentModelError(f"{path}: missing or its checksum differs from the manifest; retrain")
        if embedder is not None and manifest.get("embedder") != embedder:
            raise IntentModelError(
                f"{folder}: trained on embeddings of {manifest.get('embedder')!r}, but this assistant uses {embedder!r}"
            )
        model = joblib.load(path)
        if not isinstance(model, cls):
            raise IntentModelError(f"{path}: not an intent classifier")
        return model


def read_manifest(folder: str | Path) -> dict[str, Any] | None:
    try:
        data = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


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
    )
    steps.set_postfix_str("calibrating")
    if validation is None:
        cal_labels = labels
        cal_scores = _oof_scores(texts, labels, vectors, params, classes)
    else:
        val, val_vectors, val_negatives = validation
        cal_texts, cal_labels, cal_vectors = _with_negatives(val, val_vectors, val_negatives)
        cal_scores = decision_scores(svm, model._features(cal_texts, cal_vectors))
    steps.update()
    steps.set_postfix_str("threshold")
    _calibrate(model, classes, cal_scores, np.array(cal_labels))
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

    It is retrained when the examples (their fingerprint) or the embedder changed.
    Returns None when there is no intent file (an imported FAQ has none): routing then
    relies on retrieval alone.
    """
    if not data_path.is_file():
        return None
    data = load_intents(data_path)
    manifest = read_manifest(folder)
    if manifest and manifest.get("fingerprint") == data.fingerprint() and manifest.get("embedder") == embedder.name:
        try:
            return IntentClassifier.load(folder, embedder.name)
        except IntentModelError:
            pass  # corrupt or stale: retrain below
    model = train_from(embedder, data, progress=progress)
    model.save(folder)
    return model


@dataclass(frozen=True)
class CrossValidation:
    accuracy: float
    macro_f1: float
    out_of_scope_recall: float | None
    in_scope_refused: float
    confused: list[tuple[str, str, int]]
    folds: int
    examples: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "out_of_scope_recall": None if self.out_of_scope_recall is None else round(self.out_of_scope_recall, 4),
            "in_scope_refused": round(self.in_scope_refused, 4),
            "confused": [{"true": a, "predicted": b, "count": n} for a, b, n in self.confused],
            "folds": self.folds,
            "examples": self.examples,
        }


def cross_validate(
    data: IntentSet,
    vectors: np.ndarray,
    negative_vectors: np.ndarray | None = None,
    folds: int = 5,
    params: HeadParams | None = None,
    progress: bool = True,
) -> CrossValidation:
    """Stratified ``folds``-fold cross-validation; negatives are split into the same folds.

    Accuracy and macro-F1 are of the top intent (refusals aside); ``in_scope_refused`` is the
    share of in-scope examples the threshold would have refused.
    """
    from sklearn.metrics import f1_score

    smallest = min(Counter(data.labels).values())
    if not 2 <= folds <= smallest:
        raise IntentDataError(
            f"{data.source or 'the data'}: {folds}-fold cross-validation needs between 2 and {smallest} folds "
            f"(the smallest intent has {smallest} examples)"
        )
    y = np.array(data.labels)
    texts = np.array(data.texts, dtype=object)
    negs = np.array(data.negatives, dtype=object)
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    neg_fold = np.arange(len(negs)) % folds
    predicted = np.empty(len(y), dtype=object)
    refused = np.zeros(len(y), dtype=bool)
    neg_refused = np.zeros(len(negs), dtype=bool)
    for k, (tr, te) in enumerate(
        tqdm(list(split.split(np.zeros(len(y)), y)), desc="cross-validating", unit="fold", disable=not progress)
    ):
        keep = neg_fold != k
        part = IntentSet(tuple(texts[tr]), tuple(y[tr]), data.routes, tuple(negs[keep]))
        neg_v = negative_vectors[keep] if negative_vectors is not None and len(negs) else None
        model = train(part, vectors[tr], neg_v, params=params, progress=False)
        probs = model.probabilities(list(texts[te]), vectors[te])
        classes = np.array(model.svm.classes_)
        in_scope = [i for i, c in enumerate(classes) if c != OUT_OF_SCOPE]
        predicted[te] = classes[in_scope][probs[:, in_scope].argmax(axis=1)]
        refused[te] = [p.out_of_scope for p in model.predict(list(texts[te]), vectors[te])]
        if len(negs) and negative_vectors is not None and (~keep).any():
            held = model.predict(list(negs[~keep]), negative_vectors[~keep])
            neg_refused[~keep] = [p.out_of_scope for p in held]
    pairs: dict[tuple[str, str], int] = {}
    for truth, guess in zip(y, predicted, strict=True):
        if truth != guess:
            pairs[(truth, guess)] = pairs.get((truth, guess), 0) + 1
    confused = sorted(((a, b, n) for (a, b), n in pairs.items()), key=lambda t: (-t[2], t[0], t[1]))[:10]
    return CrossValidation(
        accuracy=float((predicted == y).mean()),
        macro_f1=float(f1_score(y, predicted.astype(str), average="macro")),
        out_of_scope_recall=float(neg_refused.mean()) if len(negs) and negative_vectors is not None else None,
        in_scope_refused=float(refused.mean()),
        confused=confused,
        folds=folds,
        examples=len(y),
    )
