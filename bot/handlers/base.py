"""The handler interface and registry: one handler per route, ``run(turn) -> Outcome``.

A handler owns its route: the reply's text (from ``assistant.yaml`` and the knowledge files),
the conversation's new state and the ticket it opens. Nothing else builds a ``Reply``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from bot.state import ConversationState
from bot.types import Decision, Reply, Route

if TYPE_CHECKING:
    from bot.startup import Parts
    from bot.store.tickets import TicketDraft
    from bot.understanding import Understanding


@dataclass(frozen=True)
class Turn:
    """One customer message with everything its handler may use: what was understood, what routing
    decided, the conversation's state before the message, and the loaded parts."""

    conversation_id: str
    text: str
    understood: Understanding
    decision: Decision
    state: ConversationState
    parts: Parts

    def carried(self, **changes: Any) -> ConversationState:
        """The state after this turn with ``changes`` made: besides them, the message joins the
        recent ones, an offer of a person is settled by whatever the customer answered, and a flow
        or advisor question the message left behind (``Decision.closes_*``) is dropped."""
        s, d = self.state, self.decision
        carried: dict[str, Any] = {
            "offered_person": None,
            "recent": (*s.recent, self.text)[-self.parts.settings.recent_messages :],
        }
        if d.closes_flow:
            carried["flow"] = None
        if d.closes_question:
            carried["advisor"] = None
        return replace(s, **{**carried, **changes})


@dataclass(frozen=True)
class Outcome:
    """What a handler made of a turn: the reply, the conversation's new state, a ticket to open."""

    reply: Reply
    state: ConversationState
    ticket: TicketDraft | None = None


def after_reply(turn: Turn, reply: Reply) -> ConversationState:
    """The new state after a route's own reply: fallbacks in a row counted, the article answered
    from remembered (it is tried, for a ticket), the intent kept."""
    s = turn.state
    topic, tried = s.last_topic, s.tried
    if reply.sources:
        topic = reply.sources[0].id
        tried = (*tried, topic)[-turn.parts.settings.tried_items :]
    return turn.carried(
        fallbacks=s.fallbacks + 1 if reply.route is Route.FALLBACK else 0,
        last_topic=topic,
        tried=tried,
        last_intent=turn.decision.intent or s.last_intent,
    )


Handler = Callable[[Turn], Outcome]
HANDLERS: dict[Route, Handler] = {}


def register(route: Route) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``route``."""

    def wrap(fn: Handler) -> Handler:
        HANDLERS[route] = fn
        return fn

    return wrap


def get_handler(route: Route | str) -> Handler:
    """The handler registered for ``route``.

    Raises:
        KeyError: naming the known routes, when none is registered.
        ValueError: when ``route`` is no route at all.
    """
    key = Route(route)
    if key not in HANDLERS:
        known = ", ".join(sorted(r.value for r in HANDLERS))
        raise KeyError(f"no handler for route {key.value!r}; known: {known}. Register one with @register")
    return HANDLERS[key]
