"""Web origins (``scheme://host[:port]``) as the browser sends them in the ``Origin`` header."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.errors import InputError

_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?")


def normalize_origin(text: str) -> str:
    """``text`` as the browser would write the origin: lower case, no default port, no path.

    Raises:
        InputError: ``text`` is not an ``http(s)://host[:port]`` origin (the message names it).

    >>> normalize_origin("HTTPS://Example.com:443/")
    'https://example.com'
    """
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError as e:
        raise InputError(f"not an origin: {text!r} ({e})") from e
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise InputError(f"not an origin: {text!r} (expected http(s)://host[:port])")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise InputError(f"not an origin: {text!r} (an origin has no path, query or user)")
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    elif not _HOST.fullmatch(host):
        raise InputError(f"not an origin: {text!r} (the host may hold letters, digits, dots and dashes only)")
    if port is None or port == _DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{host}"
    return f"{parts.scheme}://{host}:{port}"
