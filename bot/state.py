"""What the assistant remembers of a conversation between turns: a frozen, typed value.

A turn never changes a state; a handler makes a new one with ``dataclasses.replace``. The
database keeps ``to_json()``: the same keys and shapes as before the state was typed, so a
conversation stored by an older version reads back unchanged (``from_json`` ignores unknown keys
and takes lists for tuples).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.advisor.facts import Facts, facts_from_json, facts_to_json


class Status(StrEnum):
    """Who answers the conversation."""

    BOT = "bot"  # the assistant answers
    HANDOFF = "handoff"  # a person from the support team has it; the assistant stays quiet


@dataclass(frozen=True)
class FlowProgress:
    """Where a troubleshooting flow stands: the step shown last and the steps answered before it."""

    flow_id: str
    step: str
    path: tuple[str, ...] = ()

    @property
    def running(self) -> bool:
        """Whether the customer is expected to answer a step (the flow has not ended)."""
        return self.step not in FLOW_ENDS

    def to_json(self) -> dict[str, Any]:
        return {"id": self.flow_id, "step": self.step, "path": list(self.path)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FlowProgress:
        return cls(str(data["id"]), str(data["step"]), tuple(data.get("path") or ()))


# The steps a flow ends on; a flow that ended "unresolved" stays in the state for the ticket.
FLOW_ENDS = frozenset({"fixed", "unresolved"})


@dataclass(frozen=True)
class AdvisorProgress:
    """The advisor's open question: the fact it asked for (``slot``) and how many it has asked."""

    slot: str | None
    asked: int

    def to_json(self) -> dict[str, Any]:
        return {"slot": self.slot, "asked": self.asked}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AdvisorProgress:
        return cls(data.get("slot"), int(data.get("asked", 0)))


@dataclass(frozen=True)
class ConversationState:
    """What the assistant remembers of a conversation between turns."""

    status: Status = Status.BOT
    fallbacks: int = 0  # consecutive fallbacks
    last_topic: str | None = None  # the article last answered from
    last_intent: str | None = None
    last_models: tuple[str, ...] = ()  # the models recommended or described last, best first
    flow: FlowProgress | None = None  # the troubleshooting flow under way (or ended unresolved)
    advisor: AdvisorProgress | None = None  # the advisor's question awaiting an answer
    facts: Facts | None = None  # what the customer said about the model they need
    offered_person: str | None = None  # why a person was offered last turn, awaiting yes or no
    tried: tuple[str, ...] = ()  # flow paths and articles tried, for the ticket
    recent: tuple[str, ...] = ()  # the customer's last messages, for the ticket
    ticket: str | None = None
    language: str = "en"  # the language the conversation is answered in (its latest message's)

    def to_json(self) -> dict[str, Any]:
        """The state as plain JSON values, in the stored format."""
        return {
            "status": self.status.value,
            "fallbacks": self.fallbacks,
            "last_topic": self.last_topic,
            "last_intent": self.last_intent,
            "last_models": list(self.last_models),
            "flow": self.flow.to_json() if self.flow is not None else None,
            "advisor": self.advisor.to_json() if self.advisor is not None else None,
            "facts": facts_to_json(self.facts) if self.facts is not None else None,
            "offered_person": self.offered_person,
            "tried": list(self.tried),
            "recent": list(self.recent),
            "ticket": self.ticket,
            "language": self.language,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ConversationState:
        """The state stored as ``data`` (keys it does not know are ignored; None is a new conversation)."""
        data = data or {}
        flow, advisor, facts = data.get("flow"), data.get("advisor"), data.get("facts")
        return cls(
            status=Status(data.get("status") or Status.BOT),
            fallbacks=int(data.get("fallbacks") or 0),
            last_topic=data.get("last_topic"),
            last_intent=data.get("last_intent"),
            last_models=tuple(data.get("last_models") or ()),
            flow=FlowProgress.from_json(flow) if flow else None,
            advisor=AdvisorProgress.from_json(advisor) if advisor else None,
            facts=facts_from_json(facts) if facts else None,
            offered_person=data.get("offered_person"),
            tried=tuple(data.get("tried") or ()),
            recent=tuple(data.get("recent") or ()),
            ticket=data.get("ticket"),
            language=str(data.get("language") or "en"),
        )
