"""Staff endpoints under ``/api/v1/tickets``, for a signed-in console session or HTTP Basic
credentials of a staff account (``supportbot staff add``); without either they answer 401."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, Field

from bot.assistant import Assistant
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
    desk = request.app.state.assistant.desk
    user = desk.session_user(request.cookies.get(COOKIE))
    if user is not None:
        return user
    if credentials is None or not desk.check_staff(credentials.username, credentials.password):
        raise HTTPException(status_code=401, detail="staff sign-in required", headers={"WWW-Authenticate": "Basic"})
    return credentials.username


User = Annotated[str, Depends(signed_in_staff)]


def staff_router(assistant: Assistant) -> APIRouter:
    # A missing ticket is answered 404 and a closed one 409 by the app's error mapping (ui/api.py).
    router = APIRouter(prefix="/api/v1/tickets", responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}})
    desk = assistant.desk

    @router.get("", response_model=list[TicketOut])
    def tickets(user: User, status: str | None = None) -> list[dict[str, Any]]:
        """Tickets, oldest first; ``status`` filters (open, claimed, closed)."""
        return [t.to_json() for t in desk.tickets(status)]

    @router.post("/{number}/claim", response_model=TicketOut)
    def claim(number: str, user: User) -> dict[str, Any]:
        return desk.claim(number, user).to_json()

    @router.post("/{number}/reply", response_model=Ok)
    def reply(number: str, body: StaffReply, user: User) -> Ok:
        """A person's reply, shown to the customer in their conversation."""
        desk.reply(number, user, body.message)
        return Ok()

    @router.post("/{number}/release", response_model=Ok)
    def release(number: str, user: User) -> Ok:
        """Close the ticket and let the bot answer the conversation again."""
        desk.release(number)
        return Ok()

    @router.post("/{number}/close", response_model=Ok)
    def close(number: str, user: User) -> Ok:
        """Close the ticket; the conversation stays with people (the bot stays quiet). If the
        customer writes again, the ticket opens again."""
        desk.close(number)
        return Ok()

    return router
