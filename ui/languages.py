"""The languages of the customer pages: which one a page opens in, its ``lang`` attribute, and the
chat page's own words in each (the widget keeps its own in ui/widget/widget.js).

A page opens in the language the browser asks for first among those the assistant answers in
(``Accept-Language``, English otherwise) and, once the customer writes, follows the language of
each reply (``Reply.language``). The brand's title and tagline are the assistant's sentences
(``brand.title``, ``brand.tagline`` of assistant.yaml and assistant.zh.yaml), not strings here.
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")
DEFAULT = "en"
# The ``lang`` attribute of a page or a message written in each language (BCP 47).
HTML_LANG = {"en": "en", "zh": "zh-CN"}

# The chat page's words: the same keys in every language ({named} fields are filled in).
PAGE: dict[str, dict[str, str]] = {
    "en": {
        "conversation": "Conversation",
        "placeholder": "Type your question and press Enter",
        "send": "Send",
        "thinking": "Thinking…",
        "sources": "*Sources:* {links}",
        "ticket": "*Ticket:* {ticket}",
        "staff_reply": "**Support team:** {text}",
        "waiting": "A person from the support team has this conversation (ticket {ticket}); their replies appear here.",
        "back_to_bot": "The assistant is answering again.",
        "refused": "Sorry, I can't take that message: {error}.",
        "too_long": "Sorry, I can't take that message: the message has {count} characters; the limit is {limit}.",
        "failed": "Sorry, something went wrong. Please try again.",
        "thanks": "Thanks for the feedback.",
    },
    "zh": {
        "conversation": "对话",
        "placeholder": "输入你的问题，按 Enter 发送",
        "send": "发送",
        "thinking": "正在思考…",
        "sources": "*来源：* {links}",
        "ticket": "*工单：* {ticket}",
        "staff_reply": "**支持团队：** {text}",
        "waiting": "支持团队的人工客服已接手这段对话（工单 {ticket}），回复会显示在这里。",
        "back_to_bot": "现在由智能助手继续为你解答。",
        "refused": "抱歉，这条消息无法处理：{error}。",
        "too_long": "抱歉，这条消息太长了：共 {count} 个字符，上限是 {limit} 个字符。",
        "failed": "抱歉，出了点问题，请稍后再试。",
        "thanks": "感谢你的反馈。",
    },
}


def supported(language: str | None) -> str:
    """``language`` when the pages speak it, else English."""
    return language if language in LANGUAGES else DEFAULT


def html_lang(language: str | None) -> str:
    """The ``lang`` attribute of text in ``language`` (``zh`` is ``zh-CN``)."""
    return HTML_LANG[supported(language)]


def say(language: str | None, key: str, **fields: object) -> str:
    """The chat page's string ``key`` in ``language`` (English for a language it does not speak)."""
    text = PAGE[supported(language)][key]
    return text.format(**fields) if fields else text


def from_accept_language(header: str | None) -> str:
    """The language a page opens in for a browser sending ``header`` (``Accept-Language``): the
    first one it prefers (highest q first, then in order) that the pages speak; English otherwise.
    ``zh``, ``zh-CN``, ``zh-Hans``, ``zh-TW`` … all ask for Chinese."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else DEFAULT
