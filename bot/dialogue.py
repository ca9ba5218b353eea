"""One turn of a conversation: classify and retrieve on the one embedding, route, reply.

``Assistant.reply`` guards the input and encodes it once; this module does the rest, so
every front end (CLI, chat page, API) and the evaluation go through the same steps.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from bot.advisor import Weights, advise, asks_a_fact, model_fact_reply, model_in_question, which_one_reply
from bot.config import Settings
from bot.flows import FlowBook, OutcomeKind, StepView, advance, start
from bot.handlers import Context, get_handler
from bot.intents.model import IntentClassifier
from bot.intents.types import Prediction
from bot.routing import Decision, decide
from bot.store import TicketDraft, new_ticket_number
from bot.types import Reply, Route, Source
from index.embedders import Encoding
from index.retriever import Retriever
from index.types import Hit
from knowledge.catalog import Model
from knowledge.copy import Copy
from knowledge.flows import Flow

# Documents retrieved per message: enough for 3 sources and 2 related quick replies.
RETRIEVE_K = 5


@dataclass(frozen=True)
class Understanding:
    """What the assistant made of a message before choosing a reply."""

    prediction: Prediction | None
    hits: tuple[Hit, ...]
    decision: Decision
    topics: Mapping[str, str] = field(default_factory=dict)  # the intents' customer-facing labels


def understand(
    text: str, encoding: Encoding, retriever: Retriever, intents: IntentClassifier | None, settings: Settings
) -> Understanding:
    """The intent, the retrieved documents and the route of ``text``, encoded as ``encoding``."""
    prediction = intents.predict_one(text, encoding.features) if intents is not None else None
    hits = retriever.search(text, encoding.vector, k=RETRIEVE_K, features=encoding.features)
    routes = intents.routes if intents is not None else None
    topics = intents.topics if intents is not None else {}
    return Understanding(prediction, tuple(hits), decide(text, hits, settings, prediction, routes), topics)


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
        topics=understood.topics,
    )
    return get_handler(d.route)(ctx)


# -- conversations -----------------------------------------------------------------------------

NEGATIVE = re.compile(r"^(n|no|nope|nah|no thanks?|no,? thank you|not now|not yet|maybe later|i'?m good)\b", re.I)
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
    advisor: dict[str, Any] | None = None  # {slot, asked} while the advisor waits for an answer
    facts: dict[str, Any] | None = None  # what the customer said about the model they need
    offered_person: str | None = None  # why a person was offered last turn, awaiting yes/no
    tried: list[str] = field(default_factory=list)  # flow paths and articles tried, for the ticket
    recent: list[str] = field(default_factory=list)  # the customer's last messages, for the ticket
    ticket: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A copy as plain JSON values (nothing shared with this state)."""
        return {name: _copied(getattr(self, name)) for name in STATE_FIELDS}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ConversationState:
        """The state in ``data`` (unknown keys ignored); nothing is shared with ``data``."""
        return cls(**{k: _copied(v) for k, v in (data or {}).items() if k in STATE_FIELDS})


def _copied(value: Any) -> Any:
    """A copy of a JSON value, fast for the shallow shapes a conversation state holds."""
    if isinstance(value, list):
        return [_copied(v) for v in value]
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    return value


STATE_FIELDS = tuple(f.name for f in fields(ConversationState))


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


def declined_person(conversation_id: str) -> Reply:
    return Reply(
        reply="Alright. If you want a person later, just say so. Is there anything else I can help with?",
        route=Route.SMALLTALK,
        conversation_id=conversation_id,
        quick_replies=("Choose a model", "Fix an API error", "Pricing"),
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


# -- troubleshooting flows --------------------------------------------------------------------

FLOW_ENDS = ("fixed", "unresolved")
PERSON_OFFER = ("Yes, connect me to a person", "No, thanks")


def _article_source(parts: Parts, doc_id: str | None) -> tuple[Source, ...]:
    if doc_id is None:
        return ()
    doc = parts.retriever.doc(doc_id)
    return () if doc is None else (Source(id=doc.id, title=doc.title, score=1.0, url=doc.url),)


def step_reply(conversation_id: str, step: StepView, parts: Parts, intent: str | None, lead: str = "") -> Reply:
    """One step of a flow: the advice, the article behind it, the answers as quick replies."""
    return Reply(
        reply=f"{lead}{step.text}",
        route=Route.TROUBLESHOOT,
        conversation_id=conversation_id,
        intent=intent,
        confidence=1.0,
        sources=_article_source(parts, step.article),
        quick_replies=step.quick_replies,
        flow={"id": step.flow_id, "step": step.step_id},
    )


def start_flow(
    conversation_id: str, flow: Flow, state: ConversationState, parts: Parts, intent: str | None
) -> TurnResult:
    first = start(flow)
    state.flow = {"id": flow.id, "step": first.step_id, "path": []}
    lead = "Let's work through this one step at a time. "
    return TurnResult(step_reply(conversation_id, first, parts, intent, lead), state)


def continue_flow(
    conversation_id: str, text: str, state: ConversationState, parts: Parts, understood: Understanding
) -> TurnResult | None:
    """The next step of the running flow, or None when the message is not an answer to it."""
    assert state.flow is not None and parts.flows is not None
    flow = parts.flows.get(state.flow["id"])
    if flow is None or state.flow["step"] not in flow.steps:
        state.flow = None  # the flows were edited since: start afresh
        return None
    outcome = advance(flow, state.flow["step"], text, state.flow.get("path", []))
    path = list(outcome.path)
    intent = state.last_intent
    if outcome.kind is OutcomeKind.STEP:
        assert outcome.view is not None
        state.flow = {"id": flow.id, "step": outcome.view.step_id, "path": path}
        return TurnResult(step_reply(conversation_id, outcome.view, parts, intent), state)
    if outcome.kind is OutcomeKind.FIXED:
        state.flow = None
        state.tried.append(f"{flow.id}: {' > '.join(path)} > fixed")
        reply = Reply(
            reply="Great, glad that's working again. Is there anything else I can help with?",
            route=Route.TROUBLESHOOT,
            conversation_id=conversation_id,
            intent=intent,
            confidence=1.0,
            quick_replies=("Choose a model", "Pricing"),
            flow={"id": flow.id, "step": "fixed"},
        )
        return TurnResult(reply, state)
    if outcome.kind is OutcomeKind.UNRESOLVED:
        state.flow = {"id": flow.id, "step": "unresolved", "path": path}
        state.tried.append(f"{flow.id}: {' > '.join(path)} > unresolved")
        state.offered_person = "flow_unresolved"
        reply = Reply(
            reply=(
                "I've run out of things to check on my side, sorry. Shall I pass this to a person from the "
                "support team, with the steps we tried?"
            ),
            route=Route.TROUBLESHOOT,
            conversation_id=conversation_id,
            intent=intent,
            confidence=1.0,
            quick_replies=PERSON_OFFER,
            flow={"id": flow.id, "step": "unresolved"},
        )
        return TurnResult(reply, state)
    # Not an answer to the step. A new question (or another failure) leaves the flow; small
    # talk, "not sure", "what do you mean?" and the like show the step again.
    d = understood.decision
    other_failure = d.route is Route.TROUBLESHOOT and d.intent is not None and d.intent not in flow.intents
    if d.route in (Route.ANSWER, Route.ADVISE) or other_failure:
        state.flow = None
        return None
    assert outcome.view is not None
    lead = "Sorry, I didn't catch that. Here is the step again: "
    view = outcome.view
    again = StepView(view.flow_id, view.step_id, view.text, view.article, (*view.quick_replies, PERSON_OFFER[0]))
    return TurnResult(step_reply(conversation_id, again, parts, intent, lead), state)


def flow_for(text: str, understood: Understanding, parts: Parts) -> Flow | None:
    """The flow a failure report belongs to: an error detected in pasted text first (more
    specific than the intent), then the intent's flow. Never for a message the classifier
    put out of scope outright (another provider's 429 is not ours to fix)."""
    if parts.flows is None:
        return None
    d, p = understood.decision, understood.prediction
    if p is not None and p.negative:
        return None
    # An answer stands unless its intent is a failure; only then is pasted text searched.
    if d.route in (Route.TROUBLESHOOT, Route.FALLBACK) or (
        d.route is Route.ANSWER and (d.intent or "").startswith("error_")
    ):
        detected = parts.flows.detect(text)
        if detected is not None:
            return detected
    if d.route is Route.TROUBLESHOOT and d.intent:
        return parts.flows.for_intent(d.intent)
    return None


# -- model advice ---------------------------------------------------------------------------------

FOLLOW_UP = re.compile(
    r"^(and|what about|how about|and what about|same for|what if)\b|\b(that one|this one|it)\??$", re.I
)


def _follow_up(text: str, state: ConversationState) -> bool:
    """A short message that continues the last recommendation ("and for Chinese?")."""
    return bool(state.last_models) and len(text.split()) <= 8 and bool(FOLLOW_UP.search(text.strip()))


def _states_a_need(facts: dict[str, Any], before: dict[str, Any] | None) -> bool:
    """Whether a message the intent classifier did not send to the advisor still describes a
    model need: it names a task and at least one more constraint ("classify 2M German tickets
    on-prem"), or changes the facts of a recommendation just given ("and for Chinese?")."""
    if before and facts != before:
        return True
    said = [
        k for k in ("languages", "volume", "hosting", "max_latency_ms", "budget", "region", "privacy") if facts.get(k)
    ]
    return bool(facts.get("task")) and len(said) >= 1


def _advise(
    conversation_id: str, text: str, state: ConversationState, parts: Parts, decision: Decision
) -> TurnResult | None:
    """The advisor's turn, or None when the message is not for the advisor after all."""
    pending = state.advisor or {}
    before = state.facts
    reply, facts, question = advise(
        conversation_id,
        text,
        parts.catalog,
        state.facts,
        int(pending.get("asked", 0)),
        pending.get("slot"),
        decision.intent if decision.route is Route.ADVISE else "model_selection",
        weights=Weights(),
        copy=parts.copy,
    )
    if decision.route is not Route.ADVISE and state.advisor is None and not _states_a_need(facts, before):
        return None  # not about choosing a model after all: route normally
    if decision.route is not Route.ADVISE and facts == before and not reply.recommendations:
        state.advisor = None  # neither an answer to the question nor a follow-up: route normally
        return None
    state.facts, state.advisor, state.fallbacks = facts, question, 0
    if reply.recommendations:
        state.last_models = [r["model_id"] for r in reply.recommendations]
    state.last_intent = reply.intent or state.last_intent
    return TurnResult(reply, state)


def converse(
    conversation_id: str,
    text: str,
    encoding: Encoding,
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
    result = _converse(conversation_id, text, encoding, state, parts)
    result.state.recent = [*result.state.recent, text][-5:]
    return result


def _converse(
    conversation_id: str, text: str, encoding: Encoding, state: ConversationState, parts: Parts
) -> TurnResult:
    if state.offered_person is not None:
        reason, state.offered_person = state.offered_person, None
        if AFFIRMATIVE.match(text.strip()):
            return hand_over(conversation_id, text, state, reason, state.last_intent)
        if NEGATIVE.match(text.strip()):
            return TurnResult(declined_person(conversation_id), state)
    if text.strip().lower() == PERSON_OFFER[0].lower():
        return hand_over(conversation_id, text, state, "asked", state.last_intent)
    understood = understand(text, encoding, parts.retriever, parts.intents, parts.settings)
    decision = understood.decision
    # A request for a person or clear frustration is never read as an answer to a flow step;
    # a question back about the step ("what do you mean?") is not frustration.
    in_flow = state.flow is not None and state.flow.get("step") not in FLOW_ENDS
    question_back = decision.intent == "complaint" and text.rstrip().endswith("?")
    if in_flow and (decision.route is not Route.HANDOFF or question_back):
        running = continue_flow(conversation_id, text, state, parts, understood)
        if running is not None:
            return running
    if decision.route is Route.HANDOFF:
        reason = "frustrated" if decision.intent == "complaint" else "asked"
        return hand_over(conversation_id, text, state, reason, decision.intent)
    if parts.catalog and len(text.split()) <= 12:
        which = which_one_reply(
            conversation_id, text, parts.catalog, state.last_models, decision.intent, copy=parts.copy
        )
        if which is not None:
            state.fallbacks = 0
            return TurnResult(which, state)
        follows_up = bool(FOLLOW_UP.search(text))
        # Naming a model is only answered with a fact when a fact is asked or it follows up.
        asking = follows_up or asks_a_fact(text)
        model = model_in_question(text, parts.catalog, state.last_models) if asking else None
        named = follows_up and model is not None and model.id not in state.last_models[:1]
        about = (
            model_fact_reply(conversation_id, text, model, decision.intent, named, copy=parts.copy)
            if model is not None
            else None
        )
        if about is not None:
            state.last_models = [r["model_id"] for r in about.recommendations]
            state.fallbacks = 0
            return TurnResult(about, state)
    wants_advice = decision.route in (Route.ADVISE, Route.FALLBACK) or _follow_up(text, state)
    if parts.catalog and (state.advisor is not None or wants_advice):
        advised = _advise(conversation_id, text, state, parts, decision)
        if advised is not None:
            return advised
    flow = flow_for(text, understood, parts)
    if flow is not None:
        state.fallbacks = 0
        state.last_intent = decision.intent or (flow.intents[0] if flow.intents else None)
        return start_flow(conversation_id, flow, state, parts, state.last_intent)
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
    flows: FlowBook | None = None
    catalog: tuple[Model, ...] = ()
    copy: Copy = field(kw_only=True)  # the assistant's sentences (assistant.yaml)
