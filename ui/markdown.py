"""Markdown as HTML for the server's own pages (articles, the bot's replies in the console).
The knowledge base and the bot write Markdown; raw HTML in it is escaped, never passed on."""

from __future__ import annotations

from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def to_html(text: str) -> str:
    """``text`` rendered as HTML; knowledge-base links (``kb:ID``) point at the article pages."""
    return _MARKDOWN.render(text.replace("](kb:", "](/kb/"))
