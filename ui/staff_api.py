"""Staff endpoints under ``/api/v1/tickets``, for a signed-in console session or HTTP Basic
credentials of a staff account (``supportbot staff add``); without either they answer 401."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, Field

from bot.assistant import Assistant
from bot.errors import SupportbotError
from ui.api import ErrorOut, Ok
from ui.staff_console import COOKIE

_basic = HTTPBasic(auto_error=False)


class TicketOut(BaseModel):
    number: str
    conversation_id: str
    status: str
    reason: str
    summary: dict[str, Any]
    assignee: str | None
    created_at: str


class StaffReply(BaseModel):
    message: str = Field(min_length=1, max_length=4000)


def signed_in_staff(request: Request, credentials: Annotated[HTTPBasicCredentials | None, Depends(_basic)]) -> str:
    """The staff member's username from the console's session cookie or from HTTP Basic
    credentials; 401 when neither is valid."""
    assistant: Assistant = request.app.state.assistant
    token = request.cookies.get(COOKIE)
    user = assistant.store.session_user(token) if token else None
    if user is not None:
        return user
    if credentials is None or not assistant.store.check_staff(credentials.username, credentials.password):
        raise HTTPException(status_code=401, detail="staff sign-in required", headers={"WWW-Authenticate": "Basic"})
    return credentials.username


User = Annotated[str, Depends(signed_in_staff)]


def staff_router(assistant: Assistant) -> APIRouter:
    router = APIRouter(prefix="/api/v1/tickets", responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}})

    def act(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except SupportbotError as e:
            raise HTTPException(status_code=404 if "no ticket" in str(e) else 409, detail=str(e)) from e

    @router.get("", response_model=list[TicketOut])
    def tickets(user: User, status: str | None = None) -> list[dict[str, Any]]:
        """Tickets, oldest first; ``status`` filters (open, claimed, closed)."""
        return assistant.store.tickets(status)

    @router.post("/{number}/claim", response_model=TicketOut)
    def claim(number: str, user: User) -> dict[str, Any]:
        return act(assistant.store.claim, number, user)

    @router.post("/{number}/reply", response_model=Ok)
    def reply(number: str, body: StaffReply, user: User) -> Ok:
        """A person's reply, shown to the customer in their conversation."""
        act(assistant.store.staff_reply, number, user, body.message)
        return Ok()

    @router.post("/{number}/release", response_model=Ok)
    def release(number: str, user: User) -> Ok:
        """Close the ticket and let the bot answer the conversation again."""
        act(assistant.store.close, number, True)
        return Ok()

    @router.post("/{number}/close", response_model=Ok)
    def close(number: str, user: User) -> Ok:
        """Close the ticket; the conversation stays with people (the bot stays quiet). If the
        customer writes again, the ticket opens again."""
        act(assistant.store.close, number, False)
        return Ok()

    return router
