"""The ``fallback`` route: say plainly that the bot does not know, and offer a person."""

from __future__ import annotations

from bot.handlers.base import Outcome, Turn, after_reply, register
from bot.types import Reply, Route

COPY_KEYS = ("fallback.reply", "fallback.can_help", "brand.company", "brand.support_contact", "menus.fallback")


@register(Route.FALLBACK)
def run(turn: Turn) -> Outcome:
    """What the assistant can help with and where the support team is; a person among the quick replies.

    Fallbacks in a row are counted; routing hands over at ``fallbacks_before_handoff``.
    """
    copy = turn.parts.copy
    text = copy.say(
        "fallback.reply",
        can_help=copy.say("fallback.can_help"),
        company=copy.say("brand.company"),
        support_contact=copy.say("brand.support_contact"),
    )
    reply = Reply(
        reply=text,
        route=Route.FALLBACK,
        conversation_id=turn.conversation_id,
        intent=turn.decision.intent,
        confidence=turn.decision.confidence,
        quick_replies=copy.options("menus.fallback"),
    )
    return Outcome(reply, after_reply(turn, reply))
