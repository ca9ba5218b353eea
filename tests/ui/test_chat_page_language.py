"""The customer chat page speaks the customer's language (ui/chat_page.py, ui/languages.py): it
is served in the language the browser asks for, and its labels follow each reply's language."""

from __future__ import annotations

import re

import httpx
import pytest

from bot import Assistant, Reply, Route, Source
from tests.helpers import UNRELATED, serving
from ui.chat_page import format_reply, localize_html, staff_update

pytestmark = pytest.mark.unit

ZH_BROWSER = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}


def html_lang(page: str) -> str:
    found = re.search(r'<html\b[^>]*?\blang="([^"]*)"', page, re.S)
    assert found, "the page has no <html lang>"
    return found.group(1)


def test_the_page_is_served_in_chinese_to_a_browser_that_asks_for_it(fake_assistant: Assistant) -> None:
    with serving(fake_assistant) as url:
        chinese = httpx.get(url + "/", headers=ZH_BROWSER)
        english = httpx.get(url + "/", headers={"Accept-Language": "en-GB,en;q=0.9"})
        plain = httpx.get(url + "/")

    assert chinese.status_code == 200 and html_lang(chinese.text) == "zh-CN"
    assert chinese.headers["content-language"] == "zh-CN" and "accept-language" in chinese.headers["vary"].lower()
    tagline = "API、报错、模型、定价或数据相关的问题，都可以问我。"
    for words in ("Meridian AI 客服", tagline, "输入你的问题，按 Enter 发送", "发送", "对话"):
        assert words in chinese.text, words
    assert "Type your question and press Enter" not in chinese.text
    for page in (english, plain):
        assert html_lang(page.text) == "en"
        assert "Meridian AI support" in page.text and "Type your question and press Enter" in page.text
        assert "Meridian AI 客服" not in page.text


def test_a_page_that_is_not_gradios_is_left_as_it_is(fake_assistant: Assistant) -> None:
    page = "<!doctype html><html><body>hello</body></html>"

    assert localize_html(page, "zh", fake_assistant) == page
    assert localize_html('<html lang="en">x', "en", fake_assistant) == '<html lang="en">x'


def test_the_pages_chat_answers_a_chinese_message_in_chinese(fake_assistant: Assistant) -> None:
    from gradio_client import Client

    with serving(fake_assistant) as url:
        _, history = Client(url, verbose=False).predict("发票在哪里下载", [], api_name="/chat")

    content = history[-1]["content"]
    text = content if isinstance(content, str) else " ".join(c.get("text", "") for c in content)
    assert history[-1]["role"] == "assistant" and re.search(r"[\u4e00-\u9fff]", text)
    assert "正在思考" not in text  # the "thinking" line is replaced by the reply


def test_a_chinese_reply_labels_its_sources_and_ticket_in_chinese() -> None:
    reply = Reply(
        reply="在账单页面下载。",
        route=Route.ANSWER,
        conversation_id="c",
        sources=(Source("invoices", "发票和收据", 0.9, "/kb/invoices"),),
        ticket="SB-000001",
        language="zh",
    )

    assert format_reply(reply) == "在账单页面下载。\n\n*来源：* [发票和收据](/kb/invoices)\n\n*工单：* SB-000001"


def test_a_persons_reply_and_the_return_to_the_bot_are_labelled_in_the_pages_language(
    fake_assistant: Assistant,
) -> None:
    first = fake_assistant.reply(None, UNRELATED)
    handed = fake_assistant.reply(first.conversation_id, UNRELATED + " again")
    assert handed.ticket
    cid, seen = handed.conversation_id, fake_assistant.desk.conversation(handed.conversation_id).last_seq
    fake_assistant.store.staff_reply(handed.ticket, "agent1", "你好，我来看一下你的账号。")

    update = staff_update(fake_assistant, [], cid, seen, "zh")
    assert update is not None
    history, still = update
    assert history[-1]["content"] == "**支持团队：** 你好，我来看一下你的账号。"

    fake_assistant.store.close(handed.ticket, release=True)
    released = staff_update(fake_assistant, history, cid, still, "zh")
    assert released is not None and released[1] is None
    assert released[0][-1]["content"] == "*现在由智能助手继续为你解答。*"
