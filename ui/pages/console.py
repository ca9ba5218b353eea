"""What the staff console's pages show, ready for their templates (``ui/templates/``).

Customers' and staff's words are passed as plain text, so the templates escape them; the bot's
replies are Markdown, rendered with raw HTML escaped and passed as ``Markup``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup

from bot import Activity, Gap, Reply, Source, TicketDetail, TicketSummary, TranscriptLine
from ui.languages import html_lang
from ui.markdown import to_html
from ui.pages import render

# Tabs of the queue and the ticket statuses each shows.
STATUSES = {"active": ("open", "claimed"), "open": ("open",), "claimed": ("claimed",), "closed": ("closed",)}
# How the console names the languages customers write in (the staff's own pages are English).
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}
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


def language_name(language: str) -> str:
    """A language code as the console shows it: "Chinese", "English" (an unknown code as is)."""
    return LANGUAGE_NAMES.get(language, language)


@dataclass(frozen=True)
class Language:
    """A language as a badge: its code (``zh``), its name (``Chinese``) and the ``lang``
    attribute of text in it (``zh-CN``)."""

    code: str
    name: str
    lang: str

    @classmethod
    def of(cls, code: str) -> Language:
        return cls(code, language_name(code), html_lang(code))


@dataclass(frozen=True)
class QueueRow:
    number: str
    status: str
    reason: str
    intent: str
    last_words: str
    assignee: str
    opened: str
    language: Language

    @classmethod
    def of(cls, t: TicketSummary) -> QueueRow:
        opened = t.created_at[:16].replace("T", " ")
        intent = str(t.summary.get("intent") or "")
        language = Language.of(t.language)
        return cls(t.number, t.status, t.reason, intent, last_words(t.summary), t.assignee or "", opened, language)


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
    as plain text, shown exactly as typed; ``lang``: the ``lang`` attribute of its text."""

    kind: str  # customer, bot or staff: the message's colour
    label: str
    body: str | Markup
    lang: str = "en"


def transcript(lines: tuple[TranscriptLine, ...]) -> list[TurnView]:
    """Each turn's customer message (when there is one) and its reply, in order, each marked
    with its language (the customer's message is in the language its reply was written in)."""
    turns = []
    for turn in lines:
        clock, lang = turn.time[11:16], html_lang(turn.language)
        if turn.customer:
            turns.append(TurnView("customer", f"customer · {clock}", turn.customer, lang))
        reply = turn.reply
        if turn.author == "staff":
            label = f"staff · {reply.get('staff') or ''} · {clock}"
            turns.append(TurnView("staff", label, str(reply["reply"]), lang))
        else:
            turns.append(TurnView("bot", f"bot · {reply['route']}", Markup(to_html(str(reply["reply"]))), lang))
    return turns


@dataclass(frozen=True)
class Suggestion:
    """What the bot would answer on a ticket: ``html`` to read, ``plain`` (links written out)
    for the "Use as reply" button."""

    route: str
    html: Markup
    sources: tuple[Source, ...]
    plain: str
    language: Language

    @classmethod
    def of(cls, reply: Reply, base: str) -> Suggestion:
        """``reply`` as a suggestion; ``base``: the server's URL, for the links written out."""
        links = "\n".join(f"{s.title}: {base}{s.url}" for s in reply.sources)
        plain = f"{reply.reply.replace('**', '')}\n\n{links}"
        html = Markup(to_html(reply.reply))
        return cls(reply.route.value, html, tuple(reply.sources), plain, Language.of(reply.language))


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


@dataclass(frozen=True)
class LanguageRow:
    """One language's line of the analytics page, its rates written out."""

    language: Language
    conversations: int
    messages: int
    replies: int
    answered_rate: str
    fallback_rate: str
    handoff_rate: str


def by_language(activity: Activity) -> list[LanguageRow]:
    """The analytics split by language, busiest first."""
    rows = []
    for row in activity.languages:
        rates = (f"{row.answered_rate:.1%}", f"{row.fallback_rate:.1%}", f"{row.handoff_rate:.1%}")
        rows.append(LanguageRow(Language.of(row.language), row.conversations, row.messages, row.replies, *rates))
    return rows


@dataclass(frozen=True)
class Unanswered:
    text: str
    time: str  # UTC, to the minute
    lang: str


@dataclass(frozen=True)
class GapRow:
    """One group of the knowledge-gap report: how many questions, one of them, the nearest article."""

    size: int
    example: str
    others: tuple[str, ...]
    nearest: str | None
    lang: str


GAP_GROUPS = 12  # groups shown, largest first


def gaps(by_language: Mapping[str, Sequence[Gap]]) -> list[GapRow]:
    """The knowledge gaps of every language, largest groups first."""
    rows = [
        GapRow(g.size, g.examples[0], g.examples[1:], g.nearest, html_lang(language))
        for language, groups in by_language.items()
        for g in groups
    ]
    return sorted(rows, key=lambda r: -r.size)[:GAP_GROUPS]


def unanswered(activity: Activity) -> list[Unanswered]:
    """The latest questions the bot could not answer, each marked with its language."""
    return [Unanswered(q.text, q.time[:16].replace("T", " "), html_lang(q.language)) for q in activity.unanswered]


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
