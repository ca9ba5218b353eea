"""The customer's front doors speak Chinese in a real browser (Debian's Chromium driven by
Playwright), served by the real server over the real assistant: the widget on a Chinese page of
another origin, the widget following each reply's language, and the chat page at ``/``.

The screenshot of the Chinese conversation is kept in the test's temporary folder, to look at
(fonts-noto-cjk draws the Chinese).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.assistant import Assistant
from tests.helpers import serving
from tests.ui.test_widget_browser import HAVE_PLAYWRIGHT, WAIT, bot_messages, browser, host_site, say, widget

if HAVE_PLAYWRIGHT:
    from playwright.sync_api import Browser, Locator, Page, expect

__all__ = ["browser"]  # the real-browser fixture of test_widget_browser.py, shared

pytestmark = pytest.mark.integration

HOST_PAGE = (
    '<!doctype html><html{lang}><head><meta charset="utf-8"></head><body><h1>{heading}</h1>'
    '<script src="{api}/widget.js" data-key="{key}" async></script></body></html>'
)
HAN = re.compile(r"[\u4e00-\u9fff]")
REPLY_WAIT = 15_000  # ms: the first Chinese reply of a fresh server may load the Chinese parts


@dataclass(frozen=True)
class Sites:
    api: str  # the support server
    chinese: str  # a customer's site whose page is <html lang="zh-CN">
    plain: str  # a customer's site whose page names no language


@pytest.fixture(scope="module")
def sites(assistant: Assistant) -> Iterator[Sites]:
    """The real server, and two customers' sites on other origins embedding its widget."""
    with host_site() as chinese, host_site() as plain:
        origins = [f"http://127.0.0.1:{s.server_address[1]}" for s in (chinese, plain)]
        key = assistant.store.create_widget_key(origins)
        with serving(assistant) as api:
            chinese.page = HOST_PAGE.format(lang=' lang="zh-CN"', heading="我们的产品", api=api, key=key).encode()
            plain.page = HOST_PAGE.format(lang="", heading="Our product", api=api, key=key).encode()
            yield Sites(api, origins[0], origins[1])


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[str], Page]]:
    """Pages in fresh browser contexts whose browser language is ``locale`` (its navigator.language
    and Accept-Language), closed after the test."""
    contexts = []

    def make(locale: str) -> Page:
        context = browser.new_context(locale=locale, viewport={"width": 1100, "height": 800})
        context.set_default_timeout(WAIT)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_the_widget_converses_in_chinese_on_a_chinese_page(
    new_page: Callable[[str], Page], sites: Sites, tmp_path: Path
) -> None:
    page = new_page("en-US")  # the page's language wins over the browser's
    page.goto(sites.chinese)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    chat = widget(page)

    # Before the customer writes: the widget's own words are Chinese, and so is its lang.
    launcher = chat.get_by_role("button", name="打开在线客服")
    expect(launcher).to_be_visible()
    expect(chat.locator(".root")).to_have_attribute("lang", "zh-CN")
    launcher.click()
    panel = chat.get_by_role("dialog", name="在线客服")
    expect(panel).to_be_visible()
    expect(panel.locator("h2")).to_have_text("在线客服")
    box = chat.get_by_label("你的消息")
    expect(box).to_have_attribute("placeholder", "输入你的问题…")
    expect(chat.get_by_role("button", name="发送")).to_be_visible()
    expect(chat.get_by_role("button", name="开始新对话")).to_be_visible()
    intro = chat.locator(".msg.intro")
    expect(intro).to_have_attribute("lang", "zh-CN")
    expect(intro).to_contain_text("都可以问我")

    # A Chinese question gets a Chinese reply, marked as such, with Chinese labels around it.
    say_in(chat, "你的消息", "API key 在哪里创建")
    answer = bot_messages(chat).first
    expect(answer).to_have_attribute("lang", "zh-CN", timeout=REPLY_WAIT)
    expect(answer).to_contain_text(HAN)
    expect(chat.locator(".msg.customer").first).to_have_attribute("lang", "zh-CN")
    expect(answer.get_by_role("button", name="有帮助", exact=True)).to_be_visible()
    assert HAN.search(answer.locator("div").first.inner_text())
    expect(chat.locator(".root")).to_have_attribute("lang", "zh-CN")

    shot = tmp_path / "widget-zh.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def test_the_widget_follows_the_language_of_each_reply(new_page: Callable[[str], Page], sites: Sites) -> None:
    page = new_page("en-US")
    page.goto(sites.plain)
    chat = widget(page)
    chat.get_by_role("button", name="Open support chat").click()
    expect(chat.locator(".root")).to_have_attribute("lang", "en")

    say(chat, "429 一直报错怎么办")
    expect(bot_messages(chat)).to_have_count(1, timeout=REPLY_WAIT)
    expect(bot_messages(chat).first).to_have_attribute("lang", "zh-CN")
    expect(chat.locator(".root")).to_have_attribute("lang", "zh-CN")
    expect(chat.get_by_role("button", name="发送")).to_be_visible()
    expect(chat.get_by_label("你的消息")).to_have_attribute("placeholder", "输入你的问题…")
    expect(chat.get_by_role("dialog", name="在线客服")).to_be_visible()

    say_in(chat, "你的消息", "how do I rotate an API key")
    expect(bot_messages(chat)).to_have_count(2)
    expect(bot_messages(chat).last).to_have_attribute("lang", "en")
    expect(chat.locator(".root")).to_have_attribute("lang", "en")
    expect(chat.get_by_role("button", name="Send")).to_be_visible()
    expect(bot_messages(chat).first).to_have_attribute("lang", "zh-CN")  # earlier messages keep theirs

    # A reload draws the conversation again in its latest language.
    page.reload()
    expect(bot_messages(chat)).to_have_count(2)
    expect(chat.locator(".root")).to_have_attribute("lang", "en")
    assert [m.get_attribute("lang") for m in bot_messages(chat).all()] == ["zh-CN", "en"]


def test_the_widget_opens_in_the_browsers_language_when_the_page_names_none(
    new_page: Callable[[str], Page], sites: Sites
) -> None:
    page = new_page("zh-CN")
    page.goto(sites.plain)
    chat = widget(page)

    expect(chat.get_by_role("button", name="打开在线客服")).to_be_visible()
    expect(chat.locator(".root")).to_have_attribute("lang", "zh-CN")


def test_the_chat_page_opens_in_the_browsers_language_and_follows_each_reply(
    new_page: Callable[[str], Page], sites: Sites, tmp_path: Path
) -> None:
    page = new_page("zh-CN")  # Accept-Language: zh-CN
    page.goto(sites.api + "/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(page).to_have_title("Meridian AI 客服")
    expect(page.locator("#brand")).to_contain_text("Meridian AI 客服")
    box = page.locator("#message textarea")
    expect(box).to_have_attribute("placeholder", "输入你的问题，按 Enter 发送")

    box.fill("how do I rotate an API key")
    box.press("Enter")
    expect(html).to_have_attribute("lang", "en", timeout=REPLY_WAIT)
    expect(box).to_have_attribute("placeholder", "Type your question and press Enter")
    expect(page.locator("#brand")).to_contain_text("Meridian AI support")

    box.fill("API key 泄露了怎么办")
    box.press("Enter")
    expect(html).to_have_attribute("lang", "zh-CN", timeout=REPLY_WAIT)
    expect(box).to_have_attribute("placeholder", "输入你的问题，按 Enter 发送")
    expect(page.locator("#chat")).to_contain_text("泄露")
    page.screenshot(path=str(tmp_path / "chat-page-zh.png"))


def say_in(chat: Locator, label: str, text: str) -> None:
    """Type ``text`` in the box labelled ``label`` and send it with Enter."""
    box = chat.get_by_label(label)
    box.fill(text)
    box.press("Enter")
