"""The customer's chat under ``/api/v1``: a whole reply, or the same reply streamed as
server-sent events. A message over the configured size is answered with 413."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse

from bot import Assistant, Reply
from ui.deps import AssistantDep, MetricsDep
from ui.schemas import ERRORS, ChatRequest, ChatResponse

router = APIRouter(prefix="/api/v1")
CHARACTERS = 12  # the size of a streamed piece of a Chinese reply


def _reply(assistant: Assistant, request: ChatRequest) -> Reply:
    limit = assistant.settings.max_message_chars
    if len(request.message) > limit:
        raise HTTPException(
            status_code=413, detail=f"the message has {len(request.message)} characters; the limit is {limit}"
        )
    return assistant.reply(request.conversation_id, request.message, request.client_message_id)


def pieces(text: str, words: int = 6, language: str = "en") -> Iterator[str]:
    """The reply text in small pieces, as a streaming client shows it: a few words each, or for
    Chinese, written without spaces between words, a few characters each (``CHARACTERS``)."""
    if language == "zh":
        for start in range(0, len(text), CHARACTERS):
            yield text[start : start + CHARACTERS]
        return
    parts = text.split(" ")
    for start in range(0, len(parts), words):
        piece = " ".join(parts[start : start + words])
        yield piece if start + words >= len(parts) else piece + " "


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/chat", response_model=ChatResponse, responses=ERRORS)
def chat(request: ChatRequest, assistant: AssistantDep, metrics: MetricsDep) -> dict[str, Any]:
    """The assistant's reply to one message (the conversation is remembered)."""
    reply = _reply(assistant, request)
    metrics.observe_reply(reply.route.value, reply.language)
    return reply.to_json()


@router.post("/chat/stream", responses={200: {"content": {"text/event-stream": {}}}, **ERRORS})
def chat_stream(request: ChatRequest, assistant: AssistantDep, metrics: MetricsDep) -> StreamingResponse:
    """Server-sent events: ``delta`` events with the reply text in pieces, each naming the
    reply's ``language`` (en or zh) so a client can mark up the message as it grows, then
    ``reply`` with the whole reply object (as ``/chat`` returns it, ``language`` included)."""
    answered = _reply(assistant, request)
    metrics.observe_reply(answered.route.value, answered.language)
    reply = answered.to_json()
    language = answered.language

    def events() -> Iterator[str]:
        for piece in pieces(reply["reply"], language=language):
            yield _event("delta", {"text": piece, "language": language})
        yield _event("reply", reply)

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
