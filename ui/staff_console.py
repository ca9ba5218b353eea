"""The staff console at ``/staff``: server-rendered pages, no script needed.

Sign-in with a staff account (``supportbot staff add``) opens a session: a random token in
an HttpOnly, SameSite=Strict cookie, of which the database keeps only a hash, so every
worker knows it and signing out ends it everywhere. Pages: the ticket queue; one ticket
with its summary, transcript and the bot's suggested reply with sources, and the actions
take over, reply, release to the bot, close; analytics with plots.
"""

from __future__ import annotations

import html
import io
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot import Activity, IntentActivity, NotFound, SupportbotError, TicketDetail, TranscriptLine, UnansweredQuestion
from bot.assistant import Assistant
from ui.markdown import to_html

COOKIE = "supportbot_staff"
SESSION_HOURS = 12
STATUSES = {"active": ("open", "claimed"), "open": ("open",), "claimed": ("claimed",), "closed": ("closed",)}

_STYLE = """
*{box-sizing:border-box}body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{display:flex;gap:1.2rem;align-items:center;padding:.7rem 1.4rem;background:#24292f;color:#fff}
header a,header button{color:#fff;text-decoration:none;background:none;border:0;font:inherit;cursor:pointer}
header .who{margin-left:auto;opacity:.8}main{max-width:68rem;margin:1.4rem auto;padding:0 1.4rem}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.45rem .6rem;
border-bottom:1px solid #d0d7de;vertical-align:top}th{font-weight:600;background:#f0f3f6}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:1rem 1.2rem;margin:0 0 1rem}
.turn{margin:.5rem 0;padding:.5rem .7rem;border-radius:6px;white-space:pre-wrap}
.turn.bot{white-space:normal}.turn p{margin:.3rem 0}
.customer{background:#ddf4ff}.bot{background:#f6f8fa}.staff{background:#dafbe1}
.meta{font-size:.82em;color:#57606a}.flash{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem .8rem}
.error{background:#ffebe9;border:1px solid #ff8182;padding:.5rem .8rem}
textarea{width:100%;min-height:6rem;font:inherit;padding:.5rem}input{font:inherit;padding:.4rem;width:100%}
button.act{font:inherit;padding:.4rem .9rem;border:1px solid #d0d7de;border-radius:6px;background:#f6f8fa;
cursor:pointer}
button.primary{background:#1f883d;color:#fff;border-color:#1a7f37}.row{display:flex;gap:.6rem;flex-wrap:wrap}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.8rem;margin-bottom:1rem}
.figure{font-size:1.6rem;font-weight:600}svg{max-width:100%;height:auto}
label{display:block;font-weight:600;margin:.6rem 0 .2rem}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _page(title: str, body: str, user: str | None = None, refresh: int | None = None) -> HTMLResponse:
    nav = ""
    if user:
        nav = (
            '<a href="/staff">Queue</a><a href="/staff/analytics">Analytics</a>'
            f'<span class="who">Signed in as {_e(user)}</span>'
            '<form method="post" action="/staff/logout"><button type="submit">Sign out</button></form>'
        )
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    return HTMLResponse(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{_e(title)} · supportbot staff</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{meta}<style>{_STYLE}</style></head>'
        f"<body><header><strong>supportbot · staff</strong>{nav}</header>"
        f"<main><h1>{_e(title)}</h1>{body}</main></body></html>",
        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"},
    )


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


class Plots:
    """The analytics figures as inline SVG, drawn at most every ``ttl`` seconds."""

    def __init__(self, assistant: Assistant, ttl: float = 30.0) -> None:
        self.assistant = assistant
        self.ttl = ttl
        self._lock = threading.Lock()
        self._cache: dict[int, tuple[float, Activity, str]] = {}

    def get(self, days: int) -> tuple[Activity, str]:
        with self._lock:
            cached = self._cache.get(days)
            if cached is None or time.monotonic() - cached[0] > self.ttl:
                figures = self.assistant.desk.activity(days)
                cached = (time.monotonic(), figures, _draw(figures))
                self._cache[days] = cached
            return cached[1], cached[2]


def _draw(figures: Activity) -> str:
    """Three panels: conversations and messages per day, replies by route, thumbs up and down."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    days = [d[5:] for d in figures.days]
    fig, (daily, routes, thumbs) = plt.subplots(
        1, 3, figsize=(13, 3.6), gridspec_kw={"width_ratios": [2.4, 1.4, 0.8]}, constrained_layout=True
    )
    daily.plot(days, figures.messages, marker="o", ms=3, label="customer messages", color="#0969da")
    daily.bar(days, figures.conversations, label="conversations started", color="#8c959f", alpha=0.6)
    daily.set_title("Per day")
    daily.legend(loc="upper left", fontsize=8)
    daily.tick_params(axis="x", labelrotation=60, labelsize=7)
    daily.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(12))
    route_names = list(figures.routes) or ["(none yet)"]
    route_counts = list(figures.routes.values()) or [0]
    routes.barh(route_names[::-1], route_counts[::-1], color="#1f883d")
    routes.set_title(f"Replies by route ({figures.replies})")
    thumbs.bar(["up", "down"], [figures.thumbs_up, figures.thumbs_down], color=["#1f883d", "#cf222e"])
    thumbs.set_title("Thumbs")
    for ax in (daily, thumbs):
        ax.set_ylim(bottom=0, top=max(1.0, ax.get_ylim()[1]))
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    routes.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    for ax in (daily, routes, thumbs):
        ax.spines[["top", "right"]].set_visible(False)
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    svg = out.getvalue()
    return svg[svg.index("<svg") :]


class SignInLimit:
    """Failed sign-ins are counted per account and per client address; past the limit within
    the window, sign-in is refused until the oldest failure leaves it. Counted per process:
    with N workers an attacker gets at most N times the limit, each guess costing a scrypt."""

    def __init__(self, per_account: int = 5, per_client: int = 20, window: float = 900.0) -> None:
        self.limits = {"account": per_account, "client": per_client}
        self.window = window
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> list[float]:
        cutoff = time.monotonic() - self.window
        kept = [t for t in self._failures.get(key, []) if t > cutoff]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def wait(self, account: str, client: str) -> float:
        """Seconds until a sign-in may be tried again (0: now)."""
        with self._lock:
            waits = []
            for kind, value in (("account", account.lower()), ("client", client)):
                recent = self._recent((kind, value))
                if len(recent) >= self.limits[kind]:
                    waits.append(recent[-self.limits[kind]] + self.window - time.monotonic())
            return max(waits, default=0.0)

    def failed(self, account: str, client: str) -> None:
        with self._lock:
            for key in (("account", account.lower()), ("client", client)):
                self._failures.setdefault(key, []).append(time.monotonic())

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(("account", account.lower()), None)


def staff_console(assistant: Assistant, limit: SignInLimit | None = None) -> APIRouter:
    router = APIRouter(prefix="/staff", include_in_schema=False)
    plots = Plots(assistant)
    limit = limit or SignInLimit()

    def signed_in(request: Request) -> str | None:
        return assistant.desk.session_user(request.cookies.get(COOKIE))

    @router.get("/login")
    def login_form(request: Request, error: str = "") -> Response:
        if signed_in(request):
            return _redirect("/staff")
        notice = f'<p class="error" role="alert">{_e(error)}</p>' if error else ""
        return _page(
            "Sign in",
            f'{notice}<form method="post" action="/staff/login" class="card" style="max-width:24rem">'
            '<label for="username">Username</label>'
            '<input id="username" name="username" autocomplete="username" required>'
            '<label for="password">Password</label>'
            '<input id="password" name="password" type="password" autocomplete="current-password" required>'
            '<p><button class="act primary" type="submit">Sign in</button></p></form>',
        )

    @router.post("/login")
    def login(request: Request, username: str = Form(""), password: str = Form("")) -> Response:
        client = request.client.host if request.client else "unknown"
        wait = limit.wait(username, client)
        if wait > 0:
            minutes = max(1, round(wait / 60))
            page = login_form(request, error=f"Too many failed sign-ins. Try again in {minutes} minute(s).")
            page.status_code = 429
            page.headers["Retry-After"] = str(int(wait) + 1)
            return page
        if not assistant.desk.check_staff(username, password):
            limit.failed(username, client)
            page = login_form(request, error="Wrong username or password.")
            page.status_code = 401
            return page
        limit.succeeded(username)
        response = _redirect("/staff")
        session = assistant.desk.start_session(username, SESSION_HOURS)
        response.set_cookie(
            COOKIE, session.token, max_age=session.max_age,
            httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/",
        )  # fmt: skip
        return response

    @router.post("/logout")
    def logout(request: Request) -> Response:
        token = request.cookies.get(COOKIE)
        if token:
            assistant.desk.end_session(token)
        response = _redirect("/staff/login")
        response.delete_cookie(COOKIE, path="/")
        return response

    @router.get("")
    def queue(request: Request, status: str = "active") -> Response:
        user = signed_in(request)
        if user is None:
            return _redirect("/staff/login")
        wanted = STATUSES.get(status, STATUSES["active"])
        tickets = [t for t in assistant.desk.tickets() if t.status in wanted]
        tickets.sort(key=lambda t: t.created_at, reverse=status == "closed")
        tabs = " · ".join(
            f"<strong>{name}</strong>" if name == status else f'<a href="/staff?status={name}">{name}</a>'
            for name in STATUSES
        )
        rows = "".join(
            f'<tr><td><a href="/staff/tickets/{_e(t.number)}">{_e(t.number)}</a></td><td>{_e(t.status)}</td>'
            f"<td>{_e(t.reason)}</td><td>{_e(t.summary.get('intent') or '')}</td>"
            f"<td>{_e(_last_words(t.summary))}</td><td>{_e(t.assignee or '')}</td>"
            f'<td class="meta">{_e(t.created_at[:16].replace("T", " "))}</td></tr>'
            for t in tickets
        )
        table = (
            "<table><thead><tr><th>Ticket</th><th>Status</th><th>Reason</th><th>Intent</th>"
            "<th>Customer's last words</th><th>Assignee</th><th>Opened (UTC)</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            if tickets
            else '<p class="card">No tickets here.</p>'
        )
        return _page("Tickets", f"<p>{tabs}</p>{table}", user, refresh=20)

    @router.get("/tickets/{number}")
    def ticket(request: Request, number: str, done: str = "") -> Response:
        user = signed_in(request)
        if user is None:
            return _redirect("/staff/login")
        try:
            found = assistant.desk.ticket(number)
        except NotFound:
            page = _page("No such ticket", f'<p class="card">There is no ticket {_e(number)}.</p>', user)
            page.status_code = 404
            return page
        base = str(request.base_url).rstrip("/")
        return _page(f"Ticket {number}", _ticket_body(assistant, found, done, base), user)

    @router.post("/tickets/{number}/{action}")
    def act(request: Request, number: str, action: str, message: str = Form("")) -> Response:
        user = signed_in(request)
        if user is None:
            return _redirect("/staff/login")
        desk = assistant.desk
        try:
            if action == "claim":
                desk.claim(number, user)
                done = "You took over this conversation; the bot stays quiet."
            elif action == "reply":
                if not message.strip():
                    return _redirect(f"/staff/tickets/{quote(number)}?done=" + quote("Write a reply first."))
                desk.reply(number, user, message.strip()[:4000])
                done = "Reply sent to the customer."
            elif action == "release":
                desk.release(number)
                done = "Released: the bot answers this conversation again."
            elif action == "close":
                desk.close(number)
                done = "Ticket closed."
            else:
                return _redirect(f"/staff/tickets/{quote(number)}")
        except SupportbotError as e:
            done = str(e)
        return _redirect(f"/staff/tickets/{quote(number)}?done={quote(done)}")

    @router.get("/analytics")
    def analytics(request: Request, days: int = 30) -> Response:
        user = signed_in(request)
        if user is None:
            return _redirect("/staff/login")
        days = max(1, min(days, 365))
        figures, svg = plots.get(days)
        numbers = [
            ("conversations", sum(figures.conversations)),
            ("customer messages", sum(figures.messages)),
            ("bot replies", figures.replies),
            ("fallback rate", f"{figures.fallback_rate:.1%}"),
            ("handoff rate", f"{figures.handoff_rate:.1%}"),
            ("thumbs up / down", f"{figures.thumbs_up} / {figures.thumbs_down}"),
        ]
        cards = "".join(
            f'<div class="card"><div class="meta">{_e(k)}</div><div class="figure">{_e(v)}</div></div>'
            for k, v in numbers
        )
        ranges = " · ".join(f'<a href="/staff/analytics?days={d}">{d} days</a>' for d in (7, 30, 90))
        body = (
            f'<p>Last {days} days (UTC) · {ranges}</p><div class="grid">{cards}</div>'
            f'<div class="card" role="img" aria-label="Plots: activity per day, replies by route, thumbs">{svg}</div>'
            '<p class="meta">Fallback rate: share of bot replies that said it does not know. '
            "Handoff rate: share of conversations started in the period that were handed to a person.</p>"
            f"{_intent_table(figures.intents)}{_unanswered(figures.unanswered)}"
        )
        return _page("Analytics", body, user)

    return router


def _intent_table(rows: tuple[IntentActivity, ...]) -> str:
    if not rows:
        return ""
    body = "".join(
        f"<tr><td>{_e(r.intent)}</td><td>{r.replies}</td><td>{r.fallback}</td><td>{r.handoff}</td></tr>" for r in rows
    )
    return (
        '<div class="card"><h2>Most frequent intents</h2><table><thead><tr><th>Intent</th><th>Replies</th>'
        f"<th>Fell back</th><th>Handed over</th></tr></thead><tbody>{body}</tbody></table></div>"
    )


def _unanswered(rows: tuple[UnansweredQuestion, ...]) -> str:
    """The latest messages the bot could not answer: where the knowledge base has gaps."""
    if not rows:
        return ""
    items = "".join(
        f'<li>{_e(r.text)} <span class="meta">{_e(r.time[:16].replace("T", " "))}</span></li>' for r in rows
    )
    return f'<div class="card"><h2>Latest questions the bot could not answer</h2><ul>{items}</ul></div>'


def _last_words(summary: Mapping[str, Any]) -> str:
    words = summary.get("customer_words") or []
    text = " / ".join(str(w) for w in words[-2:]) if isinstance(words, list) else str(words)
    return text if len(text) <= 120 else text[:117] + "…"


def _ticket_body(assistant: Assistant, ticket: TicketDetail, done: str, base: str) -> str:
    number, summary = ticket.number, ticket.summary
    flash = f'<p class="flash" role="status">{_e(done)}</p>' if done else ""
    facts = "".join(
        f"<tr><th>{_e(k.replace('_', ' '))}</th><td>{_e(_plain(v))}</td></tr>"
        for k, v in summary.items()
        if v and k != "reason"
    )
    head = (
        f'<div class="card"><p><strong>Status:</strong> {_e(ticket.status)}'
        f" · <strong>Reason:</strong> {_e(ticket.reason)}"
        f" · <strong>Assignee:</strong> {_e(ticket.assignee or 'nobody yet')}"
        f' · <span class="meta">conversation {_e(ticket.conversation_id)}</span></p>'
        f"<table>{facts}</table></div>"
    )
    turns = []
    customer_messages = []
    for turn in ticket.transcript:
        if turn.customer:
            customer_messages.append(turn.customer)
            turns.append(_turn("customer", f"customer · {_time(turn)}", turn.customer))
        reply = turn.reply
        if turn.author == "staff":
            turns.append(_turn("staff", f"staff · {_e(reply.get('staff') or '')} · {_time(turn)}", reply["reply"]))
        else:
            turns.append(_turn("bot", f"bot · {_e(reply['route'])}", reply["reply"]))
    transcript = f'<div class="card"><h2>Transcript</h2>{"".join(turns)}</div>'
    actions = ""
    if ticket.status != "closed":
        suggestion = _suggestion(assistant, customer_messages, base)
        path = f"/staff/tickets/{_e(number)}"
        take_over = _button(path + "/claim", "Take over") if ticket.status == "open" else ""
        actions = (
            f"{suggestion}"
            f'<form method="post" action="{path}/reply" class="card"><label for="reply">Reply to the customer</label>'
            '<textarea id="reply" name="message" maxlength="4000" required></textarea>'
            '<p><button class="act primary" type="submit">Send reply</button></p></form>'
            f'<div class="row">{take_over}'
            f"{_button(path + '/release', 'Release to the bot')}{_button(path + '/close', 'Close ticket')}</div>"
        )
    return f"{flash}{head}{transcript}{actions}"


def _suggestion(assistant: Assistant, customer_messages: list[str], base: str) -> str:
    reply = assistant.suggest(customer_messages)
    if reply is None:
        return (
            '<div class="card"><h2>Suggested reply</h2>'
            "<p>The knowledge base has nothing close to what the customer wrote.</p></div>"
        )
    sources = "".join(
        f'<li><a href="{_e(s.url)}" target="_blank" rel="noopener">{_e(s.title)}</a>'
        f' <span class="meta">score {s.score:.2f}</span></li>'
        for s in reply.sources
    )
    # The reply as the customer would read it (plain text, links written out), for the button.
    links = "\n".join(f"{s.title}: {base}{s.url}" for s in reply.sources)
    plain = f"{reply.reply.replace('**', '')}\n\n{links}"
    use = (
        '<textarea id="suggested" hidden>' + _e(plain) + "</textarea>"
        '<button class="act" type="button" onclick="var r=document.getElementById(\'reply\');'
        "r.value=document.getElementById('suggested').value;r.focus()\">Use as reply</button>"
    )
    return (
        '<div class="card"><h2>Suggested reply</h2>'
        f'<p class="meta">what the bot would answer ({_e(reply.route.value)}); copy what helps into your reply</p>'
        f"<div>{to_html(reply.reply)}</div><p><strong>Sources</strong></p><ul>{sources}</ul>{use}</div>"
    )


def _turn(kind: str, label: str, text: str) -> str:
    """One message of the transcript; ``label`` is already escaped. The bot writes Markdown
    (rendered with raw HTML escaped); people's words are shown exactly as typed."""
    body = to_html(text) if kind == "bot" else _e(text)
    return f'<div class="turn {kind}"><span class="meta">{label}</span>\n{body}</div>'


def _button(action: str, label: str) -> str:
    return f'<form method="post" action="{action}"><button class="act" type="submit">{_e(label)}</button></form>'


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return str(value)


def _time(turn: TranscriptLine) -> str:
    return _e(turn.time[11:16])
