"""Choosing the route of a message from what the classifier and the retriever found.

Thresholds come from settings; this module holds no numbers of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.handlers.smalltalk import smalltalk_intent
from bot.types import Route
from index.types import Hit


@dataclass(frozen=True)
class Decision:
    route: Route
    intent: str | None
    confidence: float


def retrieval_confidence(hits: list[Hit]) -> float:
    """How sure retrieval is, in [0, 1]: the cosine of the best document's best key or chunk.

    A logistic model over more signals (cosine, key centroid, BM25, margin) separated the train
    split's answerable and out-of-scope questions slightly better (AUC 0.978 against 0.962),
    but learned that short messages are suspect and refused "401" and "429", which customers
    type all the time; the plain cosine does not have that failure.
    """
    if not hits:
        return 0.0
    return max(0.0, min(1.0, hits[0].dense))


def decide(text: str, hits: list[Hit], settings: Settings) -> Decision:
    """The route for ``text``: small talk by rule, else answer above the threshold, else fallback."""
    small = smalltalk_intent(text)
    if small is not None:
        return Decision(Route.SMALLTALK, small, 1.0)
    confidence = retrieval_confidence(hits)
    if confidence >= settings.answer_threshold:
        return Decision(Route.ANSWER, None, confidence)
    return Decision(Route.FALLBACK, None, confidence)
