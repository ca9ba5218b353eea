"""One turn of a conversation: classify and retrieve on the one embedding, route, reply.

``Assistant.reply`` guards the input and encodes it once; this module does the rest, so
every front end (CLI, chat page, API) and the evaluation go through the same steps.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np

from bot.config import Settings
from bot.handlers import Context, get_handler
from bot.intents import IntentClassifier, Prediction
from bot.routing import Decision, decide
from bot.types import Reply
from index.retriever import Retriever
from index.types import Hit

# Documents retrieved per message: enough for 3 sources and 2 related quick replies.
RETRIEVE_K = 5


@dataclass(frozen=True)
class Understanding:
    """What the assistant made of a message before choosing a reply."""

    prediction: Prediction | None
    hits: tuple[Hit, ...]
    decision: Decision


def understand(
    text: str, vector: np.ndarray, retriever: Retriever, intents: IntentClassifier | None, settings: Settings
) -> Understanding:
    """The intent, the retrieved documents and the route of ``text`` whose embedding is ``vector``."""
    prediction = intents.predict_one(text, vector) if intents is not None else None
    hits = retriever.search(text, vector, k=RETRIEVE_K)
    routes = intents.routes if intents is not None else None
    return Understanding(prediction, tuple(hits), decide(text, hits, settings, prediction, routes))


def respond(conversation_id: str | None, text: str, understood: Understanding, settings: Settings) -> Reply:
    """The reply of the route chosen for ``text``."""
    d = understood.decision
    ctx = Context(
        conversation_id=conversation_id or uuid.uuid4().hex,
        text=text,
        hits=understood.hits,
        settings=settings,
        intent=d.intent,
        confidence=d.confidence,
        runner_up=d.runner_up,
    )
    return get_handler(d.route)(ctx)
