"""One turn of a conversation: classify and retrieve on the one embedding, route, reply.

``Assistant.reply`` guards the input and encodes it once; this module does the rest, so
every front end (CLI, chat page, API) and the evaluation go through the same steps.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from bot.config import Settings
from bot.handlers import Context, get_handler
from bot.intents import IntentClassifier, Prediction
from bot.routing import Decision, decide
from bot.store import TicketDraft, new_ticket_number
from bot.types import Reply, Route
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


# -- conversations -----------------------------------------------------------------------------

AFFIRMATIVE = re.compile(
    r"^(y|ya|yes|yeah|yep|yup|sure|ok|okay|please|yes please|connect me|do it|go ahead)\b", re.IGNORECASE
)


@dataclass
class ConversationState:
    """What the assistant remembers of a conversation between turns (stored as JSON)."""

    status: str = "bot"  # bot: the assistant answers; handoff: a person has the conversation
    fallbacks: int = 0  # consecutive fallbacks
    last_topic: str | None = None  # the article last answered from
    last_intent: str | None = None
    last_models: list[str] = field(default_factory=list)
    flow: dict[str, Any] | None = None  # {id, step, path} of a running troubleshooting flow
    advisor: dict[str, Any] | None = None  # {facts, asked} while the advisor collects facts
    offered_person: str | None = None  # why a person was offered last turn, awaiting yes/no
    tried: list[str] = field(default_factory=list)  # flow paths and articles tried, for the ticket
    recent: list[str] = field(default_factory=list)  # the customer's last messages, for the ticket
    ticket: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ConversationState:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})


@dataclass(frozen=True)
class TurnResult:
    reply: Reply
    state: ConversationState
    ticket: TicketDraft | None = None


def quiet_reply(conversation_id: str, state: ConversationState) -> Reply:
    """While a person has the conversation the bot answers nothing; it only confirms receipt."""
    return Reply(
        reply=f"Your message was added to ticket {state.ticket}. A person from the support team will reply here.",
        route=Route.HANDOFF,
        conversation_id=conversation_id,
        ticket=state.ticket,
    )


def hand_over(conversation_id: str, text: str, state: ConversationState, reason: str, intent: str | None) -> TurnResult:
    """Open a ticket with a summary of the conversation and go quiet."""
    number = new_ticket_number()
    summary = {
        "reason": reason,
        "intent": intent or state.last_intent,
        "tried": list(state.tried),
        "flow_path": list((state.flow or {}).get("path", [])),
        "customer_words": [*state.recent[-5:], text],
    }
    state.status, state.ticket, state.offered_person, state.flow, state.advisor = "handoff", number, None, None, None
    lead = {
        "asked": "Of course.",
        "frustrated": "I'm sorry this has been frustrating.",
        "fallbacks": "I couldn't answer that twice in a row, so",
        "flow_unresolved": "Thanks for working through those steps with me.",
    }.get(reason, "")
    reply = Reply(
        reply=(
            f"{lead} I've passed this conversation to the support team as ticket {number}, with what we "
            "tried so far, so nobody has to ask you again. A person will reply here; until then I'll stay quiet."
        ).strip(),
        route=Route.HANDOFF,
        conversation_id=conversation_id,
        intent=intent,
        confidence=1.0,
        ticket=number,
    )
    return TurnResult(reply, state, TicketDraft(number=number, reason=reason, summary=summary))


def converse(
    conversation_id: str,
    text: str,
    vector: np.ndarray,
    state: ConversationState,
    parts: Parts,
) -> TurnResult:
    """One turn of a stored conversation: the state machine around ``understand`` and the handlers.

    Order: a conversation a person has stays quiet; an offer of a person awaiting an answer is
    settled; a running flow or advisor takes the message when it is an answer to them; else
    the routed handler answers, and two fallbacks in a row, an explicit request or clear
    frustration hand over.
    """
    if state.status == "handoff":
        return TurnResult(quiet_reply(conversation_id, state), state)
    result = _converse(conversation_id, text, vector, state, parts)
    result.state.recent = [*result.state.recent, text][-5:]
    return result


def _converse(
    conversation_id: str, text: str, vector: np.ndarray, state: ConversationState, parts: Parts
) -> TurnResult:
    if state.offered_person is not None:
        reason, state.offered_person = state.offered_person, None
        if AFFIRMATIVE.match(text.strip()):
            return hand_over(conversation_id, text, state, reason, state.last_intent)
    understood = understand(text, vector, parts.retriever, parts.intents, parts.settings)
    decision = understood.decision
    if decision.route is Route.HANDOFF:
        reason = "frustrated" if decision.intent == "complaint" else "asked"
        return hand_over(conversation_id, text, state, reason, decision.intent)
    reply = respond(conversation_id, text, understood, parts.settings)
    if reply.route is Route.FALLBACK:
        state.fallbacks += 1
        if state.fallbacks >= parts.settings.fallbacks_before_handoff:
            return hand_over(conversation_id, text, state, "fallbacks", decision.intent)
    else:
        state.fallbacks = 0
    if reply.sources:
        state.last_topic = reply.sources[0].id
        state.tried.append(reply.sources[0].id)
        state.tried = state.tried[-10:]
    state.last_intent = decision.intent or state.last_intent
    return TurnResult(reply, state)


@dataclass(frozen=True)
class Parts:
    """The loaded pieces a turn needs."""

    retriever: Retriever
    intents: IntentClassifier | None
    settings: Settings
