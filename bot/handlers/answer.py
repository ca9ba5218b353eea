"""The ``answer`` route: the best-matching section of the best article, with 1-3 sources."""

from __future__ import annotations

import re

from bot.handlers.base import Context, register
from bot.types import Reply, Route, Source
from index.types import Hit

_KB_LINK = re.compile(r"\]\(kb:([a-z0-9-]+)\)")
MAX_WORDS = 160
# Other articles are cited only when they score close to the best one.
SOURCE_MARGIN = 0.08
# Other articles are offered as quick replies only when they are close runners-up.
RELATED_MARGIN = 0.25


def render_section(hit: Hit) -> str:
    """The section of ``hit`` as Markdown for the customer: heading, text, links made absolute."""
    if hit.chunk is None:
        return hit.title
    text = _KB_LINK.sub(r"](/kb/\1)", hit.chunk.text)
    words = text.split(" ")
    if len(words) > MAX_WORDS and "```" not in text:
        text = " ".join(words[:MAX_WORDS]).rstrip(",;:") + " …"
    heading = hit.chunk.heading
    if heading and heading.lower() != hit.title.lower():
        return f"**{hit.title} — {heading}**\n\n{text}"
    return f"**{hit.title}**\n\n{text}"


def sources_for(hits: tuple[Hit, ...], limit: int) -> tuple[Source, ...]:
    """The top hit and up to ``limit - 1`` more that score within ``SOURCE_MARGIN`` of it."""
    if not hits:
        return ()
    best = hits[0].score
    chosen = [h for h in hits[:limit] if h is hits[0] or h.score >= best - SOURCE_MARGIN]
    return tuple(
        Source(
            id=h.doc_id,
            title=h.title,
            score=h.score,
            url=h.url + (f"#{h.chunk.anchor}" if h.chunk and h.chunk.anchor else ""),
        )
        for h in chosen
    )


def grounded_reply(ctx: Context, route: Route, lead: str = "") -> Reply:
    """The best section of the best article as the reply of ``route``, with its sources and
    close runners-up as quick replies. ``lead`` is a sentence put before the section."""
    top = ctx.hits[0]
    sources = sources_for(ctx.hits, ctx.settings.max_sources)
    cited = {s.id for s in sources}
    related = [h.title for h in ctx.hits[1:4] if h.doc_id not in cited and h.score >= top.score - RELATED_MARGIN]
    section = render_section(top)
    return Reply(
        reply=f"{lead}\n\n{section}" if lead else section,
        route=route,
        conversation_id=ctx.conversation_id,
        intent=ctx.intent,
        confidence=ctx.confidence,
        sources=sources,
        quick_replies=(*related[:2], PERSON),
    )


PERSON = "How do I reach a person?"


@register(Route.ANSWER)
def answer(ctx: Context) -> Reply:
    return grounded_reply(ctx, Route.ANSWER)
