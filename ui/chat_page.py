"""The customer chat page (Gradio) at ``/``. It wraps ``Assistant.reply`` and re-implements nothing.

The page speaks the customer's language (ui/languages.py): it is served in the language the
browser asks for (``Accept-Language``: the ``<html lang>``, the brand's title and tagline and the
page's words), and after each reply it switches its words and its ``lang`` attribute to the
reply's ``language``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # offline product: never phone home

import gradio as gr
from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import Assistant, InputError, NotFound, Reply
from ui import languages
from ui.languages import say

MAX_QUICK_REPLIES = 3
STAFF_POLL_SECONDS = 3.0
MAX_SNIFF = 500  # the characters of a message read to tell its language before the reply

# The elements whose words change with the language, by their elem_id.
BRAND, CHAT, MESSAGE, STATUS, PAGE_LANG = "brand", "chat", "message", "handoff-status", "page-language"
# Sets the page's lang attribute to the hidden element's value after each reply.
SET_LANG = "(lang) => { if (lang) { document.documentElement.lang = lang; } return []; }"


def format_reply(reply: Reply) -> str:
    """The reply as Markdown, with its sources as links to the article text (labels in the
    reply's language)."""
    text = reply.reply
    if reply.sources:
        links = " · ".join(f"[{s.title}]({s.url})" for s in reply.sources)
        text += "\n\n" + say(reply.language, "sources", links=links)
    if reply.ticket:
        text += "\n\n" + say(reply.language, "ticket", ticket=reply.ticket)
    return text


def brand(assistant: Assistant, language: str) -> tuple[str, str]:
    """The page's title and tagline in ``language`` (the assistant's own sentences)."""
    copy = assistant.parts_for(languages.supported(language)).copy
    return copy.say("brand.title"), copy.say("brand.tagline")


def heading(assistant: Assistant, language: str) -> str:
    title, tagline = brand(assistant, language)
    return f"## {title}\n{tagline}"


def refusal(assistant: Assistant, message: str, error: InputError, language: str) -> str:
    """Why ``message`` was not taken, in ``language``."""
    clean, limit = message.strip(), assistant.settings.max_message_chars
    if len(clean) > limit:
        return say(language, "too_long", count=len(clean), limit=limit)
    return say(language, "refused", error=error)


def _buttons(reply: Reply | None) -> list[Any]:
    labels = list(reply.quick_replies[:MAX_QUICK_REPLIES]) if reply else []
    return [
        gr.update(value=labels[i], visible=True) if i < len(labels) else gr.update(value="", visible=False)
        for i in range(MAX_QUICK_REPLIES)
    ]


def staff_update(
    assistant: Assistant,
    history: list[dict[str, Any]],
    conversation: str | None,
    seen: int | None,
    language: str | None = None,
) -> tuple[list[dict[str, Any]], int | None] | None:
    """While a person has the conversation (``seen``: the last turn shown), the history with
    the replies a person wrote since then, and the new last turn (None once the conversation
    is back with the bot, said in the history); None when nothing changed. The page asks every
    few seconds. Labels are in ``language``, the page's."""
    if conversation is None or seen is None:
        return None
    try:
        stored = assistant.desk.conversation(conversation)
    except NotFound:
        return None
    turns = [t for t in stored.turns if t.seq > seen]
    written = [t for t in turns if t.author == "staff"]
    back_to_bot = stored.status == "bot"
    if not written and not back_to_bot:
        return None
    history = list(history or [])
    for turn in written:
        history.append({"role": "assistant", "content": say(language, "staff_reply", text=turn.text)})
    if back_to_bot:
        history.append({"role": "assistant", "content": f"*{say(language, 'back_to_bot')}*"})
    return history, None if back_to_bot else max((t.seq for t in turns), default=seen)


def build_page(assistant: Assistant) -> gr.Blocks:
    """The Gradio Blocks of the customer page, in English; ``localize_html`` serves it in
    another language, and each reply switches it to the reply's."""

    def respond(
        message: str,
        history: list[dict[str, Any]],
        conversation: str | None,
        seen: int | None,
        language: str | None,
        ticket: str | None,
    ) -> Iterator[tuple[Any, ...]]:
        """The customer's message, a "thinking" line, then the reply (and the states: the
        conversation, the last turn shown while a person has it, the reply's language, the ticket)."""
        history = list(history or [])
        if not message or not message.strip():
            yield ("", history, conversation, seen, language, ticket, *_buttons(None))
            return
        history.append({"role": "user", "content": message})
        # the language the reply will be in, for the words shown before it
        writing = languages.supported(assistant.language_of(message.strip()[:MAX_SNIFF], language))
        thinking = {"role": "assistant", "content": f"*{say(writing, 'thinking')}*"}
        yield ("", [*history, thinking], conversation, seen, language, ticket, *_buttons(None))
        try:
            reply = assistant.reply(conversation, message)
        except InputError as e:
            history.append({"role": "assistant", "content": refusal(assistant, message, e, writing)})
            yield ("", history, conversation, seen, writing, ticket, *_buttons(None))
            return
        history.append({"role": "assistant", "content": format_reply(reply), "metadata": None})
        if reply.route.value == "handoff" and seen is None:
            # from now on, show what a person writes
            seen = assistant.desk.conversation(reply.conversation_id).last_seq
        ticket = reply.ticket or ticket
        yield ("", history, reply.conversation_id, seen, reply.language, ticket, *_buttons(reply))

    def localize(language: str | None, seen: int | None, ticket: str | None) -> tuple[Any, ...]:
        """The page's words in ``language`` (after a reply); the handoff notice while a person
        has the conversation."""
        if language is None:
            return (gr.skip(),) * 5
        return (
            gr.update(value=heading(assistant, language)),
            gr.update(label=say(language, "conversation")),
            gr.update(placeholder=say(language, "placeholder"), submit_btn=say(language, "send")),
            gr.update(value=say(language, "waiting", ticket=ticket or "…"), visible=seen is not None),
            languages.html_lang(language),
        )

    def staff_replies(
        history: list[dict[str, Any]], conversation: str | None, seen: int | None, language: str | None
    ) -> tuple[Any, ...]:
        update = staff_update(assistant, history, conversation, seen, language)
        if update is None:
            return gr.skip(), gr.skip(), gr.skip()
        history, seen = update
        return history, seen, gr.skip() if seen is not None else gr.update(visible=False)

    def feedback(
        conversation: str | None, history: list[dict[str, Any]], language: str | None, data: gr.LikeData
    ) -> None:
        if conversation is None:
            return
        index = data.index if isinstance(data.index, int) else data.index[0]
        message = history[index]["content"] if 0 <= index < len(history) else ""
        assistant.record_feedback(conversation, str(message), bool(data.liked))
        gr.Info(say(language, "thanks"))

    title, _ = brand(assistant, languages.DEFAULT)
    with gr.Blocks(title=title, analytics_enabled=False) as page:
        header = gr.Markdown(heading(assistant, languages.DEFAULT), elem_id=BRAND)
        conversation = gr.State(None)
        seen = gr.State(None)  # the last turn shown while a person has the conversation
        language = gr.State(None)  # the language of the latest reply; None before the first
        ticket = gr.State(None)  # the ticket of a handed-over conversation
        chat = gr.Chatbot(label=say(None, "conversation"), height=480, elem_id=CHAT)
        with gr.Row():
            quick = [
                gr.Button(visible=False, size="sm", elem_classes=["quick-reply"]) for _ in range(MAX_QUICK_REPLIES)
            ]
        status = gr.Markdown("", visible=False, elem_id=STATUS)
        box = gr.Textbox(
            placeholder=say(None, "placeholder"), show_label=False, elem_id=MESSAGE, submit_btn=say(None, "send")
        )
        page_lang = gr.Textbox("", visible=False, elem_id=PAGE_LANG)
        states = [conversation, seen, language, ticket]
        outputs = [box, chat, *states, *quick]
        events = [box.submit(respond, [box, chat, *states], outputs, api_name="chat")]
        for button in quick:
            events.append(button.click(respond, [button, chat, *states], outputs, api_visibility="private"))
        for event in events:
            event.then(
                localize, [language, seen, ticket], [header, chat, box, status, page_lang],
                api_visibility="private", show_progress="hidden",
            ).then(None, [page_lang], None, js=SET_LANG, api_visibility="private")  # fmt: skip
        chat.like(feedback, [conversation, chat, language], None, api_visibility="private")
        timer = gr.Timer(STAFF_POLL_SECONDS)
        timer.tick(
            staff_replies, [chat, conversation, seen, language], [chat, seen, status],
            api_visibility="private", show_progress="hidden",
        )  # fmt: skip
    return page


# -- serving the page in the browser's language ------------------------------------------------------
_HTML_LANG = re.compile(r'(<html\b[^>]*?\blang=")[^"]*(")', re.S)
_CONFIG = re.compile(r"(<script>window\.gradio_config = )(.*?)(;</script>)", re.S)


def _script_json(value: Any) -> str:
    """``value`` as JSON safe inside a ``<script>`` element (as Gradio writes its config)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, escaped)
    return text


def page_words(assistant: Assistant, language: str) -> dict[str, dict[str, str]]:
    """The props of the page's elements (by elem_id) that differ in ``language``."""
    return {
        BRAND: {"value": heading(assistant, language)},
        CHAT: {"label": say(language, "conversation")},
        MESSAGE: {"placeholder": say(language, "placeholder"), "submit_btn": say(language, "send")},
    }


def localize_html(html: str, language: str, assistant: Assistant) -> str:
    """The page's HTML (Gradio's, its config inlined) in ``language``: its ``<html lang>``, its
    title and the words of its elements. English is served as built."""
    if language == languages.DEFAULT:
        return html
    html = _HTML_LANG.sub(lambda m: f"{m.group(1)}{languages.html_lang(language)}{m.group(2)}", html, count=1)
    found = _CONFIG.search(html)
    if found is None:
        return html
    try:
        config = json.loads(found.group(2))
    except ValueError:
        return html
    words = page_words(assistant, language)
    config["title"] = brand(assistant, language)[0]
    for component in config.get("components", []):
        props = component.get("props") or {}
        props.update(words.get(str(props.get("elem_id")), {}))
    return html[: found.start(2)] + _script_json(config) + html[found.end(2) :]


class InTheBrowsersLanguage:
    """ASGI middleware serving the chat page (``GET /``) in the language the browser asks for
    (``localize_html``); every other request passes untouched."""

    def __init__(self, app: ASGIApp, assistant: Assistant) -> None:
        self.app = app
        self.assistant = assistant

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != "/":
            await self.app(scope, receive, send)
            return
        header = Headers(scope=scope).get("accept-language")
        language = languages.from_accept_language(header)
        start: Message | None = None
        body: list[bytes] = []

        async def collect(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._send(send, start, b"".join(body), language)
            else:
                await send(message)

        await self.app(scope, receive, collect)

    async def _send(self, send: Send, start: Message | None, body: bytes, language: str) -> None:
        assert start is not None
        headers = MutableHeaders(raw=list(start["headers"]))
        if headers.get("content-type", "").startswith("text/html") and "content-encoding" not in headers:
            body = localize_html(body.decode("utf-8"), language, self.assistant).encode("utf-8")
            headers["content-length"] = str(len(body))
            headers["content-language"] = languages.html_lang(language)
            headers.append("vary", "Accept-Language")
        await send({**start, "headers": headers.raw})
        await send({"type": "http.response.body", "body": body, "more_body": False})


def mount(app: FastAPI, assistant: Assistant) -> FastAPI:
    """``app`` with the chat page mounted at ``/`` (after every other route, which it would hide),
    served in the language the browser asks for."""
    app.add_middleware(InTheBrowsersLanguage, assistant=assistant)
    return gr.mount_gradio_app(app, build_page(assistant), path="/")
