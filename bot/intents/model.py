"""The intent classifier: a linear head over three views of a message, and its predictions.

The head is a linear SVM over three views of a message: its encoder features (the mean of
every layer of the pass whose last layer is the retriever's sentence vector, see
``index.embedders.pooling.intent_features``, scaled by ``embedding_weight``), TF-IDF of its word uni-
and bigrams and TF-IDF of its character 2-5-grams. The lexical views catch what a frozen
embedding blurs (error codes, product names, "refund" against "refund status"), and cost
well under a millisecond. Decision values become probabilities by a softmax whose
temperature is fitted on out-of-fold scores (temperature scaling, ``bot.intents.training``),
so ``confidence`` means what it says. A message is out of scope when the explicit
out-of-scope class (trained on negatives) wins or its top probability falls below the
model's threshold.

The benchmark (benchmarks/intents.py) measured the alternatives: logistic regression on the
embedding alone, and fine-tuning the encoder's top layers (see benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from bot.intents.files import read_folder, write_folder
from bot.intents.types import IntentModelError, Prediction
from index.linear_head import HeadParams, SingleScorer, decision_scores, stack_features
from knowledge.intents import OUT_OF_SCOPE


@dataclass
class IntentClassifier:
    """A trained intent head; see the module docstring.

    ``labels`` are the intents' names, ``routes`` their routes and ``topics`` their
    customer-facing labels (the ``label:`` of intents.yaml; display only, not trained on).
    """

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
    topics: dict[str, str] = field(default_factory=dict)
    _fast: SingleScorer | None = field(default=None, repr=False, compare=False)

    # -- features and scores -------------------------------------------------------------
    def features(self, texts: Sequence[str], vectors: np.ndarray) -> sparse.csr_matrix:
        """The head's input for ``texts`` whose intent features are ``vectors``."""
        return stack_features(self.words, self.chars, self.params, texts, vectors)

    def probabilities(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """Calibrated probabilities, one column per entry of ``svm.classes_``."""
        scores = decision_scores(self.svm, self.features(texts, vectors))
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
        manifest = {
            "embedder": self.embedder,
            "fingerprint": self.fingerprint,
            "labels": self.labels,
            "routes": self.routes,
            "threshold": self.threshold,
            "temperature": self.temperature,
            "info": self.info,
        }
        return write_folder(folder, self, manifest)

    @classmethod
    def load(cls, folder: str | Path, embedder: str | None = None) -> IntentClassifier:
        """The model saved in ``folder``.

        The file is a pickle: load only folders this installation wrote. Its checksum is
        verified against the manifest first.

        Raises:
            IntentModelError: when the folder has no model, the checksum differs, or it was
                trained on another embedder than ``embedder``.
        """
        model = read_folder(folder, embedder)
        if not isinstance(model, cls):
            raise IntentModelError(f"{Path(folder) / 'classifier.joblib'}: not an intent classifier")
        return model
