"""Take the README screenshot of the chat page: python docs/screenshot.py (server on :8000)."""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
    page = browser.new_page(viewport={"width": 1100, "height": 820})
    page.goto(URL)
    box = page.locator("#message textarea")
    box.fill("getting 429 too many requests from the python sdk, what do I do?")
    box.press("Enter")
    page.get_by_text("Sources:").first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    page.screenshot(path="docs/chat.png")
    browser.close()
