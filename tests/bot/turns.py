"""Building one turn by hand for routing and handler tests: a message's understanding (prediction
and hits stated by the test), the loaded parts (packaged sentences, no model), route then handler."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from bot.config import Settings
from bot.flows import FlowBook
from bot.handlers import Outcome, Turn, get_handler
from bot.intents.types import Prediction
from bot.routing import route
from bot.startup import Parts, load_assistant_copy
from bot.state import ConversationState
from bot.types import Decision, Route
from bot.understanding import Understanding, smalltalk_intent
from index.types import Chunk, Hit
from knowledge import PACKAGE_DIR
from knowledge.catalog import DEFAULT_CATALOG, load_catalog

COPY = load_assistant_copy(PACKAGE_DIR)
CATALOG = tuple(load_catalog(DEFAULT_CATALOG))


def hit(doc_id: str, score: float, dense: float, anchor: str = "", heading: str = "", text: str = "Some text.") -> Hit:
    chunk = Chunk(doc_id=doc_id, heading=heading or anchor.title(), anchor=anchor, text=text)
    return Hit(
        doc_id=doc_id, title=doc_id.title(), url=f"/kb/{doc_id}", score=score, dense=dense, sparse=0.0, chunk=chunk
    )


def prediction(
    best: str,
    confidence: float,
    runner_up: str | None = None,
    runner_up_confidence: float = 0.0,
    text: str = "a message",
    out_of_scope: bool = False,
) -> Prediction:
    return Prediction(
        text=text,
        intent=None if out_of_scope else best,
        confidence=confidence,
        out_of_scope=out_of_scope,
        best=best,
        runner_up=runner_up,
        runner_up_confidence=runner_up_confidence,
    )


def understood(
    text: str, hits: Sequence[Hit] = (), p: Prediction | None = None, flows: FlowBook | None = None
) -> Understanding:
    """What ``understand`` would make of ``text`` with this prediction and these hits."""
    return Understanding(text, p, tuple(hits), smalltalk_intent(text), flows)


def parts(
    settings: Settings,
    routes: Mapping[str, str] | None = None,
    topics: Mapping[str, str] | None = None,
    flows: FlowBook | None = None,
    catalog: bool = False,
) -> Parts:
    """Parts with the packaged sentences and no index or classifier; the catalog on request."""
    return Parts(
        settings=settings,
        copy=COPY,
        flows=flows,
        catalog=CATALOG if catalog else (),
        routes={name: Route(kind) for name, kind in (routes or {}).items()},
        topics=dict(topics or {}),
    )


def turn(
    text: str,
    parts: Parts,
    hits: Sequence[Hit] = (),
    p: Prediction | None = None,
    state: ConversationState | None = None,
) -> tuple[Decision, Outcome]:
    """Route one message in ``state`` (a new conversation by default), then run the route's handler."""
    message = understood(text, hits, p, parts.flows)
    before = state or ConversationState()
    decision = route(message, before, parts)
    return decision, get_handler(decision.route)(Turn("c1", text, message, decision, before, parts))


def state(**fields: Any) -> ConversationState:
    return replace(ConversationState(), **fields)
