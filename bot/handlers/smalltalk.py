"""The ``smalltalk`` route: greetings, thanks and goodbyes answered briefly, and a "no" to a person."""

from __future__ import annotations

from bot.handlers.base import Outcome, Turn, after_reply, register
from bot.types import Action, Reply, Route

COPY_KEYS = ("smalltalk.greeting", "smalltalk.thanks", "smalltalk.goodbye", "handoff.declined", "menus.main")


@register(Route.SMALLTALK)
def run(turn: Turn) -> Outcome:
    """A short answer to small talk (a greeting for a kind it has no sentence for), with the main menu."""
    copy, d = turn.parts.copy, turn.decision
    if d.action is Action.DECLINE_PERSON:
        text, intent = copy.say("handoff.declined"), None
    else:
        intent = d.intent or "greeting"
        key = f"smalltalk.{intent}" if copy.has(f"smalltalk.{intent}") else "smalltalk.greeting"
        text = copy.say(key, company=copy.say("brand.company"))
    reply = Reply(
        reply=text,
        route=Route.SMALLTALK,
        conversation_id=turn.conversation_id,
        intent=intent,
        confidence=d.confidence,
        quick_replies=copy.options("menus.main"),
    )
    if d.action is Action.DECLINE_PERSON:
        return Outcome(reply, turn.carried())
    return Outcome(reply, after_reply(turn, reply))
