"""The ``clarify`` route: two intents are about equally likely, so ask which one is meant."""

from __future__ import annotations

from collections.abc import Mapping

from bot.handlers.base import Context, register
from bot.types import Reply, Route


def topic(intent: str, topics: Mapping[str, str]) -> str:
    """The customer-facing name of ``intent``: its ``label:`` in intents.yaml (``topics``), else
    its identifier made readable ("refund_status" -> "Refund status").

    The quick reply is sent as the customer's next message, so the label reads as something a
    customer would say.
    """
    return topics.get(intent) or intent.replace("_", " ").capitalize()


@register(Route.CLARIFY)
def clarify(ctx: Context) -> Reply:
    """Ask which of the two likeliest intents is meant, offering both and "Something else"."""
    options = [topic(i, ctx.topics) for i in (ctx.intent, ctx.runner_up) if i]
    question = " or ".join(f"“{o.lower()}”" for o in options)
    return Reply(
        reply=f"Just to be sure I help with the right thing: do you mean {question}?",
        route=Route.CLARIFY,
        conversation_id=ctx.conversation_id,
        intent=ctx.intent,
        confidence=ctx.confidence,
        quick_replies=(*options, "Something else"),
    )
