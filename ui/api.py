"""The REST API under ``/api/v1``: chat (whole or streamed), a customer's transcript, feedback.

Every request and response is a pydantic model, so the OpenAPI document describes them all.
Bad input is answered with a JSON error: a message over the configured size with 413, a
malformed body or wrong types with 422. Nothing answers with a stack trace.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse
from pydantic import BaseModel, Field

from bot import Conflict, InputError, NotFound
from bot.assistant import Assistant
from bot.types import Reply
from ui.metrics import Metrics

ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"


class ChatRequest(BaseModel):
    conversation_id: str | None = Field(default=None, pattern=ID_PATTERN, description="omit to start one")
    message: str = Field(description="the customer's message")
    client_message_id: str | None = Field(
        default=None, max_length=128, description="the sender's id of this message; a repeat is answered once"
    )


class SourceOut(BaseModel):
    id: str
    title: str
    score: float
    url: str


class FlowOut(BaseModel):
    id: str
    step: str


class RecommendationOut(BaseModel):
    model_id: str
    name: str
    reasons: list[str]


class ChatResponse(BaseModel):
    reply: str
    route: str
    intent: str | None
    confidence: float
    sources: list[SourceOut]
    quick_replies: list[str]
    conversation_id: str
    ticket: str | None
    flow: FlowOut | None
    recommendations: list[RecommendationOut]


class TurnOut(BaseModel):
    seq: int
    time: str
    customer: str
    author: str
    reply: ChatResponse


class TranscriptOut(BaseModel):
    conversation_id: str
    status: str
    turns: list[TurnOut]


class FeedbackRequest(BaseModel):
    conversation_id: str = Field(pattern=ID_PATTERN)
    helpful: bool
    message: str = Field(default="", max_length=2000, description="the reply the feedback is about")


class Ok(BaseModel):
    ok: bool = True


class ErrorOut(BaseModel):
    error: str


def _reply(assistant: Assistant, request: ChatRequest) -> Reply:
    limit = assistant.settings.max_message_chars
    if len(request.message) > limit:
        raise HTTPException(
            status_code=413, detail=f"the message has {len(request.message)} characters; the limit is {limit}"
        )
    return assistant.reply(request.conversation_id, request.message, request.client_message_id)


def _pieces(text: str, words: int = 6) -> Iterator[str]:
    """The reply text in small pieces (a few words each), as a streaming client shows it."""
    parts = text.split(" ")
    for start in range(0, len(parts), words):
        piece = " ".join(parts[start : start + words])
        yield piece if start + words >= len(parts) else piece + " "


def _event(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def api_router(assistant: Assistant, metrics: Metrics) -> APIRouter:
    router = APIRouter(prefix="/api/v1")
    errors: dict[int | str, dict[str, Any]] = {413: {"model": ErrorOut}, 422: {"model": ErrorOut}}

    @router.post("/chat", response_model=ChatResponse, responses=errors)
    def chat(request: ChatRequest) -> dict[str, Any]:
        """The assistant's reply to one message (the conversation is remembered)."""
        reply = _reply(assistant, request)
        metrics.observe_reply(reply.route.value)
        return reply.to_json()

    @router.post("/chat/stream", responses={200: {"content": {"text/event-stream": {}}}, **errors})
    def chat_stream(request: ChatRequest) -> StreamingResponse:
        """Server-sent events: ``delta`` events with the reply text in pieces, then ``reply``
        with the whole reply object (as ``/chat`` returns it)."""
        answered = _reply(assistant, request)
        metrics.observe_reply(answered.route.value)
        reply = answered.to_json()

        def events() -> Iterator[str]:
            for piece in _pieces(reply["reply"]):
                yield _event("delta", {"text": piece})
            yield _event("reply", reply)

        return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    @router.get("/conversations/{conversation_id}", response_model=TranscriptOut, responses={404: {"model": ErrorOut}})
    def conversation(conversation_id: str) -> dict[str, Any]:
        """The customer's own transcript: every message and the reply it got."""
        return assistant.desk.conversation(conversation_id).to_json()

    @router.post("/feedback", response_model=Ok, responses=errors)
    def feedback(request: FeedbackRequest) -> Ok:
        """A thumbs up or down on a reply."""
        assistant.record_feedback(request.conversation_id, request.message, request.helpful)
        return Ok()

    return router


def install(app: FastAPI, assistant: Assistant) -> None:
    """Add the API, its error handling, ``/readyz`` and ``/metrics`` to ``app``."""
    from ui.staff_api import staff_router

    metrics = Metrics()
    app.state.assistant = assistant
    app.include_router(api_router(assistant, metrics))
    app.include_router(staff_router(assistant))

    @app.middleware("http")
    async def measure(request: Request, call_next: Any) -> Any:
        start = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", None) or "other"  # the route's template: no unbounded labels
        metrics.observe_request(request.method, path, response.status_code, time.perf_counter() - start)
        return response

    @app.get("/metrics", response_class=PlainTextResponse)
    def prometheus() -> PlainTextResponse:
        """Prometheus text format: requests, latency histogram, replies by route, fallbacks, handoffs."""
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse(status_code=exc.status_code, content={"error": str(exc.detail)}, headers=exc.headers)

    # The one mapping of supportbot's errors to status codes: by type, never by message text.
    for error, status in ((NotFound, 404), (Conflict, 409), (InputError, 422)):
        app.add_exception_handler(error, _answer_with(status))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}" for e in exc.errors()]
        return JSONResponse(status_code=422, content={"error": "; ".join(problems) or "invalid request"})

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=500, content={"error": f"internal error ({type(exc).__name__})"})

    @app.get("/readyz", response_model=Ok, responses={503: {"model": ErrorOut}})
    def readyz() -> Ok:
        """Ready when the model and the index are loaded and the database answers."""
        try:
            ready = assistant.retriever is not None and assistant.desk.ping()
        except Exception as e:
            raise HTTPException(status_code=503, detail=f"not ready: {type(e).__name__}") from e
        if not ready:
            raise HTTPException(status_code=503, detail="not ready: the database does not answer")
        return Ok()


def _answer_with(status: int) -> Any:
    """An exception handler answering ``status`` with the error's message as ``{"error": ...}``."""

    async def answer(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=status, content={"error": str(exc)})

    return answer
