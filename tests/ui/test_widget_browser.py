"""The embeddable widget in a real browser (Debian's Chromium driven by Playwright).

The widget is served by the real server over the real assistant; the page that embeds it
comes from a second little HTTP server, so every API call is cross-origin exactly as on a
customer's site. The host page's CSS is hostile on purpose: the Shadow DOM must keep it out.
"""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.assistant import Assistant
from tests.helpers import CHROMIUM_ARGS, serving

try:
    from playwright.sync_api import Browser, Dialog, Locator, Page, expect, sync_playwright
except ImportError:  # the browser fixture skips, or fails under CI
    HAVE_PLAYWRIGHT = False
else:
    HAVE_PLAYWRIGHT = True

CHROMIUM = Path("/usr/bin/chromium")
HOST_PAGE = (
    "<!doctype html><html><head><style>*{{color:red!important;font-size:40px!important}} "
    "button{{display:none!important}}</style></head><body><h1>Host page</h1>"
    '<script src="{api}/widget.js" data-key="{key}" async></script></body></html>'
)
STAFF_USER, STAFF_PASSWORD = "agent1", "correct horse battery"
WAIT = 5_000  # ms: a reply of the real assistant takes well under a second
STAFF_WAIT = 10_000  # ms: the widget polls every 2 s while a person has the conversation


@dataclass(frozen=True)
class Site:
    api: str  # the support server, e.g. http://127.0.0.1:8123
    host: str  # the customer's site that embeds the widget; the key allows it
    other_host: str  # the same page from an origin the key does not allow
    key: str


class _HostPage(http.server.BaseHTTPRequestHandler):
    """Answers every GET with the server's ``page``."""

    server: _PageServer

    def do_GET(self) -> None:
        body = self.server.page
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


class _PageServer(http.server.ThreadingHTTPServer):
    page = b""


@contextmanager
def host_site() -> Iterator[_PageServer]:
    """A static web server on a free local port in a thread: the customer's own site."""
    pages = _PageServer(("127.0.0.1", 0), _HostPage)
    thread = threading.Thread(target=pages.serve_forever, daemon=True)
    thread.start()
    try:
        yield pages
    finally:
        pages.shutdown()
        pages.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    missing = [
        f"{what} is missing: {fix} (see DESIGN.md, real browser tests)"
        for what, fix, absent in [
            ("Playwright", "`pip install playwright`", not HAVE_PLAYWRIGHT),
            (str(CHROMIUM), "`apt-get install -y chromium`", not CHROMIUM.is_file()),
        ]
        if absent
    ]
    if missing:  # `make test` and .ci/run install both; a missing one is a broken set-up
        pytest.fail("; ".join(missing))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(assistant: Assistant) -> Iterator[Site]:
    """The real server, and the customer's site on another origin embedding its widget."""
    with host_site() as pages:
        host_port = pages.server_address[1]
        key = assistant.store.create_widget_key([f"http://127.0.0.1:{host_port}"])
        assistant.store.add_staff(STAFF_USER, STAFF_PASSWORD)
        with serving(assistant) as api:
            pages.page = HOST_PAGE.format(api=api, key=key).encode()
            yield Site(api, f"http://127.0.0.1:{host_port}", f"http://localhost:{host_port}", key)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context (its own storage), closed after the test."""
    context = browser.new_context()
    context.set_default_timeout(WAIT)
    yield context.new_page()
    context.close()


# -- what a customer does ---------------------------------------------------------------------------
def widget(page: Page) -> Locator:
    return page.locator("[data-supportbot]")


def open_widget(page: Page, url: str) -> Locator:
    page.goto(url)
    launcher = widget(page).get_by_role("button", name="Open support chat")
    launcher.click()
    expect(widget(page).get_by_role("dialog", name="Support chat")).to_be_visible()
    return widget(page)


def say(chat: Locator, text: str) -> None:
    """Type ``text`` and send it with Enter, as a customer would."""
    box = chat.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def bot_messages(chat: Locator) -> Locator:
    return chat.locator(".msg.bot")


def stored_conversation(page: Page, key: str) -> str:
    """The conversation id the widget keeps in the page's localStorage."""
    value = page.evaluate(
        """key => Object.keys(localStorage).filter(k => k.includes(key)).map(k => localStorage.getItem(k))
                  .find(v => v && v.length > 0)""",
        key,
    )
    assert value, "the widget stored no conversation id in localStorage"
    return str(value)


# -- the tests -------------------------------------------------------------------------------------
@pytest.mark.integration
def test_customer_is_answered_handed_off_and_hears_from_a_person(
    browser: Browser, page: Page, site: Site, assistant: Assistant
) -> None:
    page.goto(site.host)
    chat = widget(page)
    launcher = chat.get_by_role("button", name="Open support chat")
    expect(launcher).to_be_visible()  # the page hides every button of its own
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")

    # An answer from the knowledge base, with links to the articles on the support server.
    say(chat, "how do I rotate an API key")
    answer = bot_messages(chat).first
    expect(answer).to_contain_text(re.compile("rotate", re.I))
    expect(answer).not_to_have_css("color", "rgb(255, 0, 0)")  # the page's `*{color:red; font-size:40px}`
    expect(answer).not_to_have_css("font-size", "40px")  # stays out of the widget
    sources = answer.locator(".sources a")
    expect(sources.first).to_be_visible()
    for href in sources.evaluate_all("links => links.map(a => a.href)"):
        assert href.startswith(f"{site.api}/kb/"), href

    # A quick reply is sent as the customer's next message and answered.
    answer.get_by_role("group", name="Suggested replies").get_by_role("button").first.click()
    expect(bot_messages(chat)).to_have_count(2)

    # Thumbs up is acknowledged and lands in the database.
    latest = bot_messages(chat).last
    latest.get_by_role("button", name="Helpful", exact=True).click()
    expect(latest.get_by_text("Thanks for the feedback")).to_be_visible()
    expect(latest.get_by_role("button", name="Helpful", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(latest.get_by_role("button", name="Not helpful")).to_be_disabled()
    conversation = stored_conversation(page, site.key)
    assert [f["helpful"] for f in assistant.store.feedback(conversation)] == [True]

    # Asking for a person opens a ticket; the widget says so and waits.
    say(chat, "I want to talk to a person")
    status = chat.get_by_role("status").filter(has_text="Waiting for a person")
    expect(status).to_contain_text(re.compile(r"SB-\w+"))
    ticket = re.search(r"SB-\w+", status.inner_text())
    assert ticket is not None
    number = ticket.group(0)

    # A person signs in to the staff console (another browser context) and replies.
    staff_context = browser.new_context()
    staff_context.set_default_timeout(WAIT)
    staff = staff_context.new_page()
    staff.goto(f"{site.api}/staff/login")
    staff.get_by_label("Username").fill(STAFF_USER)
    staff.get_by_label("Password").fill(STAFF_PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    expect(staff).to_have_url(f"{site.api}/staff")
    staff.get_by_role("link", name=number).click()
    staff.get_by_label("Reply to the customer").fill("Hello from the support team")
    staff.get_by_role("button", name="Send reply").click()
    expect(staff.get_by_text("Reply sent to the customer.")).to_be_visible()
    staff_context.close()

    person = chat.locator(".msg.staff")
    expect(person).to_contain_text("Hello from the support team", timeout=STAFF_WAIT)
    expect(person).to_contain_text("Support team")

    # After a reload the whole conversation is drawn again, the person's reply once.
    page.reload()
    expect(chat.get_by_role("dialog", name="Support chat")).to_be_visible()  # it was open: it stays open
    log = chat.get_by_role("log")
    expect(log.locator(".msg.customer").first).to_have_text(re.compile("how do I rotate an API key"))
    expect(log.get_by_text("I want to talk to a person")).to_be_visible()
    expect(person).to_have_count(1)
    expect(person).to_contain_text("Hello from the support team")
    expect(status).to_contain_text(number)
    with page.expect_response(lambda r: "/api/v1/conversations/" in r.url, timeout=STAFF_WAIT):
        pass  # one more poll: it must not show the person's reply again
    expect(person).to_have_count(1)


@pytest.mark.integration
def test_typed_markup_is_shown_as_text_and_never_runs(page: Page, site: Site) -> None:
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    chat = open_widget(page, site.host)

    for n, text in enumerate(["<img src=x onerror=alert(1)>", "<script>alert(2)</script>"], start=1):
        say(chat, text)
        expect(chat.locator(".msg.bot, .msg.notice")).to_have_count(n)

    log = chat.get_by_role("log")
    expect(log.get_by_text("<img src=x onerror=alert(1)>", exact=True)).to_be_visible()
    expect(log.get_by_text("<script>alert(2)</script>", exact=True)).to_be_visible()
    expect(page.locator("img[src=x]")).to_have_count(0)
    expect(chat.locator("img, script")).to_have_count(0)
    assert dialogs == []


@pytest.mark.integration
def test_a_message_over_the_limit_is_refused_with_a_reason(page: Page, site: Site, assistant: Assistant) -> None:
    chat = open_widget(page, site.host)

    say(chat, "x" * (assistant.settings.max_message_chars + 1))

    expect(chat.locator(".msg.notice")).to_contain_text("That message is too long")
    expect(bot_messages(chat)).to_have_count(0)
    expect(chat.get_by_role("button", name="Send")).to_be_enabled()


@pytest.mark.integration
def test_a_site_the_key_does_not_allow_gets_no_answers(page: Page, site: Site, assistant: Assistant) -> None:
    turns = assistant.store.count("turns")
    chat = open_widget(page, site.other_host)

    say(chat, "how do I rotate an API key")

    expect(chat.locator(".msg.notice")).to_contain_text("not available on this page")
    expect(bot_messages(chat)).to_have_count(0)
    assert assistant.store.count("turns") == turns


@pytest.mark.integration
def test_widget_works_from_the_keyboard(page: Page, site: Site) -> None:
    page.goto(site.host)
    chat = widget(page)
    launcher = chat.get_by_role("button", name="Open support chat")
    panel = chat.get_by_role("dialog", name="Support chat")
    expect(launcher).to_be_visible()

    page.keyboard.press("Tab")
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(chat.get_by_label("Your message")).to_be_focused()
    expect(panel.get_by_role("log")).to_have_attribute("aria-live", "polite")
    expect(panel.get_by_role("button", name="Close support chat")).to_be_visible()
    page.keyboard.press("Tab")
    expect(panel.get_by_role("button", name="Send")).to_be_focused()

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
