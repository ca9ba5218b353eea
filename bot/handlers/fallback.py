"""The ``fallback`` route: say plainly that the bot does not know, and offer a person."""

from __future__ import annotations

from bot.handlers.base import Context, register
from bot.types import Reply, Route

SUPPORT_CONTACT = "support@meridian.example (chat in the console on Growth and Enterprise plans)"
CAN_HELP = "API keys, errors such as 401 or 429, choosing a model, pricing and billing, data privacy"


@register(Route.FALLBACK)
def fallback(ctx: Context) -> Reply:
    return Reply(
        reply=(
            "I don't know the answer to that, and I'd rather not guess. "
            f"I can help with {CAN_HELP}, and more about Meridian AI. "
            f"If you'd like a person to look at it, the support team is at {SUPPORT_CONTACT}."
        ),
        route=Route.FALLBACK,
        conversation_id=ctx.conversation_id,
        intent=ctx.intent,
        confidence=ctx.confidence,
        quick_replies=("How do I reach a person?", "Choose a model", "Fix an API error"),
    )
