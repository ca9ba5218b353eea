"""Which language a customer page opens in and the chat page's words (ui/languages.py)."""

from __future__ import annotations

import pytest

from ui.languages import PAGE, from_accept_language, html_lang, say

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("zh", "zh"),
        ("zh-TW", "zh"),
        ("zh-Hans-CN", "zh"),
        ("fr-FR,fr;q=0.9,zh-CN;q=0.8,en;q=0.7", "zh"),  # the first language the pages speak
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("en;q=0.5, zh;q=0.8", "zh"),  # by quality, not by position
        ("zh;q=0, en", "en"),  # q=0: not acceptable
        ("de-DE", "en"),
        ("*", "en"),
        ("", "en"),
        (None, "en"),
        ("zh;q=bad", "en"),
    ],
)
def test_a_page_opens_in_the_first_language_the_browser_asks_for_that_it_speaks(
    header: str | None, language: str
) -> None:
    assert from_accept_language(header) == language


def test_chinese_text_is_marked_zh_cn_and_anything_else_english() -> None:
    assert (html_lang("zh"), html_lang("en"), html_lang(None), html_lang("fr")) == ("zh-CN", "en", "en", "en")


def test_every_language_has_every_string_with_the_same_fields() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for language, words in PAGE.items():
        assert set(words) == set(PAGE["en"]), language
        for key, text in words.items():
            assert fields(text) == fields(PAGE["en"][key]), (language, key)
    assert say("zh", "send") == "发送" and say("fr", "send") == "Send"
    waiting = "支持团队的人工客服已接手这段对话（工单 SB-000001），回复会显示在这里。"
    assert say("zh", "waiting", ticket="SB-000001") == waiting
