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

import numpy as np

if TYPE_CHECKING:
    from bot.flows import FlowBook
    from bot.intents.types import Prediction
    from bot.startup import Parts
    from index.embedders import Encoding
    from index.types import Hit
    from knowledge.flows import Flow

# Chinese small talk: one or more of these words, with punctuation, spaces and the particles
# customers add ("你好呀", "好的，谢谢！", "hi 你好"), and at least one Chinese character.
_ZH_STOP = r"[\s,，.。!！?？~～、…]"
_ZH_PARTICLE = r"(?:呀|啊|哈|哇|呢|啦|哦|喔|嘛)?"
_ZH_OK = r"(?:好的?|好滴|好嘞|好吧|ok|okay|嗯|行|明白了?|知道了|收到|懂了|了解了?|解决了|可以了|搞定了|太好了|那)"
_ZH_GREETING = (
    r"(?:你好|您好|你们好|大家好|在吗|在不在|有人吗|有人在吗|请问在吗|客服在吗|客服你好|早上好|早安|上午好|中午好"
    r"|下午好|晚上好|嗨|哈喽|哈啰|hi+|hello+|hey+)"
)
_ZH_THANKS = (
    r"(?:(?:非常|十分|真是|真的|太)?(?:谢谢|多谢|感谢|谢啦|谢了|3q)(?:你|您|你们|了|啦)?(?:的帮助|的帮忙|帮忙|帮助)?"
    r"|太感谢了|辛苦了|辛苦啦|帮大忙了|thanks?|thank you|thx)"
)
_ZH_GOODBYE = (
    r"(?:再见|拜拜|拜|回头见|下次见|改天见|bye+|goodbye|没事了|没有了|没别的了|没其他问题了|就这些|就这样吧?|先这样吧?)"
)


def _zh_small_talk(words: str, lead: str = "", then: str = "") -> re.Pattern[str]:
    """``words`` as the whole message, with Chinese in it: after any number of ``lead`` words
    ("好的，再见"), and followed by more ``words`` or ``then`` words ("再见，谢谢")."""
    first = rf"(?:{lead}{_ZH_PARTICLE}{_ZH_STOP}*)*" if lead else ""
    more = f"(?:{words}|{then})" if then else words
    return re.compile(
        rf"^(?=.*[\u4e00-\u9fff]){first}{words}{_ZH_PARTICLE}{_ZH_STOP}*(?:{more}{_ZH_PARTICLE}{_ZH_STOP}*)*$"
    )


# Small talk is recognised by these patterns, matched against the whole message, so that
# "hi, my key fails" ("你好，我的 key 报错了") is a question and not a greeting.
SMALL_TALK = {
    "greeting": re.compile(
        r"^(hi+|hello+|hey+|hiya|howdy|good (morning|afternoon|evening)|greetings|yo|hallo)"
        r"( there| team| all)?[!. ]*$"
    ),
    "thanks": re.compile(r"^(thanks?( you)?( so much| a lot)?|thx|ty|cheers|great,? thanks?|perfect,? thanks?)[!. ]*$"),
    "goodbye": re.compile(r"^(bye+|goodbye|see (you|ya)( later)?|that'?s all|cya|have a (good|nice) (day|one))[!. ]*$"),
}
ZH_SMALL_TALK = {
    "greeting": _zh_small_talk(_ZH_GREETING),
    "thanks": _zh_small_talk(_ZH_THANKS, lead=_ZH_OK),
    "goodbye": _zh_small_talk(_ZH_GOODBYE, lead=rf"(?:{_ZH_OK}|{_ZH_THANKS})", then=_ZH_THANKS),
}


def smalltalk_intent(text: str) -> str | None:
    """The small-talk intent of ``text`` (greeting, thanks, goodbye) when it is the whole message, else None."""
    clean = " ".join(text.lower().replace(",", " ").split())
    for intent, pattern in SMALL_TALK.items():
        if pattern.match(clean):
            return intent
    for intent, pattern in ZH_SMALL_TALK.items():
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
    vector: np.ndarray | None = field(default=None, repr=False, compare=False)  # the sentence vector

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
    return Understanding(text, prediction, tuple(hits), smalltalk_intent(text), parts.flows, encoding.vector)
