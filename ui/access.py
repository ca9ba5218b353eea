"""Who may call the server from a browser on another site.

The embedded widget runs on the company's own pages, so its requests are cross-origin. A
publishable key (``pk_...``, ``supportbot widget-key create --origin URL``) names the
origins allowed to use it. A browser request that carries an ``Origin`` other than the
server's own is let through only to the customer API (chat, transcript, feedback), and only
with a key, in the ``X-Supportbot-Key`` header, whose origins include that ``Origin``; the
answer then carries the CORS headers that let the page read it. Everything else from another
origin is refused with 403 and no CORS headers, so the page learns nothing. Any other
cross-origin request that could change something (a form posted at the staff console from
another site) is refused too.

Requests without an ``Origin`` (the server's own pages, command-line and server-to-server
clients) are not affected: CORS protects browsers' users, it does not authenticate clients.
The server's own origin is the scheme and ``Host`` of the request: behind a proxy that ends
TLS, the proxy must pass ``X-Forwarded-Proto`` (uvicorn trusts it from 127.0.0.1, or from the
addresses in ``FORWARDED_ALLOW_IPS``), or the console's own forms look cross-origin.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from bot import InputError, SupportDesk, normalize_origin

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KEY_HEADER = "x-supportbot-key"
CUSTOMER_PATHS = ("/api/v1/chat", "/api/v1/conversations/", "/api/v1/feedback")
_SAFE_METHODS = {"GET", "HEAD"}


class WidgetKeys:
    """The active keys and their origins, read again from the database every ``ttl`` seconds
    (a revoked key stops working within that time). A key or origin not seen yet causes a
    read at most every ``miss_ttl`` seconds, so a new key works at once."""

    def __init__(self, desk: SupportDesk, ttl: float = 10.0, miss_ttl: float = 1.0) -> None:
        self.desk = desk
        self.ttl = ttl
        self.miss_ttl = miss_ttl
        self._keys: dict[str, frozenset[str]] = {}
        self._origins: frozenset[str] = frozenset()
        self._read_at = -float("inf")

    def _refresh(self, missed: bool = False) -> None:
        if time.monotonic() - self._read_at > (self.miss_ttl if missed else self.ttl):
            self._keys = dict(self.desk.active_widget_origins())
            self._origins = frozenset().union(*self._keys.values())
            self._read_at = time.monotonic()

    def allows(self, key: str | None, origin: str) -> bool:
        if key is None:
            return False
        self._refresh()
        if key not in self._keys:
            self._refresh(missed=True)
        return origin in self._keys.get(key, frozenset())

    def known_origin(self, origin: str) -> bool:
        self._refresh()
        if origin not in self._origins:
            self._refresh(missed=True)
        return origin in self._origins


class CrossOriginGuard:
    """ASGI middleware applying the policy of this module's docstring."""

    def __init__(self, app: ASGIApp, keys: WidgetKeys) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        origin = _origin(headers.get("origin"))
        method, path = scope["method"], scope["path"]
        customer = path.startswith(CUSTOMER_PATHS)
        if "origin" not in headers or (origin is not None and origin == _own_origin(scope, headers)):
            # Answers differ by origin: no cache may hand one site's answer to another.
            await self.app(scope, receive, _with_headers(send, _VARY) if customer else send)
            return
        if customer and origin is not None:
            if method == "OPTIONS" and self.keys.known_origin(origin):
                await _respond(send, 204, None, _cors(origin, preflight=True))
                return
            if self.keys.allows(headers.get(KEY_HEADER), origin):
                await self.app(scope, receive, _with_headers(send, _cors(origin)))
                return
            await _respond(send, 403, "this site may not use this chat: the key does not allow its origin", _VARY)
            return
        if method in _SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        await _respond(send, 403, "cross-origin requests are not accepted here")


def _origin(value: str | None) -> str | None:
    if not value or value == "null":
        return None
    try:
        return normalize_origin(value)
    except InputError:
        return None


def _own_origin(scope: Scope, headers: dict[str, str]) -> str | None:
    host = headers.get("host")
    return _origin(f"{scope.get('scheme', 'http')}://{host}") if host else None


_VARY = [(b"vary", b"Origin")]


def _cors(origin: str, preflight: bool = False) -> list[tuple[bytes, bytes]]:
    headers = [(b"access-control-allow-origin", origin.encode()), *_VARY]
    if preflight:
        headers += [
            (b"access-control-allow-methods", b"GET, POST"),
            (b"access-control-allow-headers", b"Content-Type, X-Supportbot-Key"),
            (b"access-control-max-age", b"600"),
        ]
    return headers


def _with_headers(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return sending


async def _respond(
    send: Send, status: int, error: str | None, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"error": error}).encode() if error else b""
    start = [(b"content-length", str(len(body)).encode()), *(headers or [])]
    if error:
        start.append((b"content-type", b"application/json"))
    await send({"type": "http.response.start", "status": status, "headers": start})
    await send({"type": "http.response.body", "body": body})
