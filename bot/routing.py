"""Choosing the route of a message from what the classifier and the retriever found.

The decision combines two signals. The intent classifier says what kind of message it is
(small talk, a request for a person, a failure, a question) and whether it is out of
scope; retrieval says whether the knowledge base holds an answer. An in-scope intent
routing trusts (see ``trusted``) lowers the retrieval confidence needed to answer
(``intent_answer_threshold``); any other message is answered only when retrieval alone is
sure (``answer_threshold``). Two intents of different routes about equally likely
(``clarify_margin``) lead to a question. Thresholds come from settings; this module holds
no numbers of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.config import Settings
from bot.handlers.smalltalk import smalltalk_intent
from bot.intents.types import Prediction
from bot.types import Route
from index.types import Hit

# Routes whose reply is drawn from the knowledge base and so needs a retrieval hit.
GROUNDED = frozenset({Route.ANSWER, Route.TROUBLESHOOT, Route.ADVISE})


@dataclass(frozen=True)
class Decision:
    route: Route
    intent: str | None
    confidence: float
    runner_up: str | None = None


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


FAILURE = re.compile(
    r"\b(errors?|fail\w*|broken|not working|doesn'?t work|does not work|won'?t|can'?t|cannot|unable|stuck|"
    r"keeps?|getting|got|returns?|returned|returning|rejected|denied|refused|time[sd]? ?out|timed out|slow\w*|"
    r"crash\w*|exception|traceback|invalid|expired|missing|blocked|suspended|declined|cut off|drops?|"
    r"disconnect\w*|worse|wrong|down|unavailable|outage|\d{3}s?)\b|[{}]|Error\b",
    re.IGNORECASE,
)


def reports_failure(text: str) -> bool:
    """Whether the message reports something failing (rather than asking how something works)."""
    return bool(FAILURE.search(text))


def trusted(prediction: Prediction | None, settings: Settings) -> bool:
    """Whether routing acts on the predicted intent.

    Never when the out-of-scope class won. Otherwise when the intent's probability reaches
    ``settings.intent_threshold`` (tuned on the knowledge evaluation split, where it weighs
    the intent against retrieval), or, when that is unset, the model's own out-of-scope
    threshold (tuned on intent data alone).
    """
    if prediction is None or prediction.negative:
        return False
    threshold = settings.intent_threshold if settings.intent_threshold is not None else prediction.threshold
    return prediction.confidence >= threshold


def decide(
    text: str,
    hits: list[Hit],
    settings: Settings,
    prediction: Prediction | None = None,
    routes: dict[str, str] | None = None,
) -> Decision:
    """The route for ``text``.

    Args:
        prediction: the intent classifier's reading, or None when there is no classifier
            (an imported FAQ without intents): then retrieval alone decides.
        routes: each intent's route, from the intent data.
    """
    small = smalltalk_intent(text)
    if small is not None:
        return Decision(Route.SMALLTALK, small, 1.0)
    retrieval = retrieval_confidence(hits)
    if not trusted(prediction, settings):
        if retrieval >= settings.answer_threshold:
            return Decision(Route.ANSWER, None, retrieval)
        return Decision(Route.FALLBACK, None, retrieval)

    assert prediction is not None
    intent = prediction.best
    routes = routes or {}
    route = Route(routes.get(intent, Route.ANSWER.value))
    other = prediction.runner_up
    other_route = Route(routes.get(other, Route.ANSWER.value)) if other else None
    ambiguous = other is not None and other_route is not route and prediction.margin < settings.clarify_margin
    # A question back is for when neither signal is sure: retrieval alone sure means answer.
    if ambiguous and retrieval < settings.answer_threshold:
        return Decision(Route.CLARIFY, intent, prediction.confidence, runner_up=other)
    if route is Route.TROUBLESHOOT and not reports_failure(text):
        route = Route.ANSWER  # "what are the rate limits on Starter?" asks about limits; nothing fails
    if route in GROUNDED:
        if retrieval >= settings.intent_answer_threshold and hits:
            return Decision(route, intent, retrieval)
        return Decision(Route.FALLBACK, intent, retrieval)
    if prediction.out_of_scope:
        # Small talk and handoff act on the intent alone, with no retrieval to check it: they
        # need the classifier's own in-scope verdict, not just the lower routing threshold.
        if retrieval >= settings.answer_threshold:
            return Decision(Route.ANSWER, None, retrieval)
        return Decision(Route.FALLBACK, None, retrieval)
    return Decision(route, intent, prediction.confidence)
