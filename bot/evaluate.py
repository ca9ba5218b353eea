"""Quality of the assistant on the shipped evaluation set, and tuning of its thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.assistant import Assistant
from bot.types import Route
from index.tuning import ScoreMatrices, retrieval_scores, score_matrices, tune
from knowledge.evalset import EvalSet, LabelledQuestion, load_evalset


def load_shipped_evalset(assistant: Assistant) -> EvalSet:
    known = {d.id for d in assistant.retriever.docs}
    return load_evalset(assistant.settings.knowledge_dir / "eval", known)


def _matrices(assistant: Assistant, questions: tuple[LabelledQuestion, ...]) -> tuple[ScoreMatrices, np.ndarray]:
    texts = [q.text for q in questions]
    vectors = assistant.embedder.encode(texts)
    return score_matrices(assistant.retriever, vectors, texts, [q.ids for q in questions]), vectors


def _top_confidence(assistant: Assistant, texts: list[str]) -> np.ndarray:
    """The dense confidence of the top fused document for each text (what routing thresholds)."""
    r = assistant.retriever
    vectors = assistant.embedder.encode(texts)
    dense = r.dense_scores(vectors, depth=len(r.dense))
    fused = (dense + r.centroid_weight * r.centroid_scores(vectors)) if r.centroid_weight else dense
    from index.fusion import fuse

    fused = fuse(fused, r.sparse_scores(texts), r.weight)
    top = fused.argmax(axis=1)
    return dense[np.arange(len(texts)), top]


def best_threshold(in_scope: np.ndarray, out_of_scope: np.ndarray) -> tuple[float, dict[str, float]]:
    """The threshold minimising (in-scope refused rate + out-of-scope answered rate).

    Ties go to the midpoint of the best run of candidates, away from both populations.
    """
    candidates = np.unique(np.concatenate([in_scope, out_of_scope]))
    candidates = np.concatenate([candidates, candidates + 1e-6])
    costs = np.array([(in_scope < t).mean() + (out_of_scope >= t).mean() for t in candidates])
    best = costs.min()
    good = np.sort(candidates[costs <= best + 1e-12])
    threshold = float((good[0] + good[-1]) / 2) if good[-1] - good[0] < 0.05 else float(good[len(good) // 2])
    return threshold, {
        "refused_in_scope": float((in_scope < threshold).mean()),
        "answered_out_of_scope": float((out_of_scope >= threshold).mean()),
    }


def tune_on_train(assistant: Assistant) -> dict[str, Any]:
    """Tune the fusion weights and the answer threshold on the train split; returns the settings."""
    evalset = load_shipped_evalset(assistant)
    matrices, _ = _matrices(assistant, evalset.train)
    weights = tune(assistant.retriever, matrices)
    conf_in = _top_confidence(assistant, [q.text for q in evalset.train])
    conf_out = _top_confidence(assistant, list(evalset.oos_train))
    threshold, rates = best_threshold(conf_in, conf_out)
    assistant.settings.answer_threshold = threshold
    return {
        "SUPPORTBOT_FUSION_WEIGHT": weights["fusion_weight"],
        "SUPPORTBOT_CENTROID_WEIGHT": weights["centroid_weight"],
        "SUPPORTBOT_ANSWER_THRESHOLD": round(threshold, 4),
        "train": {"objective": round(weights["objective"], 4), **{k: round(v, 4) for k, v in rates.items()}},
    }


@dataclass(frozen=True)
class Report:
    split: str
    retrieval: dict[str, float]
    dense_only: dict[str, float]
    sparse_only: dict[str, float]
    answered_out_of_scope: float
    refused_in_scope: float
    n_out_of_scope: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "retrieval": self.retrieval,
            "dense_only": self.dense_only,
            "bm25_only": self.sparse_only,
            "answered_out_of_scope": round(self.answered_out_of_scope, 4),
            "refused_in_scope": round(self.refused_in_scope, 4),
            "n_out_of_scope": self.n_out_of_scope,
        }


def evaluate(assistant: Assistant, split: str = "test") -> Report:
    """Retrieval quality and abstention on one split, through the real ``Assistant.reply`` path."""
    evalset = load_shipped_evalset(assistant)
    questions, oos = evalset.split(split)
    matrices, _ = _matrices(assistant, questions)
    r = assistant.retriever
    fused = matrices.fused(r.weight, r.centroid_weight)
    refused = sum(assistant.reply(None, q.text).route == Route.FALLBACK for q in questions)
    answered = sum(assistant.reply(None, t).route == Route.ANSWER for t in oos)
    return Report(
        split=split,
        retrieval=retrieval_scores(fused, matrices.relevant).as_dict(),
        dense_only=retrieval_scores(matrices.dense, matrices.relevant).as_dict(),
        sparse_only=retrieval_scores(matrices.sparse, matrices.relevant).as_dict(),
        answered_out_of_scope=answered / max(len(oos), 1),
        refused_in_scope=refused / max(len(questions), 1),
        n_out_of_scope=len(oos),
    )
