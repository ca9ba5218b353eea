"""Inline knowledge for unit tests: a handful of small help articles written as files."""

from __future__ import annotations

import socket
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

KB_ARTICLES: dict[str, str] = {
    "reset-password": """\
        ---
        id: reset-password
        title: Resetting your password
        tags: [account, login]
        questions:
          - I forgot my password
          - cannot sign in to the console
        ---
        If you cannot sign in, reset your password from the sign-in page. Reset links stay valid
        for one hour, and a new link cancels the previous one.

        ## Reset from the sign-in page
        Click "Forgot password" on the sign-in page and enter the e-mail address of your account.
        We send a reset link that is valid for one hour. Open it, choose a new password of at least
        twelve characters and sign in again.

        ## The reset e-mail never arrives
        Check your spam folder first. Reset e-mails come from no-reply@example.test and usually
        arrive within two minutes. Corporate mail filters sometimes quarantine them; ask your
        administrator to allow the sender.

        ## Changing a password you know
        Open Settings, then Security, and choose Change password. You must enter the current
        password once. Other sessions are signed out when the password changes.
        """,
    "rate-limits": """\
        ---
        id: rate-limits
        title: Rate limits and quotas
        tags: [limits, api]
        questions:
          - why do I get 429 errors
        ---
        Every project has a request limit per minute that depends on its plan, and the limit is
        shared by all keys of the project.

        ## Limits per plan
        The Free plan allows 20 requests per minute, Starter 300 and Growth 1,500. Limits apply per
        project, not per key, so adding keys does not raise them.

        ## Handling 429 responses
        When you exceed the limit the API answers 429 Too Many Requests with a retry-after header.
        Wait that many seconds, then retry with exponential backoff:

        ```python
        # retry when the server says so
        time.sleep(int(response.headers["retry-after"]))
        ```

        ## Raising your limits
        Upgrade your plan in Billing, or ask support for a temporary increase before a launch.
        Keys are described in [API keys](kb:api-keys).
        """,
    "invoices": """\
        ---
        id: invoices
        title: Invoices and receipts
        tags: [billing]
        questions: [where is my invoice]
        ---
        Invoices are issued on the first day of each month for the usage of the previous month,
        in US dollars or euros.

        ## Downloading an invoice as PDF
        Open Billing, then Invoices, and click the month you need. Each invoice downloads as a PDF
        document with your billing address and VAT number printed on it.

        ## Changing the billing address
        The billing address printed on future invoices is edited in Billing, then Details. Invoices
        that were already issued are not reissued with the new address.
        """,
    "api-keys": """\
        ---
        id: api-keys
        title: API keys
        tags: [api, security]
        questions:
          - how do I create an API key
          - lost my secret key
        ---
        API keys authenticate your requests. Send a key in the Authorization header as a bearer
        token on every call to the API.

        ## Creating a key
        Owners and admins create keys in Settings, then API keys. A key is shown once; copy it to
        your secrets manager right away.

        ## Lost keys
        A lost key cannot be recovered. Create a new key, deploy it, then revoke the old one. Request
        limits are described in [rate limits](kb:rate-limits).
        """,
    "data-retention": """\
        ---
        id: data-retention
        title: How long we keep your data
        tags: [privacy]
        questions: [do you store my prompts]
        ---
        ## Retention period
        Request and response bodies are kept for thirty days for abuse monitoring, then deleted for
        good from every region.

        ## Zero retention
        Enterprise customers can switch to zero retention, so request bodies are never written to
        disk and cannot be recovered by anyone.
        """,
}

# The fields every reply carries as JSON (DESIGN.md, `supportbot ask --json`).
REPLY_FIELDS = {
    "reply",
    "route",
    "intent",
    "confidence",
    "sources",
    "quick_replies",
    "conversation_id",
    "ticket",
    "flow",
    "recommendations",
    "language",  # the language of the reply: en or zh
}

# Two intents that share most of their words, for tests of what a classifier confuses.
REFUND_INTENTS = {
    "refund_status": [
        "where is my refund",
        "refund status please",
        "has my refund been processed",
        "my refund has not arrived",
        "how long does a refund take",
        "check the status of my refund",
    ],
    "refund_request": [
        "I want a refund",
        "please refund my payment",
        "can I get a refund",
        "request a refund for my order",
        "refund me for the failed requests",
        "how do I ask for a refund",
    ],
}

# A message that shares no content word with the inline knowledge base.
# A small intent set for the classifier and `supportbot intents` tests: varied phrasings,
# two intents with routes, and out-of-scope negatives.
INTENT_EXAMPLES: dict[str, list[str]] = {
    "invoice": [
        "where can I download my invoice",
        "I need the invoice for last month",
        "send me a PDF invoice",
        "my invoice shows the wrong billing address",
        "how do I get a receipt for my payment",
        "invoice for march is missing",
        "can I get a copy of my invoice",
        "where are my receipts and invoices",
    ],
    "password_reset": [
        "I forgot my password",
        "how do I reset my password",
        "the password reset link expired",
        "I cannot sign in because my password is wrong",
        "reset password email never arrived",
        "change my password please",
        "password reset does not work",
        "locked out after too many password attempts",
    ],
    "rate_limit": [
        "I keep getting 429 errors",
        "too many requests error from the API",
        "what is the rate limit per minute",
        "my requests are throttled with 429",
        "how do I raise my rate limit",
        "rate limit exceeded on every call",
        "429 too many requests after a few calls",
        "the API rate limit is too low",
    ],
    "human_handoff": [
        "I want to talk to a human",
        "let me speak to a person",
        "connect me with a human agent",
        "can a real person help me",
        "I need to speak with support staff",
        "transfer me to an agent",
        "talk to a human being now",
        "get me a person on the phone",
    ],
    "data_retention": [
        "how long do you keep my data",
        "do you store my prompts",
        "is my data deleted after thirty days",
        "data retention period for requests",
        "can I get zero retention of my data",
        "where is my data stored and for how long",
        "do you keep request bodies",
        "delete my stored data",
    ],
}
INTENT_ROUTES = {"rate_limit": "troubleshoot", "human_handoff": "handoff"}
INTENT_NEGATIVES = [
    "what is the weather in paris tomorrow",
    "recommend a good pasta recipe",
    "who won the football match yesterday",
    "tell me a joke about cats",
    "best hiking trails in the alps",
    "how tall is mount everest",
]

UNRELATED = "zebra giraffe migration across the savanna during monsoon"


def write_article(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` (dedented) as ``folder/name.md`` and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def write_kb(root: Path, articles: dict[str, str] = KB_ARTICLES) -> Path:
    """A knowledge folder (``root/articles/*.md``) holding ``articles``; returns ``root``."""
    for name, text in articles.items():
        write_article(root / "articles", name, text)
    return root


def reset_database(url: str) -> None:
    """Drop every supportbot table so migrations start from nothing."""
    from bot.store import drop_schema

    drop_schema(url)


# Debian's Chromium in a closed network: without the background-networking flags it floods
# the network with refused connections (DESIGN.md).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@contextmanager
def serving(assistant: Any) -> Iterator[str]:
    """Serve ``create_app(assistant)`` on a free local port in a thread; yields the base URL
    (``http://127.0.0.1:PORT``, no trailing slash)."""
    import uvicorn

    from ui.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(assistant), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        # A client may keep a stream open (Gradio's does); do not wait for it to close.
        server.should_exit = server.force_exit = True
        thread.join(timeout=10)
