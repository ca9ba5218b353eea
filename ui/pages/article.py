"""A knowledge-base article as an HTML page, with the section anchors that source links point at."""

from __future__ import annotations

import html
import re

from fastapi.responses import HTMLResponse
from markupsafe import Markup

from bot import slugify
from ui.markdown import to_html
from ui.pages import render

_HEADING = re.compile(r"<h([2-6])>(.*?)</h\1>", re.S)


def with_heading_ids(body: str) -> str:
    """Give each section heading of rendered ``body`` the anchor that source links point at
    (the same slug the index gives the section)."""

    def add_id(m: re.Match[str]) -> str:
        text = html.unescape(re.sub(r"<[^>]+>", "", m.group(2)))
        return f'<h{m.group(1)} id="{html.escape(slugify(text))}">{m.group(2)}</h{m.group(1)}>'

    return _HEADING.sub(add_id, body)


def article_page(title: str, markdown: str, site: str, lang: str = "en") -> HTMLResponse:
    """The page of one article in ``lang``: its title and its Markdown text (raw HTML in it escaped)."""
    body = Markup(with_heading_ids(to_html(markdown)))  # safe: raw HTML in the Markdown was escaped
    return render("article.html", title=title, site=site, body=body, lang=lang)
