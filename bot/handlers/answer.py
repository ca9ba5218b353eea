"""The ``answer`` route: the best-matching section of the best article, with 1-3 sources."""

from __future__ import annotations

import re

from bot.handlers.base import Outcome, Turn, after_reply, register
from bot.types import Action, Reply, Route, Source
from index.language import has_han, word_count
from index.types import Hit

COPY_KEYS = ("menus.reach_person", "answers.source_in_english")

_KB_LINK = re.compile(r"\]\(kb:([a-z0-9-]+)\)")


def render_section(hit: Hit, max_words: int) -> str:
    """The section of ``hit`` as Markdown for the customer: heading, text cut at ``max_words``
    (unless it holds code; two Chinese characters count as a word), links to other articles
    made page links in the section's language."""
    if hit.chunk is None:
        return hit.title
    text = _KB_LINK.sub(r"](/kb/\1?lang=zh)" if hit.lang == "zh" else r"](/kb/\1)", hit.chunk.text)
    if "```" not in text:
        text = cut_words(text, max_words)
    heading = hit.chunk.heading
    if heading and heading.lower() != hit.title.lower():
        return f"**{hit.title} — {heading}**\n\n{text}"
    return f"**{hit.title}**\n\n{text}"


def cut_words(text: str, max_words: int) -> str:
    """``text`` cut after ``max_words`` words with " …" (unchanged when shorter); Chinese is
    counted and cut by characters, two to a word (``index.language.word_count``)."""
    if not has_han(text):
        words = text.split(" ")
        return text if len(words) <= max_words else " ".join(words[:max_words]).rstrip(",;:") + " …"
    if word_count(text) <= max_words:
        return text
    kept: list[str] = []
    used = 0
    for token in text.split(" "):
        n = word_count(token)
        if used + n > max_words:
            kept.append(token[: 2 * (max_words - used)] if has_han(token) else "")
            break
        kept.append(token)
        used += n
    return " ".join(kept).rstrip(",;:，；：、 ") + " …"


def source_url(hit: Hit) -> str:
    """The page of ``hit``'s section: its article in the language quoted (``?lang=zh``), at the section."""
    url = hit.url + ("?lang=zh" if hit.lang == "zh" else "")
    return url + (f"#{hit.chunk.anchor}" if hit.chunk and hit.chunk.anchor else "")


def sources_for(hits: tuple[Hit, ...], limit: int, margin: float) -> tuple[Source, ...]:
    """The top hit and up to ``limit - 1`` more that score within ``margin`` of it."""
    if not hits:
        return ()
    best = hits[0].score
    chosen = [h for h in hits[:limit] if h is hits[0] or h.score >= best - margin]
    return tuple(
        Source(
            id=h.doc_id,
            title=h.title,
            score=h.score,
            url=h.url
            + ("?lang=zh" if h.lang == "zh" else "")
            + (f"#{h.chunk.anchor}" if h.chunk and h.chunk.anchor else ""),
        )
        for h in chosen
    )


def grounded_reply(turn: Turn, lead: str = "", hits: tuple[Hit, ...] | None = None) -> Reply:
    """The best section of the best article (of ``hits``, else the message's) as the reply of the
    decided route, with its sources, and close runners-up as quick replies. ``lead`` is a sentence
    put before the section."""
    settings, decision = turn.parts.settings, turn.decision
    hits = turn.understood.hits if hits is None else hits
    top = hits[0]
    sources = sources_for(hits, settings.max_sources, settings.source_margin)
    cited = {s.id for s in sources}
    related = [h.title for h in hits[1:4] if h.doc_id not in cited and h.score >= top.score - settings.related_margin]
    section = render_section(top, settings.answer_words)
    if settings.language != top.lang:  # a Chinese question answered from an English-only text
        section += "\n\n" + turn.parts.copy.say("answers.source_in_english")
    return Reply(
        reply=f"{lead}\n\n{section}" if lead else section,
        route=decision.route,
        conversation_id=turn.conversation_id,
        intent=decision.intent,
        confidence=decision.confidence,
        sources=sources,
        quick_replies=(*related[:2], turn.parts.copy.say("menus.reach_person")),
    )


@register(Route.ANSWER)
def run(turn: Turn) -> Outcome:
    """The article section that answers the message; for a follow-up, the section of the article
    last answered from that fits it best."""
    hits = None
    retriever, vector, topic = turn.parts.retriever, turn.understood.vector, turn.state.last_topic
    if turn.decision.action is Action.TOPIC and retriever is not None and vector is not None and topic:
        hit = retriever.section_for(topic, turn.text, vector)
        hits = (hit,) if hit is not None else None
    reply = grounded_reply(turn, hits=hits)
    return Outcome(reply, after_reply(turn, reply))
