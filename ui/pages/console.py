"""What the staff console's pages show, ready for their templates (``ui/templates/``).

Customers' and staff's words are passed as plain text, so the templates escape them; the bot's
replies are Markdown, rendered with raw HTML escaped and passed as ``Markup``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup

from bot import Activity, Reply, Source, TicketDetail, TicketSummary, TranscriptLine
from ui.markdown import to_html
from ui.pages import render

# Tabs of the queue and the ticket statuses each shows.
STATUSES = {"active": ("open", "claimed"), "open": ("open",), "claimed": ("claimed",), "closed": ("closed",)}
# No page of the console may be cached or framed by another site.
_HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY"}


def page(template: str, title: str, user: str | None = None, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A console page: ``template`` under the console's header, signed in as ``user`` (None on
    the sign-in page)."""
    context.setdefault("refresh", None)
    return render(template, status_code, dict(_HEADERS), title=title, user=user, **context)


def redirect(path: str) -> RedirectResponse:
    """See other: where a form's action lands."""
    return RedirectResponse(path, status_code=303)


@dataclass(frozen=True)
class QueueRow:
    number: str
    status: str
    reason: str
    intent: str
    last_words: str
    assignee: str
    opened: str

    @classmethod
    def of(cls, t: TicketSummary) -> QueueRow:
        opened = t.created_at[:16].replace("T", " ")
        intent = str(t.summary.get("intent") or "")
        return cls(t.number, t.status, t.reason, intent, last_words(t.summary), t.assignee or "", opened)


def queue_rows(tickets: list[TicketSummary], status: str) -> list[QueueRow]:
    """The rows of the queue's ``status`` tab: oldest first, the closed ones newest first."""
    wanted = STATUSES.get(status, STATUSES["active"])
    shown = sorted((t for t in tickets if t.status in wanted), key=lambda t: t.created_at, reverse=status == "closed")
    return [QueueRow.of(t) for t in shown]


def last_words(summary: Mapping[str, Any]) -> str:
    """The customer's last two messages of a ticket's summary, shortened to 120 characters."""
    words = summary.get("customer_words") or []
    text = " / ".join(str(w) for w in words[-2:]) if isinstance(words, list | tuple) else str(words)
    return text if len(text) <= 120 else text[:117] + "…"


@dataclass(frozen=True)
class TurnView:
    """One message of a transcript. ``body``: the bot's Markdown as ``Markup``; people's words
    as plain text, shown exactly as typed."""

    kind: str  # customer, bot or staff: the message's colour
    label: str
    body: str | Markup


def transcript(lines: tuple[TranscriptLine, ...]) -> list[TurnView]:
    """Each turn's customer message (when there is one) and its reply, in order."""
    turns = []
    for turn in lines:
        clock = turn.time[11:16]
        if turn.customer:
            turns.append(TurnView("customer", f"customer · {clock}", turn.customer))
        reply = turn.reply
        if turn.author == "staff":
            turns.append(TurnView("staff", f"staff · {reply.get('staff') or ''} · {clock}", str(reply["reply"])))
        else:
            turns.append(TurnView("bot", f"bot · {reply['route']}", Markup(to_html(str(reply["reply"])))))
    return turns


@dataclass(frozen=True)
class Suggestion:
    """What the bot would answer on a ticket: ``html`` to read, ``plain`` (links written out)
    for the "Use as reply" button."""

    route: str
    html: Markup
    sources: tuple[Source, ...]
    plain: str

    @classmethod
    def of(cls, reply: Reply, base: str) -> Suggestion:
        """``reply`` as a suggestion; ``base``: the server's URL, for the links written out."""
        links = "\n".join(f"{s.title}: {base}{s.url}" for s in reply.sources)
        plain = f"{reply.reply.replace('**', '')}\n\n{links}"
        return cls(reply.route.value, Markup(to_html(reply.reply)), tuple(reply.sources), plain)


def facts(ticket: TicketDetail) -> list[tuple[str, str]]:
    """The ticket's summary as rows of a table (the reason is shown apart)."""
    return [(k.replace("_", " "), plain(v)) for k, v in ticket.summary.items() if v and k != "reason"]


def plain(value: Any) -> str:
    """A summary value as one line of text."""
    if isinstance(value, list | tuple):
        return "; ".join(plain(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {plain(v)}" for k, v in value.items())
    return str(value)


def figures(activity: Activity) -> list[tuple[str, str]]:
    """The analytics page's headline figures."""
    return [
        ("conversations", str(sum(activity.conversations))),
        ("customer messages", str(sum(activity.messages))),
        ("bot replies", str(activity.replies)),
        ("fallback rate", f"{activity.fallback_rate:.1%}"),
        ("handoff rate", f"{activity.handoff_rate:.1%}"),
        ("thumbs up / down", f"{activity.thumbs_up} / {activity.thumbs_down}"),
    ]
