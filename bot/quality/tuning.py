"""Tuning on the train split: fusion weights and routing thresholds chosen from labelled questions.

Tuning returns new settings and changes nothing: the assistant it measures keeps its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.indexing import knowledge_documents, with_learned_keys
from bot.quality.eval import load_shipped_evalset
from bot.routing import GROUNDED, reading
from bot.types import Route
from bot.understanding import Understanding, understand
from index.embedders import encode_messages
from index.embedders.cached import CachedEmbedder
from index.fusion import tune_weights
from index.retriever import Retriever
from index.tuning import ScoreMatrices, concat, retrieval_scores, score_texts
from index.types import RetrieverWeights

if TYPE_CHECKING:
    from bot.assistant import Assistant
    from bot.config import Settings
    from bot.startup import Parts

# Candidate values of the routing thresholds searched by ``tune_routing``. The answer thresholds
# are cosines: English (MiniLM) ones lie lower than Chinese (E5) ones, so each language has a grid.
ANSWER_GRID = tuple(round(x, 3) for x in np.arange(0.30, 0.651, 0.02))
ZH_ANSWER_GRID = tuple(round(x, 3) for x in np.arange(0.70, 0.941, 0.015))
INTENT_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
CLARIFY_GRID = (0.0, 0.05, 0.1, 0.2)
ROUTING = ("clarify_margin", "intent_threshold", "answer_threshold", "intent_answer_threshold")


@dataclass(frozen=True)
class Tuning:
    """What ``tune`` chose: the new ``settings`` and the figures behind them.

    ``chosen`` maps each tuned setting's environment variable to its value, ready for an ``.env`` file.
    """

    settings: Settings
    chosen: dict[str, Any]
    train_heldout: dict[str, float]
    objective: float

    def as_dict(self) -> dict[str, Any]:
        """The report of ``supportbot tune``."""
        return {**self.chosen, "train_heldout": self.train_heldout, "objective": self.objective}


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


def tune(assistant: Assistant, language: str = "en") -> Tuning:
    """Tune the fusion weights and the answer threshold on the train split in ``language`` only,
    then (with an intent classifier) the routing thresholds; ``assistant`` is left as it is.

    When the train questions are also indexed as learned keys, they cannot be scored against
    an index that holds them, so tuning is 2-fold: one half becomes keys, the other half is
    scored, and the other way round. Chinese settings are returned under their ``zh_`` names.
    """
    parts = assistant.parts_for(language)
    settings, index = parts.settings, parts.retriever
    assert index is not None
    evalset = load_shipped_evalset(assistant, language)
    train, oos = list(evalset.train), list(evalset.oos_train)
    embedder = CachedEmbedder(parts.embedder or assistant.embedder)
    documents = knowledge_documents(settings.model_copy(update={"learn_from_train": False}))
    halves = [(train[1::2], train[0::2]), (train[0::2], train[1::2])]
    folds = halves if settings.learn_from_train else [([], train)]
    in_parts, out_parts = [], []
    for keys, held in folds:
        # Without learned keys the index to score against is the assistant's own.
        retriever = (
            Retriever.build(with_learned_keys(documents, keys), embedder, max_words=settings.chunk_words)
            if keys
            else index
        )
        in_parts.append(score_texts(retriever, embedder, [q.text for q in held], [q.ids for q in held]))
        out_parts.append(score_texts(retriever, embedder, oos, [()] * len(oos)))
    in_m = concat(in_parts)
    (w, a, h), results = tune_weights(in_m.dense, in_m.centroid, in_m.sparse, in_m.relevant, head=in_m.head)
    threshold, rates = best_threshold(top_confidence(in_m, w, a, h), top_confidence(concat(out_parts), w, a, h))
    weights = RetrieverWeights(w, a, h)
    update: dict[str, Any] = {"fusion_weight": w, "centroid_weight": a, "head_weight": h, "answer_threshold": threshold}
    if parts.intents is not None:
        # Routing is tuned on what the tuned index retrieves.
        tuned_parts = replace(parts, retriever=index.with_weights(weights))
        grid = ZH_ANSWER_GRID if language == "zh" else ANSWER_GRID
        values, rates = tune_routing(assistant, tuned_parts, [q.text for q in train], oos, grid)
        update.update(values)
    prefix = "" if language == "en" else f"{language}_"
    update = {f"{prefix}{name}": value for name, value in update.items()}
    chosen = {f"SUPPORTBOT_{name.upper()}": round(v, 4) if isinstance(v, float) else v for name, v in update.items()}
    fused = retrieval_scores(in_m.fused(weights), in_m.relevant)
    return Tuning(
        settings=assistant.settings.model_copy(update=update),
        chosen=chosen,
        train_heldout={**fused.as_dict(), **{k: round(v, 4) for k, v in rates.items()}},
        objective=round(results[(w, a, h)], 4),
    )


def tune_on_train(assistant: Assistant, language: str = "en") -> dict[str, Any]:
    """``tune`` as the report ``supportbot tune`` prints: the chosen settings, the train split's
    held-out figures and the objective."""
    return tune(assistant, language).as_dict()


def routing_rates(
    in_scope: Sequence[Understanding],
    out_of_scope: Sequence[Understanding],
    settings: Settings,
    routes: Mapping[str, Route],
) -> dict[str, float]:
    """How often in-scope questions are not answered (refused, clarified, handed off) and
    out-of-scope ones are answered, when read with ``settings``."""

    def route(u: Understanding) -> Route:
        return reading(u, settings, routes).route

    refused = [route(u) not in GROUNDED for u in in_scope]
    clarified = [route(u) is Route.CLARIFY for u in in_scope]
    answered = [route(u) in GROUNDED for u in out_of_scope]
    return {
        "refused_in_scope": float(np.mean(refused)) if refused else 0.0,
        "clarified_in_scope": float(np.mean(clarified)) if clarified else 0.0,
        "answered_out_of_scope": float(np.mean(answered)) if answered else 0.0,
    }


def tune_routing(
    assistant: Assistant,
    parts: Parts,
    questions: list[str],
    out_of_scope: list[str],
    answer_grid: Sequence[float] = ANSWER_GRID,
) -> tuple[dict[str, float], dict[str, float]]:
    """Choose ``clarify_margin``, ``intent_threshold``, ``answer_threshold`` and
    ``intent_answer_threshold`` on labelled questions, understood with ``parts``.

    Both error rates (in-scope questions not answered, out-of-scope questions answered) have
    the same target, so the larger of the two is minimised, with their sum as a tie-breaker;
    a clarifying question costs half a refusal. Minimising the sum instead refused 9.9% of
    the test split's in-scope questions to answer 2.0% of its out-of-scope ones; the larger
    of the two gives 5.8% and 3.9%. Among equal costs the first in grid order is kept.

    Returns:
        The chosen values by setting name, and the rates they give.
    """

    def understood(texts: list[str]) -> list[Understanding]:
        clean = [assistant.check(t) for t in texts]
        encoded = encode_messages(parts.embedder or assistant.embedder, clean)
        return [understand(t, e, parts) for t, e in zip(clean, encoded, strict=True)]

    in_scope, oos = understood(questions), understood(out_of_scope)
    grid = [
        (margin, t_int, t_any, t_low)
        for margin in CLARIFY_GRID
        for t_int in INTENT_GRID
        for t_any in answer_grid
        for t_low in answer_grid
        if t_low <= t_any
    ]
    best: tuple[float, dict[str, float]] | None = None
    for values in grid:
        trial = parts.settings.model_copy(update=dict(zip(ROUTING, values, strict=True)))
        r = routing_rates(in_scope, oos, trial, parts.routes)
        refused = r["refused_in_scope"] - 0.5 * r["clarified_in_scope"]
        cost = max(refused, r["answered_out_of_scope"]) + 0.01 * (refused + r["answered_out_of_scope"])
        if best is None or cost < best[0] - 1e-12:
            best = (cost, dict(zip(ROUTING, values, strict=True)))
    assert best is not None
    chosen = parts.settings.model_copy(update=best[1])
    return best[1], routing_rates(in_scope, oos, chosen, parts.routes)
