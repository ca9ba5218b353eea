"""Article pages (ui/pages/article.py): section anchors match the index's source links."""

from __future__ import annotations

import pytest

from bot import slugify
from ui.pages.article import article_page, with_heading_ids

pytestmark = pytest.mark.unit


def test_each_section_heading_gets_the_anchor_source_links_use() -> None:
    html = with_heading_ids("<h2>Handling <code>429</code> responses</h2><p>x</p><h3>Q &amp; A</h3>")

    assert f'<h2 id="{slugify("Handling 429 responses")}">Handling <code>429</code> responses</h2>' in html
    assert f'<h3 id="{slugify("Q & A")}">' in html


def test_the_article_title_is_escaped_and_raw_html_in_the_text_too() -> None:
    text = bytes(
        article_page("<b>Bold</b> title", "Hello <i>there</i>\n\n## Part one", site="Meridian AI support").body
    ).decode()

    assert "<title>&lt;b&gt;Bold&lt;/b&gt; title</title>" in text
    assert "&lt;i&gt;there&lt;/i&gt;" in text and '<h2 id="part-one">Part one</h2>' in text
