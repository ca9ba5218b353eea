"""Staff endpoints under ``/api/v1/tickets``, for a signed-in console session or HTTP Basic
credentials of a staff account (``supportbot staff add``); without either they answer 401.
A missing ticket is answered 404 and a closed one 409 by the app's error mapping (ui/app.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ui.deps import DeskDep, StaffUser
from ui.schemas import ErrorOut, Ok, StaffReply, TicketOut

router = APIRouter(prefix="/api/v1/tickets", responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}})


@router.get("", response_model=list[TicketOut])
def tickets(user: StaffUser, desk: DeskDep, status: str | None = None) -> list[dict[str, Any]]:
    """Tickets, oldest first; ``status`` filters (open, claimed, closed)."""
    return [t.to_json() for t in desk.tickets(status)]


@router.post("/{number}/claim", response_model=TicketOut)
def claim(number: str, user: StaffUser, desk: DeskDep) -> dict[str, Any]:
    """Assign the ticket to the signed-in person; the bot stays quiet in the conversation."""
    return desk.claim(number, user).to_json()


@router.post("/{number}/reply", response_model=Ok)
def reply(number: str, body: StaffReply, user: StaffUser, desk: DeskDep) -> Ok:
    """A person's reply, shown to the customer in their conversation."""
    desk.reply(number, user, body.message)
    return Ok()


@router.post("/{number}/release", response_model=Ok)
def release(number: str, user: StaffUser, desk: DeskDep) -> Ok:
    """Close the ticket and let the bot answer the conversation again."""
    desk.release(number)
    return Ok()


@router.post("/{number}/close", response_model=Ok)
def close(number: str, user: StaffUser, desk: DeskDep) -> Ok:
    """Close the ticket; the conversation stays with people (the bot stays quiet). If the
    customer writes again, the ticket opens again."""
    desk.close(number)
    return Ok()
