"""Stratified cross-validation of an intent set: how well the classifier would do on new messages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from tqdm.auto import tqdm

from bot.intents.training import SEED, train
from bot.intents.types import IntentDataError
from index.linear_head import HeadParams
from knowledge.intents import OUT_OF_SCOPE, IntentSet


@dataclass(frozen=True)
class CrossValidation:
    """What cross-validation measured; ``confused`` holds (true, predicted, count), most first."""

    accuracy: float
    macro_f1: float
    out_of_scope_recall: float | None
    in_scope_refused: float
    confused: list[tuple[str, str, int]]
    folds: int
    examples: int

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON values (``intents eval --json``)."""
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

    Raises:
        IntentDataError: when ``folds`` is below 2 or above the smallest intent's examples.
    """
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
    return CrossValidation(
        accuracy=float((predicted == y).mean()),
        macro_f1=float(f1_score(y, predicted.astype(str), average="macro")),
        out_of_scope_recall=float(neg_refused.mean()) if len(negs) and negative_vectors is not None else None,
        in_scope_refused=float(refused.mean()),
        confused=_most_confused(y, predicted),
        folds=folds,
        examples=len(y),
    )


def _most_confused(truth: np.ndarray, predicted: np.ndarray, top: int = 10) -> list[tuple[str, str, int]]:
    """The ``top`` (true, predicted) pairs most often confused, most first, ties by name."""
    pairs: dict[tuple[str, str], int] = {}
    for t, guess in zip(truth, predicted, strict=True):
        if t != guess:
            pairs[(t, guess)] = pairs.get((t, guess), 0) + 1
    return sorted(((a, b, n) for (a, b), n in pairs.items()), key=lambda r: (-r[2], r[0], r[1]))[:top]
