"""The ``clarify`` route: two intents are about equally likely, so ask which one is meant."""

from __future__ import annotations

from collections.abc import Mapping

from bot.handlers.base import Outcome, Turn, after_reply, register
from bot.types import Reply, Route

COPY_KEYS = ("clarify.question", "clarify.option", "clarify.or", "clarify.something_else")


def topic(intent: str, topics: Mapping[str, str]) -> str:
    """The customer-facing name of ``intent``: its ``label:`` in intents.yaml (``topics``), else
    its identifier made readable ("refund_status" -> "Refund status").

    The quick reply is sent as the customer's next message, so the label reads as something a
    customer would say.
    """
    return topics.get(intent) or intent.replace("_", " ").capitalize()


@register(Route.CLARIFY)
def run(turn: Turn) -> Outcome:
    """Ask which of the two likeliest intents is meant, offering both and "something else"."""
    d, copy = turn.decision, turn.parts.copy
    options = [topic(i, turn.parts.topics) for i in (d.intent, d.runner_up) if i]
    either = f" {copy.say('clarify.or')} ".join(copy.say("clarify.option", topic=o.lower()) for o in options)
    reply = Reply(
        reply=copy.say("clarify.question", options=either),
        route=Route.CLARIFY,
        conversation_id=turn.conversation_id,
        intent=d.intent,
        confidence=d.confidence,
        quick_replies=(*options, copy.say("clarify.something_else")),
    )
    return Outcome(reply, after_reply(turn, reply))
