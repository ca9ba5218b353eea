"""The ``handoff`` route: the customer asks for a person, or is clearly frustrated."""

from __future__ import annotations

from bot.handlers.base import Context, register
from bot.handlers.fallback import SUPPORT_CONTACT
from bot.types import Reply, Route


@register(Route.HANDOFF)
def handoff(ctx: Context) -> Reply:
    sorry = "I'm sorry this has been frustrating. " if ctx.intent == "complaint" else ""
    return Reply(
        reply=(
            f"{sorry}A person from the support team can take this over: write to {SUPPORT_CONTACT}. "
            "Include what you were trying to do and any request id or error message, "
            "so nobody has to ask you twice."
        ),
        route=Route.HANDOFF,
        conversation_id=ctx.conversation_id,
        intent=ctx.intent,
        confidence=ctx.confidence,
    )
