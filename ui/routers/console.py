"""The staff console at ``/staff``: server-rendered pages, no script needed.

Sign-in with a staff account opens a session (ui/deps.py). Pages: the ticket queue; one ticket
with its summary, transcript and the bot's suggested reply with sources, and the actions take
over, reply, release to the bot, close; analytics with plots. A visitor without a session is
sent to the sign-in form (ui/app.py's answer to ``SignInRequired``).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from markupsafe import Markup

from bot import NotFound, SupportbotError
from ui.deps import COOKIE, SESSION_HOURS, AssistantDep, DeskDep, MaybeStaff, SignInLimitDep, StaffUser
from ui.pages import console
from ui.pages.console import page, redirect
from ui.pages.plots import Plots

router = APIRouter(prefix="/staff", include_in_schema=False)

# What each action button does, and the notice shown after it.
DONE = {
    "claim": "You took over this conversation; the bot stays quiet.",
    "reply": "Reply sent to the customer.",
    "release": "Released: the bot answers this conversation again.",
    "close": "Ticket closed.",
}


async def _plots(request: Request) -> Plots:
    plots: Plots = request.app.state.plots
    return plots


@router.get("/login")
def login_form(user: MaybeStaff, error: str = "") -> Response:
    """The sign-in form (already signed in: the queue)."""
    if user:
        return redirect("/staff")
    return page("login.html", "Sign in", error=error)


@router.post("/login")
def login(
    request: Request, desk: DeskDep, limit: SignInLimitDep, username: str = Form(""), password: str = Form("")
) -> Response:
    """Check the password and open a session; too many failures lock the account for a while."""
    client = request.client.host if request.client else "unknown"
    wait = limit.wait(username, client)
    if wait > 0:
        minutes = max(1, round(wait / 60))
        error = f"Too many failed sign-ins. Try again in {minutes} minute(s)."
        locked = page("login.html", "Sign in", status_code=429, error=error)
        locked.headers["Retry-After"] = str(int(wait) + 1)
        return locked
    if not desk.check_staff(username, password):
        limit.failed(username, client)
        return page("login.html", "Sign in", status_code=401, error="Wrong username or password.")
    limit.succeeded(username)
    response = redirect("/staff")
    session = desk.start_session(username, SESSION_HOURS)
    response.set_cookie(
        COOKIE, session.token, max_age=session.max_age,
        httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/",
    )  # fmt: skip
    return response


@router.post("/logout")
def logout(request: Request, desk: DeskDep) -> Response:
    """End the session everywhere and forget the cookie."""
    token = request.cookies.get(COOKIE)
    if token:
        desk.end_session(token)
    response = redirect("/staff/login")
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("")
def queue(user: StaffUser, desk: DeskDep, status: str = "active") -> Response:
    """The tickets of one tab (active, open, claimed, closed); the page refreshes itself."""
    rows = console.queue_rows(desk.tickets(), status)
    return page("queue.html", "Tickets", user, refresh=20, statuses=list(console.STATUSES), status=status, rows=rows)


@router.get("/tickets/{number}")
def ticket(request: Request, number: str, user: StaffUser, assistant: AssistantDep, done: str = "") -> Response:
    """One ticket: summary, its language, transcript, the bot's suggestion (in the language of
    the customer's message it answers) and the actions."""
    try:
        found = assistant.desk.ticket(number)
    except NotFound:
        return page("message.html", "No such ticket", user, status_code=404, message=f"There is no ticket {number}.")
    suggestion = None
    reply = assistant.suggest(found.customer_messages, found.language) if found.status != "closed" else None
    if reply is not None:
        suggestion = console.Suggestion.of(reply, str(request.base_url).rstrip("/"))
    return page(
        "ticket.html", f"Ticket {number}", user, done=done, ticket=found, facts=console.facts(found),
        turns=console.transcript(found.transcript), suggestion=suggestion, path=f"/staff/tickets/{number}",
        language=console.Language.of(found.language),
    )  # fmt: skip


@router.post("/tickets/{number}/{action}")
def act(number: str, action: str, user: StaffUser, desk: DeskDep, message: str = Form("")) -> Response:
    """Press an action button; lands on the ticket page with a notice of what happened."""
    back = f"/staff/tickets/{quote(number)}"
    if action not in DONE:
        return redirect(back)
    if action == "reply" and not message.strip():
        return redirect(f"{back}?done=" + quote("Write a reply first."))
    try:
        if action == "claim":
            desk.claim(number, user)
        elif action == "reply":
            desk.reply(number, user, message.strip()[:4000])
        elif action == "release":
            desk.release(number)
        else:
            desk.close(number)
        done = DONE[action]
    except SupportbotError as e:
        done = str(e)
    return redirect(f"{back}?done={quote(done)}")


@router.get("/analytics")
def analytics(
    user: StaffUser, plots: Annotated[Plots, Depends(_plots)], assistant: AssistantDep, days: int = 30
) -> Response:
    """Figures and plots of the last ``days`` days, the same by language, the most frequent
    intents, unanswered questions, and the knowledge gaps: questions refused or answered unsure,
    grouped by similarity."""
    days = max(1, min(days, 365))
    activity, svg = plots.get(days)
    return page(
        "analytics.html", "Analytics", user, days=days, figures=console.figures(activity),
        svg=Markup(svg), intents=activity.intents, unanswered=console.unanswered(activity),
        languages=console.by_language(activity), gaps=console.gaps(assistant.knowledge_gaps(days)),
    )  # fmt: skip
