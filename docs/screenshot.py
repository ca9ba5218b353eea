"""Take the README screenshots: the chat page, the widget on a page of another site, and the
staff console's ticket and analytics pages.

    supportbot staff add docs --password-stdin <<< "docs-screenshot"
    supportbot widget-key create --origin http://127.0.0.1:8099      # prints pk_...
    make run &                                                      # serves on :8000
    python -m docs.screenshot pk_...      # from the repository's root
"""

from __future__ import annotations

import http.server
import sys
import threading

from playwright.sync_api import sync_playwright

from tests.helpers import CHROMIUM_ARGS

BASE = "http://127.0.0.1:8000"
HOST_PORT = 8099
STAFF = ("docs", "docs-screenshot")
HOST_PAGE = """<!doctype html><html><head><title>Example shop</title><style>body{{font:18px Georgia,serif;
margin:3rem;color:#333}}</style></head><body><h1>Example shop · help centre</h1><p>Our own page, with the
support widget embedded by one script tag.</p><script src="{base}/widget.js" data-key="{key}" async></script>
</body></html>"""


def host_page(key: str) -> http.server.ThreadingHTTPServer:
    body = HOST_PAGE.format(base=BASE, key=key).encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", HOST_PORT), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(key: str) -> None:
    site = host_page(key)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 820})
        page.goto(f"{BASE}/")
        box = page.locator("#message textarea")
        box.fill("getting 429 too many requests from the python sdk, what do I do?")
        box.press("Enter")
        page.get_by_text("Sources:").first.wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path="docs/chat.png")

        shop = browser.new_page(viewport={"width": 1000, "height": 760})
        shop.goto(f"http://127.0.0.1:{HOST_PORT}/")
        shop.get_by_role("button", name="Open support chat").click()
        shop.get_by_label("Your message").fill("how do i rotate my api key without downtime")
        shop.get_by_label("Your message").press("Enter")
        shop.get_by_text("Sources:").wait_for(timeout=30_000)
        shop.wait_for_timeout(800)
        shop.screenshot(path="docs/widget.png")
        shop.get_by_label("Your message").fill("I'd like to talk to a person")
        shop.get_by_label("Your message").press("Enter")
        shop.get_by_text("Waiting for a person").wait_for(timeout=30_000)

        staff = browser.new_page(viewport={"width": 1100, "height": 900})
        staff.goto(f"{BASE}/staff/login")
        staff.get_by_label("Username").fill(STAFF[0])
        staff.get_by_label("Password").fill(STAFF[1])
        staff.get_by_role("button", name="Sign in").click()
        staff.locator("a[href^='/staff/tickets/']").last.click()
        staff.get_by_text("Suggested reply").wait_for()
        staff.screenshot(path="docs/staff-ticket.png", full_page=True)
        staff.goto(f"{BASE}/staff/analytics")
        staff.screenshot(path="docs/staff-analytics.png")
        browser.close()
    site.shutdown()


if __name__ == "__main__":
    main(sys.argv[1])
