"""The customer chat page (Gradio) at ``/``. It wraps ``Assistant.reply`` and re-implements nothing."""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # offline product: never phone home

import gradio as gr
from fastapi import FastAPI

from bot import Assistant, InputError, NotFound, Reply

MAX_QUICK_REPLIES = 3
STAFF_POLL_SECONDS = 3.0


def format_reply(reply: Reply) -> str:
    """The reply as Markdown, with its sources as links to the article text."""
    text = reply.reply
    if reply.sources:
        links = " · ".join(f"[{s.title}]({s.url})" for s in reply.sources)
        text += f"\n\n*Sources:* {links}"
    if reply.ticket:
        text += f"\n\n*Ticket:* {reply.ticket}"
    return text


def _buttons(reply: Reply | None) -> list[Any]:
    labels = list(reply.quick_replies[:MAX_QUICK_REPLIES]) if reply else []
    return [
        gr.update(value=labels[i], visible=True) if i < len(labels) else gr.update(value="", visible=False)
        for i in range(MAX_QUICK_REPLIES)
    ]


def staff_update(
    assistant: Assistant, history: list[dict[str, Any]], conversation: str | None, seen: int | None
) -> tuple[list[dict[str, Any]], int | None] | None:
    """While a person has the conversation (``seen``: the last turn shown), the history with
    the replies a person wrote since then, and the new last turn (None once the conversation
    is back with the bot); None when nothing changed. The page asks every few seconds."""
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
        history.append({"role": "assistant", "content": f"**Support team:** {turn.text}"})
    return history, None if back_to_bot else max((t.seq for t in turns), default=seen)


def build_page(assistant: Assistant) -> gr.Blocks:
    """The Gradio Blocks of the customer page."""

    def respond(
        message: str, history: list[dict[str, Any]], conversation: str | None, seen: int | None
    ) -> tuple[Any, ...]:
        history = list(history or [])
        if not message or not message.strip():
            return ("", history, conversation, seen, *_buttons(None))
        history.append({"role": "user", "content": message})
        try:
            reply = assistant.reply(conversation, message)
        except InputError as e:
            history.append({"role": "assistant", "content": f"Sorry, I can't take that message: {e}."})
            return ("", history, conversation, seen, *_buttons(None))
        history.append({"role": "assistant", "content": format_reply(reply), "metadata": None})
        if reply.route.value == "handoff" and seen is None:
            # from now on, show what a person writes
            seen = assistant.desk.conversation(reply.conversation_id).last_seq
        return ("", history, reply.conversation_id, seen, *_buttons(reply))

    def staff_replies(history: list[dict[str, Any]], conversation: str | None, seen: int | None) -> tuple[Any, ...]:
        update = staff_update(assistant, history, conversation, seen)
        return update if update is not None else (gr.skip(), gr.skip())

    def feedback(conversation: str | None, history: list[dict[str, Any]], data: gr.LikeData) -> None:
        if conversation is None:
            return
        index = data.index if isinstance(data.index, int) else data.index[0]
        message = history[index]["content"] if 0 <= index < len(history) else ""
        assistant.record_feedback(conversation, str(message), bool(data.liked))

    title, tagline = assistant.copy.say("brand.title"), assistant.copy.say("brand.tagline")
    with gr.Blocks(title=title, analytics_enabled=False) as page:
        gr.Markdown(f"## {title}\n{tagline}")
        conversation = gr.State(None)
        seen = gr.State(None)  # the last turn shown while a person has the conversation
        chat = gr.Chatbot(label="Conversation", height=480, elem_id="chat")
        with gr.Row():
            quick = [
                gr.Button(visible=False, size="sm", elem_classes=["quick-reply"]) for _ in range(MAX_QUICK_REPLIES)
            ]
        box = gr.Textbox(placeholder="Type your question and press Enter", show_label=False, elem_id="message")
        outputs = [box, chat, conversation, seen, *quick]
        box.submit(respond, [box, chat, conversation, seen], outputs, api_name="chat")
        for button in quick:
            button.click(respond, [button, chat, conversation, seen], outputs, api_name=None)
        chat.like(feedback, [conversation, chat], None, api_name=None)
        timer = gr.Timer(STAFF_POLL_SECONDS)
        timer.tick(staff_replies, [chat, conversation, seen], [chat, seen], api_name=None, show_progress="hidden")
    return page


def mount(app: FastAPI, assistant: Assistant) -> FastAPI:
    """``app`` with the chat page mounted at ``/`` (after every other route, which it would hide)."""
    return gr.mount_gradio_app(app, build_page(assistant), path="/")
