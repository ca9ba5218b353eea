"""The ``smalltalk`` route: greetings, thanks and goodbyes, answered briefly."""

from __future__ import annotations

import re

from bot.handlers.base import Context, register
from bot.types import Reply, Route

# Until intent classification lands, small talk is recognised by these patterns, matched
# against the whole message so "hi, my key fails" is not small talk.
PATTERNS = {
    "greeting": re.compile(
        r"^(hi+|hello+|hey+|hiya|howdy|good (morning|afternoon|evening)|greetings|yo|hallo)"
        r"( there| team| all)?[!. ]*$"
    ),
    "thanks": re.compile(r"^(thanks?( you)?( so much| a lot)?|thx|ty|cheers|great,? thanks?|perfect,? thanks?)[!. ]*$"),
    "goodbye": re.compile(r"^(bye+|goodbye|see (you|ya)( later)?|that'?s all|cya|have a (good|nice) (day|one))[!. ]*$"),
}
REPLIES = {
    "greeting": "Hello! I can help with the Meridian AI API, errors, choosing a model, billing "
    "and data privacy. What can I do for you?",
    "thanks": "You're welcome! Is there anything else I can help with?",
    "goodbye": "Goodbye, and good luck with your project. Come back any time.",
}


def smalltalk_intent(text: str) -> str | None:
    """The small-talk intent of ``text`` (greeting, thanks, goodbye) or None."""
    clean = " ".join(text.lower().replace(",", " ").split())
    for intent, pattern in PATTERNS.items():
        if pattern.match(clean):
            return intent
    return None


@register(Route.SMALLTALK)
def smalltalk(ctx: Context) -> Reply:
    intent = ctx.intent or "greeting"
    return Reply(
        reply=REPLIES.get(intent, REPLIES["greeting"]),
        route=Route.SMALLTALK,
        conversation_id=ctx.conversation_id,
        intent=intent,
        confidence=ctx.confidence,
        quick_replies=("Choose a model", "Fix an API error", "Pricing"),
    )
