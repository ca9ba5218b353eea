"""Step 3 of a turn: what a message says, whatever the conversation before it.

``understand`` runs once per message, outside the optimistic-write retry of
``Assistant.reply``: the intent classifier's reading, the retrieved documents, small talk,
and (on first use) the troubleshooting flow an error pasted into the message belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.flows import FlowBook
    from bot.intents.types import Prediction
    from bot.startup import Parts
    from index.embedders import Encoding
    from index.types import Hit
    from knowledge.flows import Flow

# Small talk is recognised by these patterns, matched against the whole message, so that
# "hi, my key fails" is a question and not a greeting.
SMALL_TALK = {
    "greeting": re.compile(
        r"^(hi+|hello+|hey+|hiya|howdy|good (morning|afternoon|evening)|greetings|yo|hallo)"
        r"( there| team| all)?[!. ]*$"
    ),
    "thanks": re.compile(r"^(thanks?( you)?( so much| a lot)?|thx|ty|cheers|great,? thanks?|perfect,? thanks?)[!. ]*$"),
    "goodbye": re.compile(r"^(bye+|goodbye|see (you|ya)( later)?|that'?s all|cya|have a (good|nice) (day|one))[!. ]*$"),
}


def smalltalk_intent(text: str) -> str | None:
    """The small-talk intent of ``text`` (greeting, thanks, goodbye) when it is the whole message, else None."""
    clean = " ".join(text.lower().replace(",", " ").split())
    for intent, pattern in SMALL_TALK.items():
        if pattern.match(clean):
            return intent
    return None


@dataclass(frozen=True)
class Understanding:
    """What the assistant made of one message before looking at the conversation.

    ``prediction`` is None when there is no intent classifier (an imported FAQ without intents);
    ``hits`` are the best documents, best first; ``smalltalk`` the small-talk intent of a message
    that is nothing but small talk.
    """

    text: str
    prediction: Prediction | None
    hits: tuple[Hit, ...]
    smalltalk: str | None = None
    flows: FlowBook | None = field(default=None, repr=False, compare=False)

    @cached_property
    def detected_flow(self) -> Flow | None:
        """The flow whose error patterns match the message best (``FlowBook.detect``), or None.

        Searched when a routing rule first asks, and at most once per message: most messages
        never need it, and every message pays for what is computed eagerly.
        """
        return self.flows.detect(self.text) if self.flows is not None else None


def understand(text: str, encoding: Encoding, parts: Parts) -> Understanding:
    """The intent, the retrieved documents and the small talk of a checked message.

    Args:
        text: the message, as ``guard.check`` returned it.
        encoding: its sentence vector and intent features (one pass of the encoder).
        parts: the loaded retriever, intent classifier and flows.
    """
    intents, retriever = parts.intents, parts.retriever
    prediction = intents.predict_one(text, encoding.features) if intents is not None else None
    hits = (
        retriever.search(text, encoding.vector, k=parts.settings.retrieve_k, features=encoding.features)
        if retriever is not None
        else []
    )
    return Understanding(text, prediction, tuple(hits), smalltalk_intent(text), parts.flows)
