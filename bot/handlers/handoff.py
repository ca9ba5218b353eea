"""The ``handoff`` route: a person from the support team takes the conversation over.

The assistant opens a ticket with a summary of the conversation (why, the intent, what was
tried, the customer's last words) and goes quiet; while a person has the conversation, each
message is added to the ticket and only its receipt is confirmed.
"""

from __future__ import annotations

from bot.handlers.base import Outcome, Turn, register
from bot.state import Status
from bot.store.tickets import TicketDraft, new_ticket_number
from bot.types import Action, Reply, Route

REASONS = ("asked", "frustrated", "fallbacks", "flow_unresolved")
COPY_KEYS = ("handoff.ticket_opened", "handoff.quiet", *(f"handoff.leads.{reason}" for reason in REASONS))


@register(Route.HANDOFF)
def run(turn: Turn) -> Outcome:
    """Confirm receipt while a person has the conversation; else hand it over."""
    if turn.decision.action is Action.QUIET:
        return _quiet(turn)
    return _hand_over(turn)


def _quiet(turn: Turn) -> Outcome:
    ticket = turn.state.ticket
    reply = Reply(
        reply=turn.parts.copy.say("handoff.quiet", ticket=ticket),
        route=Route.HANDOFF,
        conversation_id=turn.conversation_id,
        ticket=ticket,
    )
    return Outcome(reply, turn.state)


def _hand_over(turn: Turn) -> Outcome:
    """Open a ticket with a summary of the conversation and go quiet."""
    d, copy, before = turn.decision, turn.parts.copy, turn.state
    reason = d.reason or "asked"
    flow = None if d.closes_flow else before.flow  # a flow the message left is not on the ticket
    number = new_ticket_number()
    summary = {
        "reason": reason,
        "intent": d.intent or before.last_intent,
        "tried": list(before.tried),
        "flow_path": list(flow.path) if flow is not None else [],
        "customer_words": [*before.recent[-turn.parts.settings.recent_messages :], turn.text],
    }
    lead_key = f"handoff.leads.{reason}"
    lead = copy.say(lead_key) if copy.has(lead_key) else ""
    reply = Reply(
        reply=f"{lead} {copy.say('handoff.ticket_opened', number=number)}".strip(),
        route=Route.HANDOFF,
        conversation_id=turn.conversation_id,
        intent=d.intent,
        confidence=1.0,
        ticket=number,
    )
    state = turn.carried(
        status=Status.HANDOFF,
        ticket=number,
        flow=None,
        advisor=None,
        # The fallback that hands over is counted like any other.
        fallbacks=before.fallbacks + 1 if reason == "fallbacks" else before.fallbacks,
    )
    return Outcome(reply, state, TicketDraft(number=number, reason=reason, summary=summary))
