"""Typed values that travel between layers: routes, sources and replies."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


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
        )
