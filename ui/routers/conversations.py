"""A customer's own conversation under ``/api/v1``: its transcript, and feedback on a reply."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ui.deps import AssistantDep, DeskDep
from ui.schemas import ERRORS, ErrorOut, FeedbackRequest, Ok, TranscriptOut

router = APIRouter(prefix="/api/v1")


@router.get("/conversations/{conversation_id}", response_model=TranscriptOut, responses={404: {"model": ErrorOut}})
def conversation(conversation_id: str, desk: DeskDep) -> dict[str, Any]:
    """The customer's own transcript: every message and the reply it got."""
    return desk.conversation(conversation_id).to_json()


@router.post("/feedback", response_model=Ok, responses=ERRORS)
def feedback(request: FeedbackRequest, assistant: AssistantDep) -> Ok:
    """A thumbs up or down on a reply."""
    assistant.record_feedback(request.conversation_id, request.message, request.helpful)
    return Ok()
