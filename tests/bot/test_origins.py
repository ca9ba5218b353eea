"""Web origins (bot/origins.py) written as the browser sends them in the ``Origin`` header,
and what is not an origin refused by name."""

from __future__ import annotations

import pytest

from bot.errors import InputError, SupportbotError
from bot.origins import normalize_origin


@pytest.mark.unit
@pytest.mark.parametrize(
    ("written", "origin"),
    [
        ("https://shop.example", "https://shop.example"),
        ("HTTPS://Shop.Example:443/", "https://shop.example"),
        ("http://shop.example:80", "http://shop.example"),
        ("  https://shop.example/  ", "https://shop.example"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("https://shop.example:8443", "https://shop.example:8443"),
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("https://[2001:DB8::1]:443", "https://[2001:db8::1]"),
    ],
)
def test_an_origin_is_written_as_the_browser_sends_it(written: str, origin: str) -> None:
    assert normalize_origin(written) == origin


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "https://shop.example/help",
        "https://shop.example?page=1",
        "https://shop.example/#chat",
        "ftp://shop.example",
        "shop.example",
        "https://",
        "https://user@shop.example",
        "https://shop.example:99999",
        "http://[::1",
        "null",
        "",
    ],
    ids=["path", "query", "fragment", "ftp", "no-scheme", "no-host", "user", "bad-port", "bad-ipv6", "null", "empty"],
)
def test_what_is_not_an_origin_is_refused_by_name(text: str) -> None:
    with pytest.raises(SupportbotError, match="not an origin") as refused:
        normalize_origin(text)

    assert repr(text) in str(refused.value)
    assert isinstance(refused.value, InputError)
