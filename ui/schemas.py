"""The pydantic models of the HTTP API: every request and response body, so the OpenAPI
document at ``/docs`` describes them all."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from bot import storable

ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"


class ChatRequest(BaseModel):
    conversation_id: str | None = Field(default=None, pattern=ID_PATTERN, description="omit to start one")
    message: str = Field(description="the customer's message")
    client_message_id: str | None = Field(
        default=None, max_length=128, description="the sender's id of this message; a repeat is answered once"
    )

    @field_validator("message", "client_message_id", mode="before")
    @classmethod
    def _storable(cls, value: object) -> object:
        """NUL and lone surrogates removed: every database stores what is left."""
        return storable(value) if isinstance(value, str) else value


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
    language: str = Field(default="en", description="the language of the reply: en or zh")


class TurnOut(BaseModel):
    seq: int
    time: str
    customer: str
    author: str
    reply: ChatResponse


class TranscriptOut(BaseModel):
    conversation_id: str
    status: str
    language: str = Field(default="en", description="the conversation's latest language: en or zh")
    turns: list[TurnOut]


class FeedbackRequest(BaseModel):
    conversation_id: str = Field(pattern=ID_PATTERN)
    helpful: bool
    message: str = Field(default="", max_length=2000, description="the reply the feedback is about")

    @field_validator("message", mode="before")
    @classmethod
    def _storable(cls, value: object) -> object:
        """NUL and lone surrogates removed: every database stores what is left."""
        return storable(value) if isinstance(value, str) else value


class TicketOut(BaseModel):
    number: str
    conversation_id: str
    status: str
    reason: str
    summary: dict[str, Any]
    assignee: str | None
    created_at: str
    language: str = Field(default="en", description="the conversation's latest language: en or zh")


class StaffReply(BaseModel):
    message: str = Field(min_length=1, max_length=4000)


class Ok(BaseModel):
    ok: bool = True


class ErrorOut(BaseModel):
    error: str


# The error bodies a route may answer with, for its OpenAPI entry.
ERRORS: dict[int | str, dict[str, Any]] = {413: {"model": ErrorOut}, 422: {"model": ErrorOut}}
