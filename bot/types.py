"""Typed values that travel between layers: routes, sources, replies, and routing's decisions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.flows import Outcome as StepOutcome


class Route(StrEnum):
    """The closed set of routes every reply carries (DESIGN.md)."""

    ANSWER = "answer"
    ADVISE = "advise"
    TROUBLESHOOT = "troubleshoot"
    HANDOFF = "handoff"
    SMALLTALK = "smalltalk"
    CLARIFY = "clarify"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Source:
    """A knowledge-base article a reply draws on."""

    id: str
    title: str
    score: float
    url: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a source needs an id")


@dataclass(frozen=True)
class Reply:
    """What the assistant says back, with everything a front end needs to show it."""

    reply: str
    route: Route
    conversation_id: str
    intent: str | None = None
    confidence: float = 0.0
    sources: tuple[Source, ...] = ()
    quick_replies: tuple[str, ...] = ()
    ticket: str | None = None
    flow: dict[str, str] | None = None  # {id, step} while a troubleshooting flow runs
    recommendations: tuple[dict[str, Any], ...] = ()  # {model_id, name, reasons} from the advisor
    language: str = "en"  # the language of ``reply``: en or zh

    def __post_init__(self) -> None:
        if len(self.sources) > 3:
            raise ValueError(f"a reply cites at most 3 sources, got {len(self.sources)}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must lie in [0, 1], got {self.confidence}")

    def to_json(self) -> dict[str, Any]:
        """The reply as the JSON object of DESIGN.md's contracts."""
        data = {
            "reply": self.reply,
            "route": self.route.value,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "sources": [{"id": s.id, "title": s.title, "score": round(s.score, 4), "url": s.url} for s in self.sources],
            "quick_replies": list(self.quick_replies),
            "conversation_id": self.conversation_id,
            "ticket": self.ticket,
            "flow": self.flow,
            "recommendations": [dict(r) for r in self.recommendations],
            "language": self.language,
        }
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        """The reply ``to_json`` wrote (a stored reply, replayed for a repeated request)."""
        return cls(
            reply=str(data["reply"]),
            route=Route(data["route"]),
            conversation_id=str(data["conversation_id"]),
            intent=data.get("intent"),
            confidence=float(data.get("confidence") or 0.0),
            sources=tuple(
                Source(id=s["id"], title=s["title"], score=float(s["score"]), url=s.get("url", ""))
                for s in data.get("sources", [])
            ),
            quick_replies=tuple(data.get("quick_replies", [])),
            ticket=data.get("ticket"),
            flow=data.get("flow"),
            recommendations=tuple(data.get("recommendations", [])),
            language=str(data.get("language") or "en"),
        )


class Action(StrEnum):
    """What the handler of a route is to do; a route's handler may do several things."""

    REPLY = "reply"  # the route's own reply to what the message asks (its intent and retrieval)
    QUIET = "quiet"  # a person has the conversation: confirm the message reached them, nothing more
    HAND_OVER = "hand_over"  # open a ticket for the support team and go quiet
    DECLINE_PERSON = "decline_person"  # the customer said no to the person offered
    START_FLOW = "start_flow"  # the first step of a troubleshooting flow
    CONTINUE_FLOW = "continue_flow"  # the customer's answer to the running flow's step
    WHICH_ONE = "which_one"  # which of the models just shown is cheaper, faster ...
    MODEL_FACT = "model_fact"  # a catalog fact about one model
    ADVISOR = "advisor"  # the advisor asks for a fact, recommends or compares
    TOPIC = "topic"  # a follow-up answered from the article last answered from


@dataclass(frozen=True)
class Decision:
    """The route of one message and what its handler needs to reply (``bot.routing.route``).

    ``intent`` and ``confidence`` are what the reply reports. ``closes_flow`` and
    ``closes_question`` say that the message left the running flow or the advisor's open
    question behind: the handler's new state drops them.
    """

    route: Route
    intent: str | None
    confidence: float
    runner_up: str | None = None  # clarify: the other likely intent
    action: Action = Action.REPLY
    reason: str | None = None  # hand-over: asked, frustrated, fallbacks or flow_unresolved
    flow_id: str | None = None  # the flow to start or continue
    step: StepOutcome | None = None  # continue: the customer's answer applied to the step
    model_id: str | None = None  # model fact: the model asked about
    overview: bool = False  # model fact: the model was named without a question: describe it
    closes_flow: bool = False
    closes_question: bool = False
